"""Values passed across hooks. Plugins build these; the core reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MigrationSource:
    """A migration history: ``name`` is its branch (``core`` or the plugin name).

    ``table_prefix`` selects the tables autogenerate may touch; the version table is
    ``alembic_version`` for the core and ``alembic_version_<name>`` for a plugin.
    """

    name: str
    path: Path
    table_prefix: str

    @property
    def version_table(self) -> str:
        return "alembic_version" if self.name == "core" else f"alembic_version_{self.name}"


@dataclass(frozen=True)
class SettingSpec:
    """A typed per-college setting with its default and a Russian title for the admin form."""

    key: str
    type: type
    default: Any
    title: str
    help: str = ""


@dataclass(frozen=True)
class Permission:
    """An action and the roles that may perform it (scope is checked separately)."""

    action: str
    roles: frozenset[str]
    title: str = ""


@dataclass(frozen=True)
class EventHandler:
    """Subscribe ``handler(event)`` to a domain event: its class (a ``core.events.DomainEvent``
    subclass), or its name ("grade.posted"; ``*`` for all) where the subscriber does not require
    the event's owner.

    ``phase="in_transaction"`` runs inside the transaction that raised the event, before commit
    (write outbox rows there); ``"after_commit"`` runs only once the change is committed.
    """

    event: str | type
    handler: Callable[[Any], None]
    phase: Literal["in_transaction", "after_commit"] = "after_commit"

    @property
    def event_name(self) -> str:
        """The name of the event subscribed to, whether given as a class or a name."""
        return self.event if isinstance(self.event, str) else self.event.name


@dataclass(frozen=True, kw_only=True)
class HealthCheck:
    """One reading of the system's state, computed when asked (``/healthz``, ``/metrics``,
    the administrator's health page).

    ``key`` names it in ``/healthz`` and in the gauge ``ejournal_health_<key>`` (letters, digits,
    ``_``); ``label`` is its Russian title; ``value`` a number for the gauge (an age in seconds,
    a count) or ``None``; ``detail`` a short text for people (no personal data).
    """

    key: str
    label: str
    ok: bool
    value: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class NavItem:
    """A main-menu entry; ``order`` sorts the menu (lower first). ``section`` is one of
    ``NAV_SECTIONS``: a long menu (the staff's) gathers a section's items under one drop-down;
    without one the item stands on its own."""

    title: str
    endpoint: str
    order: int = 100
    values: dict[str, Any] = field(default_factory=dict)
    #: a count shown beside the title (unread messages); ``None`` or 0 shows nothing
    badge: int | None = None
    section: str = ""


#: the main menu's drop-downs, by the ``section`` of ``NavItem``
NAV_SECTIONS: dict[str, Any] = {
    "journal": _l("Журнал"),
    "talk": _l("Общение"),
    "control": _l("Контроль и отчёты"),
}


@dataclass(frozen=True)
class Widget:
    """A home-page block rendered from ``template`` with ``context``."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class AboutItem:
    label: str
    value: str


@dataclass(frozen=True)
class DiaryNote:
    """What a plugin shows in a lesson's row of a student's diary: a mark, an absence; with
    ``detail`` a line under the lesson (the answer to a flagged mark), with ``link`` an action
    on it (``link_title``: its words, e.g. «Сообщить об ошибке»)."""

    text: str
    title: str = ""
    css: str = ""
    detail: str = ""
    link: str = ""
    link_title: str = ""


@dataclass(frozen=True)
class DiarySection:
    """A table under a student's diary week (marks by discipline, absences): plain texts, which
    the template escapes; ``links``: (words, address) of the site's pages shown under it (a
    discipline's materials)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    order: int = 100
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TeachingTie:
    """Who teaches a student (``student_teachers``): the teacher's user id and the discipline's
    title («ОП.04 Основы алгоритмизации»), for the address book of messages."""

    student_id: int
    teacher_id: int
    discipline: str


@dataclass(frozen=True)
class ScheduledJob:
    """A job the worker runs: ``schedule`` holds ``huey.crontab`` arguments (UTC), e.g.
    ``{"minute": "0"}`` for every hour; ``run()`` is called inside a request context of
    ``PUBLIC_URL``, as worker tasks are."""

    name: str
    schedule: dict[str, str]
    run: Callable[[], Any]


@dataclass(frozen=True)
class PurgeCount:
    """What a ``purge_records`` implementation removed (or, in a dry run, would remove) from one
    of its tables: ``table`` as in the database, ``title`` for people («Текущие оценки»)."""

    plugin: str
    table: str
    title: str
    count: int


@dataclass(frozen=True)
class WorkerTask:
    """A task the worker runs when asked (``core.worker.enqueue_task(name, *args)``), inside a
    request context of ``PUBLIC_URL`` (``url_for`` works): a long report, an archive. Arguments
    must be plain values (ids, strings)."""

    name: str
    run: Callable[..., Any]


# --- reports -----------------------------------------------------------------------------------

#: the parameters a report may ask for; the reports plugin offers only what the user may choose
#: and refuses (404) a value outside the user's scope
REPORT_PARAMS = ("group", "teacher", "student", "commission", "period", "year", "month")


@dataclass(frozen=True)
class ReportQuery:
    """A report's checked parameters: every id given is within ``user``'s scope. ``progress(done,
    total)`` tells a long report's progress bar how far it is."""

    user: Any
    group_id: int | None = None
    teacher_id: int | None = None
    student_id: int | None = None
    #: a subject commission (ПЦК), ``core.people.models.SubjectCommission``
    commission_id: int | None = None
    start: Any = None  # date
    end: Any = None  # date
    year_id: int | None = None
    progress: Callable[[int, int], None] = lambda done, total: None

    @property
    def period_line(self) -> str:
        """«Период: 01.09.2026 – 28.12.2026», the line every report of a period prints."""
        from flask_babel import gettext

        return gettext("Период: %(start)s – %(end)s", start=self.start.strftime("%d.%m.%Y"),
                       end=self.end.strftime("%d.%m.%Y"))


@dataclass(frozen=True)
class ReportTable:
    """A table of a report: plain values (str, int, float, None), which templates escape and XLSX
    keeps as numbers. ``footer`` rows (totals) are set apart. ``page_break`` starts it on a new page
    in print."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    footer: list[list[Any]] = field(default_factory=list)
    note: str = ""
    page_break: bool = False
    #: a layout the print template knows ("grid": many narrow columns)
    style: str = ""
    #: the column that names the row (a student), printed wider; columns before it (№) narrow
    label_column: int = 0


@dataclass(frozen=True)
class ReportChart:
    """A chart drawn on screen as SVG: ``series`` is a list of (name, values by label)."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    kind: Literal["bar", "line"] = "bar"
    unit: str = ""


@dataclass(frozen=True)
class SummaryFigures:
    """A plugin's columns in a summary report of journals (``summary_figures``): their titles and,
    for each row key it was asked about, the values (plain numbers, ``None`` for none)."""

    plugin: str
    columns: list[str]
    values: dict[Any, list[Any]]
    order: int = 100
    #: a footnote the report prints under the table (how the values were found)
    note: str = ""


@dataclass(frozen=True)
class Signature:
    """A signature line of a printed statement: who signs («Директор») and, when known, the
    name printed beside the line (``core.people.signers`` makes the usual ones)."""

    who: str
    name: str = ""


@dataclass(frozen=True)
class ReportResult:
    """What a report's data function returns; HTML, PDF and XLSX are rendered from it alone."""

    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)
    #: who signs the printed statement, with a seal block
    signatures: list[Signature] = field(default_factory=list)
    #: a title page before the tables (the printed journal)
    title_page: list[str] = field(default_factory=list)
    landscape: bool = False


