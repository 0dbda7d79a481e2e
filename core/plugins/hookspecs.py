"""Every hook of ejournal, each documented: when it is called and what it returns.

A plugin implements any of these in its ``plugin.py`` with ``@hookimpl``. Hooks return data
(dataclasses from ``core.plugins.types``), never HTML marked safe. A misspelt implementation stops
start-up. ``tests/test_hookspecs.py`` fails when a hook here has no docstring or no test.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("ejournal")


# --- set-up: called once while the app is built -------------------------------------------------


@hookspec
def register_models():
    """Import the plugin's model modules so their tables join the metadata; return nothing.

    The core does it for ``models.py`` or ``PluginInfo.models`` (``core.plugins.registration``)
    of a plugin that does not implement this hook."""


@hookspec
def register_blueprints(app):
    """Register the plugin's blueprints on ``app`` (one blueprint named after the plugin).

    The core does it for ``views.bp`` or ``PluginInfo.blueprints`` of a plugin that does not
    implement this hook."""


@hookspec
def register_cli(cli):
    """Add click commands or groups to the ``ejournal`` command group ``cli``."""


@hookspec
def migration_dirs():
    """Return a ``MigrationSource`` (or a list of them): a migration history the plugin owns.

    The core returns ``migrations/`` (or ``PluginInfo.migrations``) of a plugin that does not
    implement this hook."""


@hookspec
def settings_schema():
    """Return a list of ``SettingSpec``: typed per-college settings the plugin reads."""


@hookspec
def policy_schema():
    """Return a list of ``PolicyKey``: policy values the plugin adds to the presets' schema."""


@hookspec
def permissions():
    """Return a list of ``Permission``: actions the plugin defines and the roles that may do them.

    Collected once per app; asked only through ``core.people.permissions.can(user, action)``.
    """


@hookspec
def event_handlers():
    """Return a list of ``EventHandler``: subscribers to domain events, before or after commit."""


@hookspec
def health_checks():
    """Return a list of ``HealthCheck``: readings of the plugin's state taken now (a backup's
    age, a queue's depth). Called for ``/healthz`` (a failing check makes it "degraded"; only
    the database's answers 503), ``/metrics`` (each one a gauge) and the administrator's health
    page; keep it to a few cheap queries."""


# --- scope: who may see or change what (asked only by core/people/scope.py) -------------------


@hookspec
def scope_group_ids(user, access):
    """Return the ids of groups the plugin opens to ``user`` for ``access`` ("view" or "edit").

    E.g. the journal opens the groups a teacher teaches. The core adds its own rules (curator,
    administration, supervisors); ``core.people.scope`` unions every answer.
    """


@hookspec
def object_scope(user, target, access):
    """Judge ``access`` ("view" or "edit") by ``user`` to ``target``, an object the plugin owns.

    Return ``True`` or ``False`` for the plugin's own objects (a lesson, a teaching load) and
    ``None`` for anything else. Any ``False`` refuses; no ``True`` at all refuses too.
    """


@hookspec
def taught_group_ids(user, on):
    """Return the ids of the groups ``user`` teaches (holds a teaching load of) in the academic
    year containing the day ``on``: the address book's "the groups a teacher teaches"
    (``core.people.scope.address_book``; the journal answers)."""


@hookspec
def student_teachers(student_ids, on):
    """Return a list of ``TeachingTie``: who teaches which discipline to each of
    ``student_ids`` in the academic year containing ``on``, in the groups (and subgroups) they
    belong to on that day. Asked once for all of a family's students (the address book)."""


# --- the journal's grid (declared here, called by plugins/journal) -----------------------------
# The values these hooks receive and return are ``core.plugins.journal_contract``'s.


