"""The journal's pages: the list of journals a user may open and the grid of one journal."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core import audit
from core.calendar.clock import college_today
from core.errors import DomainError, NotFound
from core.extensions import db
from core.forms import attempt, page_status
from core.models import utcnow
from core.params import arg_id, arg_page, parse_id, takes_json
from core.people.models import Group, short_names
from core.people.scope import VIEW, can_access
from core.plugins import hook
from core.plugins.journal_contract import CellChange
from core.policy import check
from plugins.journal import api, listing, services
from plugins.journal.batch import cell_changes
from plugins.journal.entry import move_absences
from plugins.journal.forms import LessonForm
from plugins.journal.grid import grid_data
from plugins.journal.grid_html import chosen_types, grid_body, parse_field, type_field
from plugins.journal.models import WORK_TYPES, Lesson
from plugins.journal.saving import save_changes, saved_json

bp = Blueprint("journal", __name__, url_prefix="/journal", template_folder="templates",
               static_folder="static", static_url_path="/static")

NOT_FOUND = "Такой страницы нет или она вам недоступна."


def _load_or_404(load_id: int) -> api.LoadInfo:
    try:
        return api.get_load(load_id)
    except LookupError:
        raise NotFound(_(NOT_FOUND)) from None


def _viewable(load_id: int) -> api.LoadInfo:
    """The load whose whole journal the user reads."""
    load = _load_or_404(load_id)
    if not api.can_view(current_user, load):
        raise NotFound(_(NOT_FOUND))
    return load


def _openable(load_id: int) -> api.LoadInfo:
    """The load whose grid the user opens: all of it, or a substitute's lessons in it."""
    load = _load_or_404(load_id)
    if not api.can_open(current_user, load):
        raise NotFound(_(NOT_FOUND))
    return load


@bp.get("/")
@login_required
def index():
    """Journals the user may open, by group (a teacher's own first), of one term: the one asked
    for (``?term=``; ``?year=`` for a year's terms), else the current one, else the latest they
    have; a page of groups at a time. Which journals: one SQL condition (``readers``), plus the
    few a substitute opens, so years of history cost nothing here."""
    page = listing.journal_list(current_user, arg_id("year"), arg_id("term"), arg_page())
    return render_template("journal/index.html", page=page,
                           notes=api.list_notes(page.loads, current_user))


def _links(load: api.LoadInfo, lesson: api.LessonInfo | None) -> list:
    return [link for batch in hook().journal_links(load=load, lesson=lesson, user=current_user)
            for link in batch or ()]


@bp.get("/load/<int:load_id>")
@login_required
def grid(load_id: int):
    load = _openable(load_id)
    user = current_user._get_current_object()  # the plugins ask it per lesson: no proxy
    if load.teacher_id == user.id:
        # the day's lessons of the timetable appear in the teacher's journal when they open it
        day = college_today()
        if services.lessons_from_timetable(load, day, day):
            db.session.commit()
    subgroups = api.subgroups(load)
    subgroup_id = arg_id("subgroup")
    if subgroup_id not in {sid for sid, _title in subgroups}:
        subgroup_id = None
    data = grid_data(load, user, subgroup_id=subgroup_id)
    group = db.session.get(Group, load.group_id)
    writable = api.can_write(user, load)
    body = grid_body(data, writable, _("выбыл %(d)s", d="%s"))
    lesson_url = url_for("journal.lesson", lesson_id=1).removesuffix("1")
    links = [] if data.partial else _links(load, None)
    scripts = [script for batch in hook().journal_scripts(load=load, user=user)
               for script in batch or ()]
    others = {lesson.taught_by_id for lesson in data.lessons
              if lesson.taught_by_id and lesson.taught_by_id != load.teacher_id}
    taught_by = short_names(others)
    page = render_template("journal/grid.html", data=data, load=load, group=group, body=body,
                           save_url=url_for("journal.save_cells", load_id=load.id),
                           type_field=type_field, writable=writable,
                           work_types={key: str(title) for key, title in WORK_TYPES.items()},
                           subgroups=subgroups, subgroup_id=subgroup_id, lesson_url=lesson_url,
                           links=links, taught_by=taught_by, scripts=scripts,
                           lesson_actions=[action for source in data.sources
                                           for action in source.lesson_actions],
                           history_urls={source.plugin: source.history_url
                                         for source in data.sources if source.history_url},
                           shortcuts={code: [source.plugin, value] for source in data.sources
                                      for code, value in source.shortcuts},
                           typed_sources=[source for source in data.sources
                                          if source.lesson_types])
    if user.id != load.teacher_id and not api.is_guest(user, load):
        # 152-ФЗ: someone else's journal read whole (the administration, a curator, a head)
        audit.record_bulk_read("journal.grid.view", ("TeachingLoad", load.id),
                               count=len(data.students), group_id=load.group_id,
                               subgroup_id=subgroup_id)
    return page


