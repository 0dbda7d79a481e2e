"""The values exchanged through the journal's hooks (``core.plugins.hookspecs``): what the
journal hands the plugins that fill its grid and diary, and what they hand back.

Frozen (or slotted) dataclasses only, no queries: the journal plugin builds and reads them
(``plugins.journal.api`` re-exports them for the plugins), the hooks' docstrings name them here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# --- the journal's objects ----------------------------------------------------------------------


@dataclass(frozen=True)
class DisciplineInfo:
    id: int
    code: str
    name: str
    kind: str
    commission_id: int | None
    #: the kinds of work (``WORK_KINDS`` keys) its loads have unless a load says otherwise
    work_kinds: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.code} {self.name}".strip()


@dataclass(frozen=True)
class TermInfo:
    id: int
    number: int
    title: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class LoadInfo:
    """A teaching load: one journal (teacher × group or subgroup × discipline × term)."""

    id: int
    teacher_id: int
    group_id: int
    subgroup_id: int | None
    discipline: DisciplineInfo
    term: TermInfo
    hours_per_week: int
    hours_total: int
    #: the kinds of work (``WORK_KINDS`` keys) this journal has: its own declaration, else its
    #: discipline's; the minimum-marks rule requires marks of these kinds only
    work_kinds: tuple[str, ...] = ()
    #: whether ``work_kinds`` is the load's own declaration (not its discipline's default)
    own_work_kinds: bool = False


@dataclass(frozen=True)
class LessonInfo:
    id: int
    load_id: int
    date: date
    pair_number: int
    hours: int
    work_type: str
    topic: str
    homework: str
    homework_due: date | None
    taught_by_id: int | None
    version: int
    tasks_done: str = ""


@dataclass(frozen=True)
class RosterStudent:
    """A row of the grid: a member of the load's group (and subgroup) during the term."""

    id: int
    name: str
    short_name: str
    joined_on: date
    left_on: date | None
    subgroup_id: int | None

    def member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


@dataclass(frozen=True)
class StudentLoad:
    """A journal a student belongs to between two dates, and the days they belonged to it."""

    load: LoadInfo
    joined_on: date
    left_on: date | None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


# --- saving a cell ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellChange:
    """A cell the user changed: a lesson's (``lesson_id``) or a column's (``key``, a final),
    the value typed (``None`` for a malformed one) and the version the user saw (``None``: the
    cell was empty). ``mark_type`` is the lesson header's chosen type of the value, if any."""

    plugin: str
    student_id: int
    value: str | None
    version: int | None = None
    lesson_id: int | None = None
    key: str | None = None
    mark_type: str | None = None


@dataclass(frozen=True, slots=True)
class CellValue:
    """A cell as it stands: its text, the value an input shows, its version."""

    text: str
    value: str
    version: int | None


@dataclass(frozen=True, slots=True)
class CellResult:
    """What became of a ``CellChange``: saved (``status`` 200, ``current`` its new state), or
    refused with an HTTP-like ``status`` (404 not theirs, 409 locked or changed meanwhile,
    422 invalid) and a Russian ``reason``, ``current`` the state the refusal saw (if known).
    ``extra`` carries what the plugin's grid needs besides (``correction_url``, the types of
    the marks)."""

    plugin: str
    student_id: int
    lesson_id: int | None
    key: str | None
    saved: bool
    current: CellValue | None
    status: int = 200
    reason: str = ""
    title: str = ""
    css: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


#: a source's saver: ``save(user, changes)`` saves all of ``changes`` or none (then the refused
#: ones come back with their reasons); the caller commits, or rolls back on a refusal
CellSaver = Callable[[Any, list[CellChange]], list[CellResult]]


# --- the grid's values --------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    """One cell of the grid, from one plugin (not frozen: a page builds thousands, and a frozen
    dataclass costs twice as much to create; treat it as read-only)."""

    text: str
    title: str = ""
    css: str = ""
    editable: bool = False
    value: str = ""
    version: int | None = None


@dataclass(frozen=True)
class LessonAction:
    """A button in a lesson's column header («все присутствуют»): it posts the grid's form (with
    its CSRF token) to ``url`` with the lesson id put in place of ``{lesson_id}``."""

    title: str
    label: str
    url: str
    lessons: frozenset[int]


@dataclass(frozen=True)
class ValueType:
    """A type a cell's value may have (a mark's kind of work): its key, the header's short label
    and its full title."""

    key: str
    label: str
    title: str


@dataclass(frozen=True)
class CellSource:
    """What a plugin returns from ``journal_cells``: its cells of the page and their saver."""

    plugin: str
    cells: dict[tuple[int, int], Cell]
    #: saves changed cells of this source (``None``: its cells are read-only)
    save: CellSaver | None = None
    editable_lessons: frozenset[int] = frozenset()
    #: where the grid asks for a cell's history (``?lesson_id=&student_id=``, JSON), if the user
    #: may see it
    history_url: str | None = None
    lesson_actions: tuple[LessonAction, ...] = ()
    #: Alt + a key (its ``KeyboardEvent.code``, "KeyN") types a value into this source's input in
    #: the focused cell and saves it: (("KeyN", "н"),) marks an absence from a mark's cell
    shortcuts: tuple[tuple[str, str], ...] = ()
    #: where in a cell this source's value stands (lower first: marks, then attendance)
    order: int = 100
    #: the types a value may have where its lesson does not fix one (a mark's kind of work)
    value_types: tuple[ValueType, ...] = ()
    #: lesson id -> the type preset in that lesson's header chooser, for the editable lessons
    #: whose type the teacher chooses; a saved change carries the choice as ``mark_type``, and
    #: Alt+T in a cell moves the chooser on and gives the cell's value that type
    lesson_types: dict[int, str] = field(default_factory=dict)
    #: what a screen reader adds to the row's and column's names of this source's input, so the
    #: two inputs of a cell are told apart («оценка», «посещаемость»)
    label: str = ""


@dataclass(frozen=True)
class Column:
    """A column right of the lessons (average, finals, ...): cells by student id, and the
    saver of its editable cells (``None``: read-only)."""

    key: str
    title: str
    plugin: str
    cells: dict[int, Cell]
    save: CellSaver | None = None
    order: int = 100


# --- what other plugins propose for a lesson and note beside a journal -------------------------


@dataclass(frozen=True)
class LessonSuggestion:
    """What a plugin proposes for a lesson being recorded (the next topic of the КТП): the
    teacher accepts it with one key. ``work_type`` is a ``Lesson.work_type`` key (or "");
    ``homework`` the self-study task; ``source`` says where it comes from («КТП, тема 12»)."""

    source: str
    topic: str
    work_type: str = ""
    homework: str = ""


@dataclass(frozen=True)
class LoadNote:
    """A short note shown beside a journal in the list of journals («КТП: отставание 4 ч»):
    ``tone`` is "success", "warning", "danger" or "secondary"; a link is
    ``url_for(endpoint, **values)`` when ``endpoint`` is set."""

    text: str
    tone: str = "secondary"
    endpoint: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageScript:
    """A script the grid page loads after its own (``journal_scripts``): its address, and
    ``data`` set as the tag's ``data-<key>`` attributes (the address of a lazily fetched feed,
    say), so the grid's own HTML and queries stay as they are."""

    src: str
    data: Mapping[str, str] = field(default_factory=dict)
