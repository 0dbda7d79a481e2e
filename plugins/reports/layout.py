"""How a report's tables fit the printed page: each column's width and each table's font size,
measured with the font the PDF is set in, so that no word runs into the next cell.

xhtml2pdf neither breaks a long word nor widens a column for it: a column it sizes evenly draws
«Преподаватель» over «Обучающийся». So the print template is given widths: every column at
least as wide as its longest word (header in bold), the rest of the line shared by how much
longer the columns' texts are; a table whose words do not fit at the body's size is set smaller,
and a statement none of whose tables fit portrait is printed landscape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core.plugins.types import ReportResult, ReportTable
from plugins.reports.pdf import FONT_FILES

A4_SHORT, A4_LONG = 595.28, 841.89  # points
MARGINS = 2 * 36.85  # 1.3 cm left and right (the print template's @page)
BODY_PT, GRID_PT, SMALLEST_PT = 9.0, 6.5, 5.0
#: a cell's padding and borders, left and right, and a point of slack for xhtml2pdf's rounding
CELL_EXTRA_PT = {"": 6.0 + 0.5 + 1.0, "grid": 2.0 + 0.5 + 1.0}
#: a column never takes more of the line than this for its long texts (they wrap)
LONGEST_SHARE = 0.45


@dataclass(frozen=True)
class TableLayout:
    """A table as printed: its font size (pt) and its columns' widths (% of the line)."""

    font_pt: float
    widths: list[float]


@dataclass(frozen=True)
class PrintLayout:
    landscape: bool
    tables: list[TableLayout | None]  # by the result's tables; None for a table without columns


@cache
def _font(bold: bool) -> str:
    name = "EJ-DejaVu-Bold" if bold else "EJ-DejaVu"
    pdfmetrics.registerFont(TTFont(name, str(FONT_FILES["bold" if bold else "regular"])))
    return name


def _width(text: str, bold: bool) -> float:
    """The width of ``text`` at 1 pt (a width scales with the size)."""
    return pdfmetrics.stringWidth(text, _font(bold), 1.0)


@dataclass(frozen=True)
class _Column:
    longest_word: float  # at 1 pt
    longest_text: float  # at 1 pt


def _columns(table: ReportTable, text_of) -> list[_Column]:
    words = [0.0] * len(table.columns)
    texts = [0.0] * len(table.columns)

    def measure(index: int, text: str, bold: bool) -> None:
        if index >= len(words) or not text:
            return
        words[index] = max(words[index], *(_width(word, bold) for word in text.split() or [""]))
        texts[index] = max(texts[index], _width(text, bold))

    for index, title in enumerate(table.columns):
        measure(index, str(title), True)
    for row in table.rows:
        for index, value in enumerate(row):
            measure(index, text_of(value), False)
    for row in table.footer:
        for index, value in enumerate(row):
            measure(index, text_of(value), True)
    return [_Column(word, text) for word, text in zip(words, texts, strict=True)]


def _needed(columns: list[_Column], size: float, extra: float) -> float:
    return sum(column.longest_word * size + extra for column in columns)


def _fit(table: ReportTable, columns: list[_Column], line: float) -> TableLayout:
    extra = CELL_EXTRA_PT["grid" if table.style == "grid" else ""]
    size = GRID_PT if table.style == "grid" else BODY_PT
    while size > SMALLEST_PT and _needed(columns, size, extra) > line:
        size -= 0.5
    least = [column.longest_word * size + extra for column in columns]
    wish = [min(column.longest_text * size + extra, line * LONGEST_SHARE) for column in columns]
    spare = max(line - sum(least), 0.0)
    growth = [max(w - m, 0.0) for w, m in zip(wish, least, strict=True)]
    total = sum(growth) or sum(least)
    shares = growth if sum(growth) else least
    widths = [m + spare * share / total for m, share in zip(least, shares, strict=True)]
    scale = 100.0 / sum(widths)
    return TableLayout(size, [round(width * scale, 2) for width in widths])


def plan(result: ReportResult, text_of) -> PrintLayout:
    """The layout of ``result`` in print; ``text_of`` turns a value into its printed text."""
    measured = [_columns(table, text_of) if table.columns else None for table in result.tables]
    portrait, landscape = A4_SHORT - MARGINS, A4_LONG - MARGINS
    wide = result.landscape or any(
        columns is not None and _needed(
            columns, GRID_PT if table.style == "grid" else BODY_PT,
            CELL_EXTRA_PT["grid" if table.style == "grid" else ""]) > portrait
        for table, columns in zip(result.tables, measured, strict=True))
    line = landscape if wide else portrait
    return PrintLayout(wide, [None if columns is None else _fit(table, columns, line)
                              for table, columns in zip(result.tables, measured, strict=True)])