@bp.get("/session")
@login_required
def session_token():
    """Whether the user is signed in, and the form token of their session: the grid asks it
    after a session has ended (idle time-out) to send what was typed meanwhile, once the user
    has signed in again (in another tab); 401 while they have not."""
    from flask_wtf.csrf import generate_csrf

    return jsonify(csrf_token=generate_csrf())


def _writable(load_id: int) -> api.LoadInfo:
    """The load some of whose journal the user writes (all of it, or a substitute's lessons)."""
    load = _openable(load_id)
    if not api.can_write(current_user, load):
        raise NotFound(_(NOT_FOUND))
    return load


@bp.post("/load/<int:load_id>")
@login_required
def grid_post(load_id: int):
    """The grid without JavaScript: every changed cell, saved all or nothing."""
    load = _writable(load_id)
    types = chosen_types(request.form)
    fields = [(field, value) for field, value in ((parse_field(name), value)
                                                  for name, value in request.form.items())
              if field is not None]
    changes = [field.change(value, types)
               for field, value in move_absences(load, current_user, fields)
               if field.shown.strip() != value.strip()]
    try:
        if changes:
            save_changes(load, current_user, changes)
    except DomainError as exc:
        db.session.rollback()
        flash(_("Ничего не сохранено: %(reason)s", reason=exc.message), "danger")
        return redirect(url_for("journal.grid", load_id=load.id))
    db.session.commit()
    saved = len(changes)
    flash(_("Сохранено ячеек: %(n)s", n=saved) if saved else _("Изменений нет."), "success")
    return redirect(url_for("journal.grid", load_id=load.id))


@bp.post("/load/<int:load_id>/cells", defaults={"plugin": None})
@bp.post("/load/<int:load_id>/cells/<plugin>")
@login_required
@takes_json
def save_cells(load_id: int, plugin: str | None):
    """The grid's JSON save, all or nothing: ``{"cells": [...]}``, each cell the name of its
    input as the page gave it (``field``) with its ``value`` (and ``mark_type``), or, with the
    plugin in the URL, its ``lesson_id`` (or column ``key``), ``student_id``, ``value``,
    ``version`` and ``mark_type``. Answers the saved cells, or the refused ones with the batch's
    status (404 > 422 > 409; 400 for a malformed body)."""
    load = _writable(load_id)
    changes = [_change_of(cell, plugin) for cell in cell_changes(request.get_json(silent=True))]
    try:
        results = save_changes(load, current_user, changes)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    return jsonify(cells=[saved_json(result) for result in results])


def _change_of(cell: dict, plugin: str | None) -> CellChange:
    """A JSON cell as a typed change (``cell_changes`` has checked its keys' types)."""
    mark_type = cell.get("mark_type") or None
    if cell.get("field") is not None:
        field = parse_field(cell["field"])
        if field is None:
            raise DomainError(_("Неверный формат запроса"), status=400)
        return replace(field.change(cell.get("value")), mark_type=mark_type)
    if plugin is None:
        raise DomainError(_("Неверный формат запроса"), status=400)
    version = cell.get("version")
    return CellChange(plugin, cell.get("student_id"), cell.get("value"),
                      None if version in (None, "") else int(version),
                      lesson_id=cell.get("lesson_id"), key=cell.get("key"), mark_type=mark_type)