@hookspec
def journal_cells(load, lessons, students, user):
    """Return a ``core.plugins.journal_contract.CellSource`` (its cells and their saver) for the
    grid of ``load`` (a ``LoadInfo``) shown to ``user``, or ``None``.

    ``lessons`` (``LessonInfo``) and ``students`` (``RosterStudent``) are the page's columns
    and rows. Called ONCE per grid page with all of them, so an implementation makes a fixed
    number of queries whatever the journal's size (column rows, not ORM entities); the grid's
    save asks it again with only the saved cells' lessons and students, for the saver.
    """


@hookspec
def journal_columns(load, students, user):
    """Return a list of ``core.plugins.journal_contract.Column`` shown right of the lessons of
    ``load`` (a ``LoadInfo``) to ``user`` (averages, finals, each with its saver if its cells
    are written), for all ``students`` (``RosterStudent``) of the page at once."""


@hookspec
def lesson_editors(load, at):
    """Return ``{user_id: {(date, pair_number), ...}}``: the lessons of ``load`` (a
    ``core.plugins.journal_contract.LoadInfo``) that people besides its teacher may open and
    fill at the instant ``at`` (UTC), e.g. a substitute's, from the substitution's first day
    until its edit window closes. Those people see exactly those lessons and the roster (not the
    rest of the journal) and write them (topic, homework, marks, attendance) within the usual
    edit window. Called once per load and request; keyed by date and pair so that it holds for
    lessons not created yet. The journal's ``object_scope`` is the one rule that reads the
    answer."""


@hookspec
def guest_loads(user, at):
    """Return the ids of the loads of which ``user`` (not their teacher) may open some lessons
    at the instant ``at`` (UTC): those ``lesson_editors`` names them in for some load, e.g. a
    substitute's. The list of journals asks it once per request instead of asking
    ``lesson_editors`` of every load; the lessons themselves are still judged one by one."""


@hookspec
def lesson_absentees(lesson_ids):
    """Return ``{lesson_id: {student_id, ...}}``: the students marked absent at each of the
    lessons ``lesson_ids`` (a plugin that keeps attendance answers; a lesson nobody missed is
    left out). Grading asks it so that an absent student is not owed a mark of a written work;
    without an answer everyone counts as present."""


@hookspec
def journal_links(load, lesson, user):
    """Return a list of ``NavItem`` for ``user``, who may see the journal of ``load`` (a
    ``core.plugins.journal_contract.LoadInfo``): shown on its grid page when ``lesson`` is
    ``None``, on the page of ``lesson`` (a ``LessonInfo``) otherwise. Other plugins' pages about
    that journal or lesson: finals and the scale, who is short of marks, a lesson's mark
    history."""


@hookspec
def journal_scripts(load, user):
    """Return a list of ``core.plugins.journal_contract.PageScript``: scripts the grid page of
    ``load`` (a ``core.plugins.journal_contract.LoadInfo``) loads for ``user`` after its own,
    e.g. the forecast shown on hover over the final column. An implementation makes no query:
    what a script shows it fetches itself, lazily, so the grid's HTML and query count stay
    the same."""


@hookspec
def lesson_suggestions(load, lesson_date, user):
    """Return a list of ``core.plugins.journal_contract.LessonSuggestion`` for the form of a
    lesson of ``load`` (a ``LoadInfo``) held on ``lesson_date`` that ``user`` records: the next
    planned topic, its kind of work and self-study task. Called once per lesson page."""


@hookspec
def journal_list_notes(loads, user):
    """Return ``{load_id: [LoadNote, ...]}``: notes shown to ``user`` beside each of ``loads``
    (``core.plugins.journal_contract.LoadInfo``) in the list of journals (the plan's state, its
    lag). Called once per page with all its loads: a fixed number of queries."""


# --- the diary of students and parents (declared here, called by plugins/family) --------------


@hookspec
def diary_lesson_notes(student_id, lessons, user):
    """Return ``{lesson_id: [DiaryNote, ...]}``: what the plugin shows ``user`` (the student, a
    parent, staff) for the student ``student_id`` in the rows of their diary's lessons
    (``lessons``: ``core.plugins.journal_contract.LessonInfo`` of a week). Called once per diary
    page, so an implementation makes a fixed number of queries."""