@dataclass(frozen=True)
class ReportProvider:
    """A report, from ``report_providers``: its ``name`` ("grading.progress"), title, group on the
    reports page ("progress", "attendance", "statements", "control", "activity", "family"), the
    parameters of ``REPORT_PARAMS`` it needs, the roles that may run it and its data function.
    A ``long`` report runs in the worker with a progress bar; ``keep_years`` is how long the
    college keeps the printed statement (5 or 25 years)."""

    name: str
    title: Any
    category: str
    params: tuple[str, ...]
    roles: frozenset[str]
    build: Callable[[ReportQuery], ReportResult]
    description: Any = ""
    long: bool = False
    keep_years: int | None = None
    order: int = 100

    @classmethod
    def of_group(cls, name: str, title: Any, category: str, build: Callable, *,
                 year: bool = False, **more: Any) -> ReportProvider:
        """A report of one group over a period (over an academic year when ``year``), run by
        the group's staff (``core.people.roles.GROUP_STAFF``)."""
        from core.people.roles import GROUP_STAFF

        return cls(name, title, category, ("group", "year" if year else "period"), GROUP_STAFF,
                   build, **more)

    @classmethod
    def statement(cls, name: str, title: Any, build: Callable, keep_years: int,
                  **more: Any) -> ReportProvider:
        """A group's summary statement of an academic year («сводная ведомость»), kept
        ``keep_years`` by the college."""
        return cls.of_group(name, title, "statements", build, year=True,
                            keep_years=keep_years, **more)


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One gap of the journal's filling (``control_findings``): of ``kind`` (a code such as
    "journal.no_topic"), titled ``label`` (Russian), in the journal ``load_id`` of the teacher
    ``teacher_id`` (no journal for a gap that is the teacher's, as an unanswered message),
    ``count`` times; ``day`` the first day concerned, ``severity`` "warning" or "error",
    ``detail`` a short Russian line (dates, names)."""

    kind: str
    label: str
    teacher_id: int
    load_id: int | None = None
    group_id: int | None = None
    day: date | None = None
    count: int = 1
    severity: str = "warning"
    detail: str = ""
# --- the archive (declared here, called by plugins/archive) -------------------------------------


@dataclass(frozen=True)
class ArchiveBlocker:
    """Why a period cannot be archived yet: a Russian ``title`` («Не выставлены итоговые
    оценки»), how many things it counts and a few of them named (``examples``)."""

    title: str
    count: int
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArchiveTable:
    """A table of a period's data for the archive's CSV and JSON (docs/archive.md): ``name``
    is the file's stem («marks»), ``columns`` its header, ``rows`` plain values (str, int,
    float, None, dates). ``retention`` is "journal" or "statement" (kept 5 or 25 years);
    ``title`` names it for a person («Оценки»)."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    retention: str = "journal"
    title: str = ""


@dataclass(frozen=True)
class ArchivedReport:
    """A report's file kept in the archive, served instead of being built again."""

    content: bytes
    filename: str
    mimetype: str = "application/pdf"


@dataclass(frozen=True)
class AuditLabels:
    """Russian labels of what the audit log shows (``audit_labels`` hook): ``actions`` names each
    action code a plugin records (``"auth.login"`` → «Вход в систему»), ``fields`` the keys of
    its details (``"group_id"`` → «Группа (№)»), ``targets`` the kinds of objects
    (``"Student"`` → «Обучающийся»), ``values`` the stored words of a field (``{"status":
    {"pending": "ожидает"}}``)."""

    actions: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
