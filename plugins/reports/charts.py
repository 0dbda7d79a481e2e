"""Charts as server-side SVG: a ``ReportChart`` becomes plain shapes (bars, polylines, axis
labels) that the ``reports/_chart.html`` template draws. No script, nothing downloaded."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.plugins.types import ReportChart

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 48
COLOURS = ("#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997")


@dataclass
class Drawing:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    rects: list[tuple[float, float, float, float, str, str]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (points, colour)
    dots: list[tuple[float, float, str, str]] = field(default_factory=list)
    texts: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, anchor, text
    grid: list[float] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)


def _scale(chart: ReportChart) -> tuple[float, int]:
    """The axis top and its number of steps: a round step, at most six of them."""
    values = [v for _name, series in chart.series for v in series if v is not None]
    top = max(values, default=0) or 1
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000,
                 5000, 10000):
        steps = math.ceil(top / step - 1e-9)
        if steps <= 6:
            return step * steps, steps
    return top, 4


def _number(value: float) -> str:
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def draw(chart: ReportChart) -> Drawing:
    drawing = Drawing(chart.title)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top, steps = _scale(chart)
    y = lambda value: TOP + plot_h * (1 - value / top)  # noqa: E731
    for tick in range(steps + 1):
        value = top * tick / steps
        drawing.grid.append(y(value))
        drawing.texts.append((LEFT - 6, y(value) + 4, "end", _number(value)))
    slots = max(len(chart.labels), 1)
    slot = plot_w / slots
    for index, label in enumerate(chart.labels):
        drawing.texts.append((LEFT + slot * (index + 0.5), HEIGHT - BOTTOM + 16, "middle", label))
    for number, (name, values) in enumerate(chart.series):
        colour = COLOURS[number % len(COLOURS)]
        drawing.legend.append((colour, name))
        if chart.kind == "bar":
            bar = slot * 0.8 / max(len(chart.series), 1)
            for index, value in enumerate(values):
                if value is None:
                    continue
                x = LEFT + slot * index + slot * 0.1 + bar * number
                drawing.rects.append((x, y(value), bar, y(0) - y(value), colour,
                                      f"{chart.labels[index]}: {_number(value)}{chart.unit}"))
        else:
            points = [(LEFT + slot * (index + 0.5), y(value))
                      for index, value in enumerate(values) if value is not None]
            drawing.lines.append((" ".join(f"{px:.1f},{py:.1f}" for px, py in points), colour))
            for (px, py), value in zip(points, [v for v in values if v is not None],
                                       strict=True):
                drawing.dots.append((px, py, colour, _number(value) + chart.unit))
    return drawing