@hookspec
def diary_sections(student_id, student_loads, start, end, user):
    """Return a list of ``DiarySection`` shown to ``user`` under the diary week of the student
    ``student_id``: e.g. marks by discipline with averages and finals, absences in hours by
    reason, for the term around the dates ``start``–``end``. ``student_loads`` are
    ``core.plugins.journal_contract.StudentLoad`` of the term."""


@hookspec
def diary_widgets(student_id, user):
    """Return a list of ``Widget`` shown above the diary week of the student ``student_id``
    (e.g. the current announcements of the student's group and college) as ``user`` (the
    student, a parent or staff) opens it, each rendered from its template, as the home page's
    blocks are. Called once per diary page."""


# --- notifications and the worker --------------------------------------------------------------


@hookspec
def notification_channels():
    """Return a list of ``core.outbox.Channel``: how the plugin delivers outbox messages of its
    channel ("email", "sms"), and when a message must wait (quiet hours, a daily cap)."""


@hookspec
def scheduled_jobs():
    """Return a list of ``ScheduledJob`` run by the worker (``ejournal worker``) on a schedule:
    weekly digests, reminders. A job must be safe to run twice (idempotency keys)."""


@hookspec
def worker_tasks():
    """Return a list of ``WorkerTask``: functions the worker runs when asked through
    ``core.worker.enqueue_task`` (a long report, an archive), each inside a request context of
    ``PUBLIC_URL``, so that ``url_for`` builds the links parents and staff open."""


@hookspec
def report_providers():
    """Return a list of ``ReportProvider``: the plugin's reports, each with its parameters, the
    roles that may run it and one data function (``ReportQuery`` -> ``ReportResult``) from which
    the reports plugin renders HTML, PDF and XLSX. The data function may trust the query's ids to
    be within the user's scope; it must still show only what the report is about."""


@hookspec
def summary_figures(rows, start, end):
    """Return a ``core.plugins.types.SummaryFigures``, or ``None``, for a summary report of
    journals: ``rows`` maps each row's key to the journals it sums up (a list of
    ``core.plugins.journal_contract.LoadInfo``: a group's, a teacher's, a whole commission's). The plugin
    names its columns and gives each key's values over ``start``–``end`` (grading: the results'
    absolute progress, quality and mean; attendance: the hours missed and unexcused). Called
    once per report, with every row."""


@hookspec
def filling_figures(loads, start, end):
    """Return a ``core.plugins.types.SummaryFigures``, or ``None``, for the journal's report
    «Заполнение журналов»: the plugin's columns about how each journal of ``loads`` (a list of
    ``core.plugins.journal_contract.LoadInfo``) is kept over the lessons dated ``start``–``end``
    (grading: the lessons of written work not checked in time), the values keyed by load id.
    Called once per report, with every journal, so an implementation makes a fixed number of
    queries."""


@hookspec
def summary_lines(student_id, start, end):
    """Return a few short lines (each under 40 characters, Russian) summing up the period
    ``start``–``end`` of a student (``student_id``) for the parents' SMS report: «средний балл 4,2», «пропущено 12 ч»."""


@hookspec
def control_findings(teacher_ids, start, end):
    """Return a list of ``core.plugins.types.Finding``: the gaps of the journal's filling the
    plugin computes (no topic, attendance not marked on the day, too few marks, late finals,
    substitutions not recorded, unanswered messages...) in the teaching loads of the teachers
    ``teacher_ids`` (a set of user ids; ``None``: every teacher) for lessons dated ``start`` to
    ``end`` inclusive (``datetime.date``). Called once per control page, check or mail, with
    every teacher at once, so an implementation makes a fixed number of queries."""


# --- request time ------------------------------------------------------------------------------


