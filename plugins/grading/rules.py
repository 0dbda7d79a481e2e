"""Pure rules of grading: scales and strict value parsing, weighted averages, the minimum marks.

Nothing here touches the database: the services feed it rows and policy values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

FIVE = "five"
PASS_FAIL = "pass_fail"
SCALES = (FIVE, PASS_FAIL)

#: mark types (the kind of work a mark is for); keys used by ``grades.min_marks_required_kinds``
MARK_TYPES: dict[str, object] = {
    "oral": _l("устный ответ"),
    "written": _l("письменная работа"),
    "control": _l("контрольная работа"),
    "laboratory": _l("лабораторная работа"),
    "practical": _l("практическая работа"),
}

#: short labels of the mark types, for the grid's narrow column headers
MARK_TYPE_LABELS: dict[str, object] = {
    "oral": _l("устн."),
    "written": _l("письм."),
    "control": _l("контр."),
    "laboratory": _l("лаб."),
    "practical": _l("практ."),
}

#: the mark type a lesson's type of work fixes (journal's ``work_type`` keys); on other lessons
#: (a lecture, a combined lesson, ...) the teacher chooses it, "oral" unless chosen
WORK_TYPE_MARK_TYPE = {
    "control": "control",
    "test": "control",
    "exam": "control",
    "credit": "control",
    "laboratory": "laboratory",
    "practical": "practical",
    "self_study": "written",
    "independent": "written",
    "written": "written",
}

#: final grades (a period's result)
FINAL_KINDS: dict[str, object] = {
    "term": _l("Семестр"),
    "year": _l("Год"),
    "exam": _l("Экзамен"),
    "diff_credit": _l("Дифф. зачёт"),
    "credit": _l("Зачёт"),
    "course_work": _l("Курсовая работа"),
    "qual_exam": _l("Квалификационный экзамен"),
}

#: special marks: stored value -> shown text
SPECIAL = {"na": "н/а", "exempt": "осв.", "debt": "Д"}


@dataclass(frozen=True)
class Parsed:
    """A valid mark: ``value`` as stored ("5", "pass", "fail", "na", ...) and its ``text``."""

    value: str
    text: str

    @property
    def points(self) -> int | None:
        """The number that counts in an average (only 5-point marks count)."""
        return int(self.value) if self.value in ("2", "3", "4", "5") else None

    @property
    def is_mark(self) -> bool:
        """Counts as a current mark for the minimum (a grade, not a special mark)."""
        return self.value not in SPECIAL


class InvalidValue(ValueError):
    """A typed value that is not a mark of the scale; ``message`` is Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_PASS_FAIL_INPUT = {"з": "pass", "зач": "pass", "зачёт": "pass", "зачет": "pass",
                    "зачтено": "pass", "зач.": "pass",
                    "нз": "fail", "н/з": "fail", "незач": "fail", "незач.": "fail",
                    "незачёт": "fail", "незачет": "fail", "не зач": "fail", "не зачёт": "fail",
                    "не зачет": "fail", "не зачтено": "fail", "незачтено": "fail"}

#: final kinds that are pass/fail whatever the discipline's scale (a «Зачёт» is зачтено or not;
#: a «Дифф. зачёт» is graded): their column takes «зач», «зачёт», «незач», «нз» …
PASS_FAIL_FINALS = frozenset({"credit"})
_SPECIAL_INPUT = {"н/а": "na", "на": "na", "осв": "exempt", "осв.": "exempt", "д": "debt"}
_TEXT = {"pass": "зач", "fail": "нз", **SPECIAL}


#: stored values that count as failing: a 2 and «не зачтено» (current marks or finals) and, as a
#: period's result, н/а and Д; the values of the scales never overlap, so no scale is needed
FAILING = frozenset({"2", "fail", "na", "debt"})


def is_failing(value: str | None) -> bool:
    """Whether a stored value (of either scale, current or final) is a failing mark."""
    return value in FAILING


def text_of(value: str) -> str:
    """What a stored value shows in a cell."""
    return _TEXT.get(value, value)


_WORDS = {"pass": _l("зачтено"), "fail": _l("не зачтено")}


def words_of(value: str) -> str:
    """How a sentence names a stored value («не зачтено»); otherwise as the cell shows it."""
    return str(_WORDS[value]) if value in _WORDS else text_of(value)


def scale_of_final(kind: str, scale: str) -> str:
    """The scale a final of ``kind`` is given in, for a discipline of ``scale``."""
    return PASS_FAIL if kind in PASS_FAIL_FINALS else scale


