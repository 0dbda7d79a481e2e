"""The forecast's statistics, without the database: explainable, every step a sentence.

For one student in one journal, on a day of its term:

1. **Level.** The weighted average of the current marks (the policy's weights of the kinds of
   work), shrunk towards the student's weighted average in their other journals of the term
   with the weight of ``PRIOR_WEIGHT`` marks (few marks say little; the other disciplines say
   how the student usually does).
2. **Trend.** With at least ``TREND_MIN_MARKS`` marks over ``TREND_MIN_DAYS`` days: the slope of
   a weighted least-squares line of the marks over the days, damped by n / (n + ``TREND_DAMPING``)
   and carried to the middle of the time left; the shift is at most ``TREND_MAX_SHIFT``.
3. **The marks to come.** The student's own pace (marks per lesson held, smoothed towards
   ``PACE_PRIOR``) times the lessons left in the term (the timetable's) gives the marks still to
   come; their expected value is the level with the trend. The expected final is the weighted
   average of the marks so far and those to come — what the teacher will most likely set, the
   rounded weighted average — with a range of one standard deviation (the spread of the
   student's marks around their line, the level's own uncertainty).
4. **Risks.** «н/а» when the minimum of marks (``grades.min_marks``) is likely not reached at
   the pace so far (binomial chance ≥ ``NA_PROBABILITY``), when a required kind of work has no
   mark and fewer than ``KIND_LESSONS_LEFT`` lessons are left, or when the student has missed at
   least ``NA_ABSENCE_SHARE`` of the hours held without a valid reason; «2» when the chance of a
   final average below 2.5 is at least ``FAIL_PROBABILITY`` (normal approximation).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

PRIOR_WEIGHT = 2.0
TREND_MIN_MARKS = 4
TREND_MIN_DAYS = 14
TREND_DAMPING = 6.0
TREND_MAX_SHIFT = 1.0
PACE_PRIOR = 0.3
PACE_PRIOR_LESSONS = 2.0
DEFAULT_SD = 0.8
NA_PROBABILITY = 0.5
KIND_LESSONS_LEFT = 3
NA_ABSENCE_SHARE = 0.5
FAIL_PROBABILITY = 0.3
#: the weighted average below which a final is a 2 (the rounding of ``proposed_final``)
FAIL_BELOW = 2.5

FIVE_POINT = ("2", "3", "4", "5")
SPECIAL = ("na", "exempt", "debt")


@dataclass(frozen=True)
class MarkPoint:
    value: str
    mark_type: str
    day: date


@dataclass
class Inputs:
    """What the model knows of one student in one journal on ``day``."""

    marks: Sequence[MarkPoint]
    day: date
    term_end: date
    weights: Mapping[str, float] = field(default_factory=dict)
    #: marks a final needs (``grades.min_marks`` at the load's weekly hours)
    needed: int = 0
    #: the required kinds of work the load declares (``grades.min_marks_required_kinds``)
    required_kinds: Sequence[str] = ()
    kind_titles: Mapping[str, str] = field(default_factory=dict)
    lessons_held: int = 0
    lessons_left: int = 0
    hours_held: int = 0
    unexcused_hours: int = 0
    #: the most hours missed without a valid reason in one month, and the policy's threshold
    unexcused_month_max: int = 0
    chronic_threshold: int = 0
    #: the student's weighted average in their other journals of the term, and its marks
    prior: float | None = None
    prior_count: int = 0


@dataclass(frozen=True)
class Result:
    expected: int | None
    low: int | None
    high: int | None
    risk: str
    reasons: tuple[str, ...]
    current: float | None
    #: the expected weighted average at the term's end and its standard deviation
    mean: float | None = None
    sd: float | None = None


def number(value: float, digits: int = 1) -> str:
    """A number as Russian text writes it: a decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def clamp_mark(value: float) -> int:
    """The mark a weighted average rounds to (Python's rounding, as ``proposed_final``)."""
    return max(2, min(5, round(value)))