@hookspec
def policy_rules(action, user, target, at, policy):
    """Judge ``action`` by ``user`` on ``target`` at time ``at``.

    Return a ``Decision`` or ``None`` when the rule has nothing to say. Every implementation is
    asked; any deny wins. ``policy`` is the active ``PolicyValues``.
    """


@hookspec
def policy_rules_many(action, user, targets, at, policy):
    """Judge ``action`` by ``user`` on each of ``targets`` (a list) at time ``at`` in one pass.

    Return a list of ``Decision`` or ``None`` in the order of ``targets``, or ``None`` when the
    rule has nothing to say. ``core.policy.check_many`` asks this hook of the plugins that
    implement it instead of their ``policy_rules``: such a plugin answers here every action its
    ``policy_rules`` judges, as that would, target by target. The other plugins are asked
    ``policy_rules`` for each target still allowed. ``policy`` is the
    active ``PolicyValues``. E.g. the journal's edit window judges a page's lessons at once.
    """


@hookspec
def nav_items(user):
    """Return a list of ``NavItem`` for the main menu of ``user`` (may be anonymous)."""


@hookspec
def audit_labels():
    """Return an ``AuditLabels``: the Russian names of the audit action codes the plugin records
    with ``core.audit.record`` (every one of them: tests/test_audit_labels.py reads the tree),
    and of the keys, words and object kinds its entries' details hold. The audit log and the
    settings' history show these instead of codes and JSON (``core.audit_labels``)."""


@hookspec
def dashboard_widgets(user):
    """Return a list of ``Widget`` for ``user``'s home page, each rendered from its template."""


@hookspec
def admin_links(user):
    """Return a list of ``NavItem`` for the administration index page of ``user``."""


@hookspec
def planning_links(user):
    """Return a list of ``NavItem`` shown to ``user`` on the list of КТП (plugins/planning):
    other plugins' pages about what the curriculum plans, e.g. the disciplines a specialty's
    demonstration exam and ВКР draw on. Called once per page."""


@hookspec
def about_items():
    """Return a list of ``AboutItem`` (label, value) shown on the «О системе» page."""


@hookspec
def purge_records(start, end, dry_run):
    """Remove the plugin's detailed journal records of the days ``start``–``end`` (dates, both
    included) whose retention ended (the archive's purge after ``archive.journal_retention_years``);
    with ``dry_run`` true, only count them. Return a list of ``core.plugins.types.PurgeCount``
    (one per table, with its Russian title), also when nothing matched (count 0). Summary data
    (finals) stay. Rows that point at another plugin's rows go first: the journal, which owns the
    lessons, runs last (``trylast``). The caller commits, and records the act of destruction."""


# --- data --------------------------------------------------------------------------------------


@hookspec
def demo_data(college):
    """Add the plugin's demo data to ``college`` (a ``DemoCollege``).

    Called once per plugin in dependency order (core first, then each plugin after those it
    requires), so a plugin finds what its requirements made in ``college``.
    """


# --- the archive (declared here, called by plugins/archive) -----------------------------------


@hookspec
def archive_blockers(start, end):
    """Return a list of ``core.plugins.types.ArchiveBlocker``: what of the plugin's records of
    the period ``start``–``end`` (dates) keeps it from being archived (finals not set,
    corrections waiting for a decision); an empty list when nothing does."""


@hookspec
def archive_records(start, end):
    """Return a list of ``core.plugins.types.ArchiveTable``: the plugin's records of the
    period ``start``–``end`` (dates) as plain tables (lessons, marks, absences, finals,
    substitutions), written to the archive as CSV and JSON (docs/archive.md)."""


@hookspec(firstresult=True)
def archived_report(report, query, file_format):
    """Return a ``core.plugins.types.ArchivedReport`` when the archive keeps the file of the
    report named ``report`` (a ``ReportProvider.name``) for ``query`` (a checked
    ``ReportQuery``) in ``file_format`` ("pdf"), else ``None``: the reports plugin then serves
    that file instead of building the report from live data."""