def parse_value(raw: object, scale: str = FIVE, *, final: bool = False) -> Parsed:
    """Parse what a teacher typed, strictly: no trimming, no guessing.

    Current marks accept only the scale's marks; the special marks н/а (не аттестован),
    осв. (освобождён) and Д (долг) are results of a period, accepted only as finals. The
    pass/fail scale takes the usual spellings of «зачтено» and «не зачтено», in any case.
    """
    if not isinstance(raw, str) or raw == "":
        raise InvalidValue(str(_l("Пустое значение: чтобы удалить оценку, очистите ячейку")))
    if raw != raw.strip():
        raise InvalidValue(str(_l("Лишние пробелы в оценке «%(value)s»", value=raw)))
    key = raw.lower()
    if scale == FIVE and raw in ("2", "3", "4", "5"):
        return Parsed(raw, raw)
    if scale == PASS_FAIL and key in _PASS_FAIL_INPUT:
        value = _PASS_FAIL_INPUT[key]
        return Parsed(value, text_of(value))
    if key in _SPECIAL_INPUT:
        value = _SPECIAL_INPUT[key]
        if final:
            return Parsed(value, text_of(value))
        raise InvalidValue(str(_l("«%(value)s» ставится только итоговой оценкой", value=raw)))
    if scale == FIVE:
        raise InvalidValue(str(_l("«%(value)s» — не оценка: допустимы 5, 4, 3 или 2",
                                  value=raw)))
    raise InvalidValue(str(_l("«%(value)s» — не оценка: допустимы «з» (зачтено), «нз» "
                              "(не зачтено)", value=raw)))


def weighted_average(marks: Iterable[tuple[str, str]], weights: Mapping[str, float]) -> float | None:
    """The weighted average of ``(value, mark_type)`` pairs; special and pass/fail marks skipped.

    A type missing from ``weights`` weighs 1; ``None`` when no mark counts.
    """
    total = weight_sum = 0.0
    for value, mark_type in marks:
        if value not in ("2", "3", "4", "5"):
            continue
        weight = float(weights.get(mark_type, 1.0))
        total += int(value) * weight
        weight_sum += weight
    if weight_sum <= 0:
        return None
    return total / weight_sum


def min_marks_for(tiers: Iterable[Mapping[str, int]], hours_per_week: float) -> int:
    """The number of current marks a final needs at ``hours_per_week`` (the highest tier reached)."""
    needed = 0
    for tier in sorted(tiers, key=lambda t: t["hours_from"]):
        if hours_per_week >= tier["hours_from"]:
            needed = tier["count"]
    return needed


@dataclass(frozen=True)
class Shortfall:
    """How far a student is from the minimum: missing marks and missing required kinds."""

    needed: int
    have: int
    missing_kinds: tuple[str, ...]

    @property
    def marks_short(self) -> int:
        return max(0, self.needed - self.have)

    @property
    def ok(self) -> bool:
        return self.marks_short == 0 and not self.missing_kinds

    def describe(self) -> str:
        parts = []
        if self.marks_short:
            parts.append(str(_l("не хватает оценок: %(n)d из %(needed)d",
                                n=self.marks_short, needed=self.needed)))
        if self.missing_kinds:
            kinds = ", ".join(str(MARK_TYPES.get(k, k)) for k in self.missing_kinds)
            parts.append(str(_l("нет оценок за: %(kinds)s", kinds=kinds)))
        return "; ".join(parts)


def shortfall(
    marks: Iterable[tuple[str, str]],
    tiers: Iterable[Mapping[str, int]],
    required_kinds: Iterable[str],
    hours_per_week: float,
    declared_kinds: Iterable[str] | None = None,
) -> Shortfall:
    """Judge the minimum-marks rule for one student's ``(value, mark_type)`` current marks.

    ``required_kinds`` (the preset's) count only among ``declared_kinds``, the kinds of work the
    teaching load declares: nobody is short of a laboratory mark in a journal without laboratory
    work, and a declared kind stays required even before its first lesson is held.
    """
    counted = [(v, t) for v, t in marks if v not in SPECIAL]
    have_kinds = {t for _, t in counted}
    required = list(required_kinds)
    if declared_kinds is not None:
        declared = set(declared_kinds)
        required = [k for k in required if k in declared]
    missing = tuple(k for k in required if k not in have_kinds)
    return Shortfall(min_marks_for(tiers, hours_per_week), len(counted), missing)
