"""Grading in the journal's grid: marks as cells (one query) and the columns on the right
(average, shortfall, finals: a fixed few queries whatever the size of the journal)."""

from __future__ import annotations

from collections import defaultdict

from flask import g, url_for
from flask_babel import gettext as _

from core.plugins import hookimpl
from plugins.grading import flag_lists, flags, rules, services
from plugins.journal.api import Cell, CellSaver, CellSource, Column, ValueType
from plugins.journal.batch import typed_saver
from plugins.journal.corrections import show_pending


def _page_marks(load, lesson_ids: list[int]):
    """The page's mark rows, read once per request (the columns reuse them)."""
    cache = g.setdefault("grading_page_marks", {})
    key = (load.id, tuple(lesson_ids))
    if key not in cache:
        cache[key] = services.load_marks(lesson_ids)
    return cache[key]


def _saver(load) -> CellSaver:
    """The saver of the load's marks and finals, one for both (a grid form's marks and finals
    are one batch), made once per request."""
    cache = g.setdefault("grading_savers", {})
    if load.id not in cache:
        cache[load.id] = typed_saver("grading", load, services.save_cells)
    return cache[load.id]


def _can_write(user, load) -> bool:
    """Whether ``user`` writes the whole journal (finals need that; a substitute does not)."""
    from plugins.journal import api as journal

    return bool(user.is_authenticated and journal.can_edit(user, load))


LOW = rules.FAILING


def _editable_lessons(load, lessons, user) -> frozenset[int]:
    """Lessons whose marks ``user`` may change now (one batch question for the page)."""
    from plugins.journal import api as journal

    return journal.editable_lesson_ids(user, load, lessons, "grade.edit",
                                       lambda lesson: services.MarkTarget(load, lesson, 0))


def _css(live) -> str:
    css = []
    if any(m.corrected for m in live):
        css.append("cell-corrected")
    if any(m.value in LOW for m in live):
        css.append("cell-low")
    return " ".join(css)


@hookimpl(specname="journal_cells")
def cells(load, lessons, students, user) -> CellSource:
    rows = _page_marks(load, [lesson.id for lesson in lessons])
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for row in rows:
        grouped[(row.lesson_id, row.student_id)].append(row)
    editable_lessons = _editable_lessons(load, lessons, user)
    titles = {kind: str(title) for kind, title in rules.MARK_TYPES.items()}  # once, not per mark
    out: dict[tuple[int, int], Cell] = {}
    for key, marks in grouped.items():
        editable = key[0] in editable_lessons
        if len(marks) == 1:  # the common case, kept quick: a 30 × 80 journal has 2,400 cells
            mark = marks[0]
            if not mark.value:
                if editable:
                    out[key] = Cell(text="", editable=True, version=mark.version)
                continue
            text = rules.text_of(mark.value)
            css = "cell-low" if mark.value in LOW else ""
            if mark.corrected:
                css = f"cell-corrected {css}".strip()
            out[key] = Cell(text, titles.get(mark.mark_type, mark.mark_type), css, editable,
                            text, mark.version)
            continue
        live = [m for m in marks if m.value]
        version = sum(m.version for m in marks)
        text = "/".join(rules.text_of(m.value) for m in live)
        if not text and not editable:
            continue
        title = ", ".join(titles.get(m.mark_type, m.mark_type) for m in live)
        out[key] = Cell(text=text, title=title, css=_css(live), editable=editable, value=text,
                        version=version)
    # the cells with a correction waiting for approval (one query for the page)
    show_pending(out, services.pending_in([lesson.id for lesson in lessons]), editable_lessons,
                 empty="—")
    if flags.may_read(user, load):  # the marks families flagged (one query for the page)
        flag_lists.show_flags(out, flag_lists.open_in(load.id), editable_lessons)
    from core.people.scope import is_staff

    return CellSource(plugin="grading", cells=out, save=_saver(load),
                      editable_lessons=editable_lessons,
                      history_url=url_for("grading.history") if is_staff(user) else None,
                      order=10, value_types=_value_types(),
                      lesson_types=_lesson_types(lessons, editable_lessons, rows),
                      label=_("оценка"))


def _value_types() -> tuple[ValueType, ...]:
    return tuple(ValueType(key, str(rules.MARK_TYPE_LABELS[key]), str(title))
                 for key, title in rules.MARK_TYPES.items())


def _lesson_types(lessons, editable_lessons, rows) -> dict[int, str]:
    """The type preset for new marks in each editable lesson whose type of work does not fix
    it: the type most of its marks already have, else oral."""
    free = {lesson.id for lesson in lessons if lesson.id in editable_lessons
            and services.fixed_mark_type(lesson.work_type) is None}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row.value and row.lesson_id in free:
            counts[row.lesson_id][row.mark_type] += 1
    return {lesson_id: max(counts[lesson_id], key=counts[lesson_id].get)
            if counts.get(lesson_id) else "oral" for lesson_id in free}


def _final_cell(current, editable: bool) -> Cell:
    text = rules.text_of(current.value) if current else ""
    return Cell(text=text, value=text, version=current.version if current else None,
                editable=editable,
                css="cell-low" if current and current.value in ("2", "fail", "na", "debt") else "")


@hookimpl(specname="journal_columns")
def columns(load, students, user) -> list[Column]:
    from plugins.journal import api as journal

    lessons = journal.lessons(load)
    rows = _page_marks(load, [lesson.id for lesson in lessons])
    marks: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        if row.value:
            marks[row.student_id].append((row.value, row.mark_type))
    weights = services.weights()
    finals = services.finals_of(load.id)
    exceptions = services.exception_ids(load.id)
    writable = _can_write(user, load)
    locked = writable and services.is_locked(load, finals)  # the administrator's too
    average, minimum, final = {}, {}, {}
    for student in students:
        mine = marks.get(student.id, [])
        value = rules.weighted_average(mine, weights)
        short = services.shortfall_of(load, student.id, mine)
        css = "" if short.ok else "cell-short"
        average[student.id] = Cell(text="" if value is None else f"{value:.2f}",
                                   title=short.describe(), css=css)
        if not short.ok:
            exempt = student.id in exceptions
            minimum[student.id] = Cell(
                text=_("исключение") if exempt else (f"−{short.marks_short}"
                                                    if short.marks_short else "!"),
                title=short.describe(), css="" if exempt else "cell-short")
        final[student.id] = _final_cell(finals.get((student.id, "term")), writable and not locked)
    columns = [
        Column(key="average", title=_("Ср."), plugin="grading", cells=average, order=100),
        Column(key="minimum", title=_("Мин."), plugin="grading", cells=minimum, order=110),
        Column(key="term_final", title=_("Итог"), plugin="grading", cells=final,
               save=_saver(load), order=120),
    ]
    shown = set(services.assessment_kinds(load.id)) | {k for (_s, k) in finals}
    for kind in [k for k in rules.FINAL_KINDS if k in shown and k != "term"]:
        others = {student.id: _final_cell(finals.get((student.id, kind)), writable and not locked)
                  for student in students}
        columns.append(Column(key=f"{kind}_final", title=str(rules.FINAL_KINDS[kind]),
                              plugin="grading", cells=others,
                              save=_saver(load), order=130))
    return columns