FIELD_TITLES = {"topic": _l("Тема"), "work_type": _l("Вид работы"), "homework": _l("Задание"),
                "homework_due": _l("Срок задания"), "hours": _l("Часы"), "pair_number": _l("Пара"),
                "tasks_done": _l("Выполненные задания")}


def _lesson_values(form: LessonForm) -> dict:
    return {"pair_number": form.pair_number.data, "hours": form.hours.data,
            "work_type": form.work_type.data, "topic": form.topic.data or "",
            "homework": form.homework.data or "", "homework_due": form.homework_due.data,
            "tasks_done": form.tasks_done.data or ""}


@bp.route("/load/<int:load_id>/lessons/new", methods=["GET", "POST"])
@login_required
def lesson_new(load_id: int):
    """Record a lesson by hand (one that is not in the timetable) on its day."""
    load = _viewable(load_id)
    if not api.can_edit(current_user, load):
        raise NotFound(_(NOT_FOUND))
    form = LessonForm()
    if request.method == "GET":
        form.date.data = college_today()
        form.pair_number.data = 1
    if form.validate_on_submit():
        values = _lesson_values(form)
        done, lesson = attempt(lambda: services.create_lesson(
            current_user, load, form.date.data, values.pop("pair_number"), **values), form.date)
        if done:
            flash(_("Занятие записано."), "success")
            return redirect(url_for("journal.lesson", lesson_id=lesson.id))
    return render_template("journal/lesson.html", form=form, load=load, lesson=None,
                           group=db.session.get(Group, load.group_id), history=[], names={},
                           writable=True, work_types=WORK_TYPES, field_titles=FIELD_TITLES,
                           suggestions=api.lesson_suggestions(
                               load, form.date.data or college_today(), current_user)
                           ), page_status(form)


@bp.route("/lessons/<int:lesson_id>", methods=["GET", "POST"])
@login_required
def lesson(lesson_id: int):
    """A lesson's record: its teacher edits it within the window; staff see it and its history."""
    try:
        info = api.get_lesson(lesson_id)
    except LookupError:
        raise NotFound(_(NOT_FOUND)) from None
    if not can_access(current_user, info, VIEW):
        raise NotFound(_(NOT_FOUND))
    load = api.load_of(info)
    now = utcnow()
    may_write = api.can_edit_lesson(current_user, info)
    writable = may_write and bool(check("lesson.edit", current_user, info, now))
    correcting = may_write and services.correction_allowed(current_user, info, now)
    form = LessonForm(obj=db.session.get(Lesson, lesson_id))
    if request.method == "POST":
        if not (writable or correcting):
            raise NotFound(_(NOT_FOUND))
        form.date.data = info.date  # a lesson's date is fixed; another date is another lesson
        if form.validate_on_submit():
            seen = parse_id(form.version.data)
            done, _lesson = attempt(lambda: services.update_lesson(
                current_user, lesson_id, -1 if seen is None else seen,
                _lesson_values(form), reason=form.correction_reason.data),
                form.correction_reason if correcting else form.topic)
            if done:
                flash(_("Изменения занятия сохранены."), "success")
                return redirect(url_for("journal.lesson", lesson_id=lesson_id))
    history = services.lesson_history(lesson_id)
    ids = {h.changed_by_id for h in history} | {info.taught_by_id}
    names = short_names(ids)
    links = _links(load, info)
    return render_template("journal/lesson.html", form=form, load=load, lesson=info,
                           group=db.session.get(Group, load.group_id), history=history,
                           names=names, writable=writable or correcting, correcting=correcting,
                           work_types=WORK_TYPES, field_titles=FIELD_TITLES, links=links,
                           suggestions=api.lesson_suggestions(load, info.date, current_user)
                           if writable or correcting else []), page_status(form)