def _normal_below(x: float, mean: float, sd: float) -> float:
    if sd <= 0:
        return 1.0 if mean < x else 0.0
    return 0.5 * (1 + math.erf((x - mean) / (sd * math.sqrt(2))))


def binomial_below(k: int, n: int, p: float) -> float:
    """P(X < k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 0.0
    if n <= 0:
        return 1.0
    p = min(max(p, 0.0), 1.0)
    total = 0.0
    for i in range(min(k, n + 1)):
        total += math.comb(n, i) * p ** i * (1 - p) ** (n - i)
    return min(1.0, total)


def _day_text(day: date) -> str:
    return f"{day:%d.%m}"


def forecast(data: Inputs) -> Result:
    weights = data.weights
    counted = [m for m in data.marks if m.value and m.value not in SPECIAL]
    five = [(int(m.value), float(weights.get(m.mark_type, 1.0)), m) for m in counted
            if m.value in FIVE_POINT]
    five = [(v, w, m) for v, w, m in five if w > 0]
    n = len(five)
    total_w = sum(w for _v, w, _m in five)
    current = sum(v * w for v, w, _m in five) / total_w if total_w else None
    reasons: list[str] = []

    # 1. level, shrunk towards the other journals' average
    if current is not None and data.prior is not None:
        level = (PRIOR_WEIGHT * data.prior + total_w * current) / (PRIOR_WEIGHT + total_w)
    else:
        level = current if current is not None else data.prior
    if current is None:
        reasons.append(_("Текущих оценок пока нет."))
    else:
        reasons.append(_("Текущий средний балл %(avg)s по %(n)d оценкам.",
                         avg=number(current, 2), n=n))
    if data.prior is not None and level is not None and (current is None
                                                          or abs(level - current) >= 0.05):
        reasons.append(_("Учтён средний балл по другим дисциплинам семестра — %(avg)s "
                         "(%(n)d оценок) — с весом %(w)s оценок.",
                         avg=number(data.prior, 2), n=data.prior_count,
                         w=number(PRIOR_WEIGHT, 0)))

    # 2. trend: weighted least squares over the days, damped
    days_left = max(0, (data.term_end - data.day).days)
    shift = 0.0
    residual_sd = DEFAULT_SD
    if n >= 2:
        origin = min(m.day for _v, _w, m in five)
        ts = [(m.day - origin).days for _v, _w, m in five]
        t_mean = sum(t * w for t, (_v, w, _m) in zip(ts, five, strict=True)) / total_w
        sxx = sum(w * (t - t_mean) ** 2 for t, (_v, w, _m) in zip(ts, five, strict=True))
        slope = 0.0
        if n >= TREND_MIN_MARKS and max(ts) - min(ts) >= TREND_MIN_DAYS and sxx > 0:
            sxy = sum(w * (t - t_mean) * (v - current)
                      for t, (v, w, _m) in zip(ts, five, strict=True))
            slope = sxy / sxx
            now = (data.day - origin).days
            shift = slope * n / (n + TREND_DAMPING) * (now + days_left / 2 - t_mean)
            shift = max(-TREND_MAX_SHIFT, min(TREND_MAX_SHIFT, shift))
        fitted = [current + slope * (t - t_mean) for t in ts]
        squares = sum(w * (v - f) ** 2 for (v, w, _m), f in zip(five, fitted, strict=True))
        sample = squares / total_w * n / (n - 1)
        residual_sd = math.sqrt((n * sample + 2 * DEFAULT_SD ** 2) / (n + 2))
        if abs(shift) >= 0.15:
            half = sorted(five, key=lambda item: item[2].day)
            first, last = half[: n // 2], half[n // 2:]
            avg_first = sum(v * w for v, w, _m in first) / sum(w for _v, w, _m in first)
            avg_last = sum(v * w for v, w, _m in last) / sum(w for _v, w, _m in last)
            template = (_("Оценки снижаются: в первой половине в среднем %(a)s, затем %(b)s; "
                          "тренд с затуханием даёт %(shift)s балла к концу семестра.")
                        if shift < 0 else
                        _("Оценки растут: в первой половине в среднем %(a)s, затем %(b)s; "
                          "тренд с затуханием даёт +%(shift)s балла к концу семестра."))
            reasons.append(template % {"a": number(avg_first, 2), "b": number(avg_last, 2),
                                       "shift": number(shift, 1)})

    # 3. the marks to come
    have = len(counted)
    pace = (have + PACE_PRIOR * PACE_PRIOR_LESSONS) / (data.lessons_held + PACE_PRIOR_LESSONS)
    pace = min(pace, 1.5)
    to_come = pace * data.lessons_left
    share_five = n / have if have else 1.0
    mean_w = total_w / n if n else 1.0
    future_w = to_come * share_five * mean_w
    mean = sd = None
    if level is not None:
        future_level = max(2.0, min(5.0, level + shift))
        if total_w + future_w > 0:
            mean = (total_w * (current or 0.0) + future_w * future_level) / (total_w + future_w)
        else:
            mean = future_level
        eff_n = (total_w ** 2 / sum(w * w for _v, w, _m in five)) if n else 0.0
        level_var = residual_sd ** 2 / (eff_n + (PRIOR_WEIGHT if data.prior is not None else 0)
                                         or 1.0)
        whole = total_w + future_w
        if whole > 0:
            var = (future_w * mean_w * residual_sd ** 2 + future_w ** 2 * level_var) / whole ** 2
        else:
            var = level_var
        sd = math.sqrt(var)
    if data.lessons_left:
        reasons.append(_("До конца семестра осталось занятий: %(n)d; ожидается ещё около "
                         "%(m)s оценок.", n=data.lessons_left, m=number(to_come, 0)))

    low_marks = sorted((item for item in five if item[0] <= 3),
                       key=lambda item: (item[0], -item[1], -item[2].day.toordinal()))[:3]
    if low_marks and (mean is None or mean < 3.5):
        named = ", ".join(
            _("«%(v)s» (%(kind)s, %(day)s)", v=v, kind=data.kind_titles.get(m.mark_type,
                                                                          m.mark_type),
              day=_day_text(m.day)) for v, _w, m in low_marks)
        reasons.append(_("Тянут вниз: %(marks)s.", marks=named))

    # 4. risks
    na = False
    short = max(0, data.needed - have)
    if short:
        chance = binomial_below(short, data.lessons_left, min(pace, 1.0))
        reasons.append(_("Для аттестации не хватает оценок: %(short)d из %(needed)d; "
                         "вероятность не набрать их — %(p)s%%.",
                         short=short, needed=data.needed, p=number(100 * chance, 0)))
        na = na or chance >= NA_PROBABILITY
    have_kinds = {m.mark_type for m in counted}
    missing = [kind for kind in data.required_kinds if kind not in have_kinds]
    if missing:
        reasons.append(_("Нет оценок за обязательные виды работ: %(kinds)s.",
                         kinds=", ".join(data.kind_titles.get(k, k) for k in missing)))
        na = na or data.lessons_left < KIND_LESSONS_LEFT
    if data.unexcused_hours:
        reasons.append(_("Пропущено без уважительной причины %(h)d ч из %(held)d ч занятий.",
                         h=data.unexcused_hours, held=data.hours_held))
        if data.hours_held and data.unexcused_hours >= NA_ABSENCE_SHARE * data.hours_held:
            na = True
    if data.chronic_threshold and data.unexcused_month_max >= data.chronic_threshold:
        reasons.append(_("Систематические пропуски: %(h)d ч без уважительной причины за месяц "
                         "(порог — %(t)d ч).", h=data.unexcused_month_max,
                         t=data.chronic_threshold))
    if mean is None:
        return Result(None, None, None, "na" if na else "none", tuple(reasons), current)
    expected = clamp_mark(mean)
    low, high = clamp_mark(mean - sd), clamp_mark(mean + sd)
    risk = "na" if na else ("fail" if _normal_below(FAIL_BELOW, mean, sd) >= FAIL_PROBABILITY
                            else "none")
    return Result(expected, min(low, expected), max(high, expected), risk, tuple(reasons),
                  current, mean, sd)
