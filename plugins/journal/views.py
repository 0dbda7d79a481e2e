"""The journal's pages: the list of journals a user may open and the grid of one journal."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people.models import Group
from plugins.journal import api, services
from plugins.journal.grid import grid_data, save_cells
from plugins.journal.grid_html import grid_body, parse_field
from plugins.journal.models import WORK_TYPES

bp = Blueprint("journal", __name__, url_prefix="/journal", template_folder="templates",
               static_folder="static", static_url_path="/static")

NOT_FOUND = "Такой страницы нет или она вам недоступна."


def _viewable(load_id: int) -> api.LoadInfo:
    try:
        load = api.get_load(load_id)
    except LookupError:
        raise NotFound(_(NOT_FOUND)) from None
    if not api.can_view(current_user, load):
        raise NotFound(_(NOT_FOUND))
    return load


@bp.get("/")
@login_required
def index():
    """Journals the user may open, by group (a teacher's own first)."""
    visible = [load for load in api.loads() if api.can_view(current_user, load)]
    names = dict(db.session.query(Group.id, Group.name).filter(
        Group.id.in_({load.group_id for load in visible})).all()) if visible else {}
    by_group: dict[str, list[api.LoadInfo]] = defaultdict(list)
    for load in visible:
        by_group[names[load.group_id]].append(load)
    mine = [load for load in visible if load.teacher_id == current_user.id]
    return render_template("journal/index.html", by_group=dict(sorted(by_group.items())),
                           mine=mine, names=names)


@bp.get("/load/<int:load_id>")
@login_required
def grid(load_id: int):
    load = _viewable(load_id)
    if load.teacher_id == current_user.id:
        # the day's lessons of the timetable appear in the teacher's journal when they open it
        day = api.college_day(utcnow())
        if services.lessons_from_timetable(load, day, day):
            db.session.commit()
    data = grid_data(load, current_user)
    group = db.session.get(Group, load.group_id)
    writable = api.can_edit(current_user, load)
    save_urls = {source.plugin: source.save_url for source in data.sources}
    save_urls.update({column.plugin: column.save_url for column in data.columns
                      if column.save_url and column.plugin not in save_urls})
    body = grid_body(data, writable, _("выбыл %(d)s", d="%s"))
    return render_template("journal/grid.html", data=data, load=load, group=group, body=body,
                           save_urls=save_urls, work_types=WORK_TYPES, writable=writable)


@bp.post("/load/<int:load_id>")
@login_required
def grid_post(load_id: int):
    """The grid without JavaScript: every changed cell, handed to the plugin that owns it."""
    load = _viewable(load_id)
    if not api.can_edit(current_user, load):
        raise NotFound(_(NOT_FOUND))
    changes: dict[str, list[dict]] = defaultdict(list)
    for name, value in request.form.items():
        field = parse_field(name)
        if field is None or field.shown.strip() == value.strip():
            continue
        changes[field.plugin].append(field.change(value))
    try:
        for plugin, batch in changes.items():
            save_cells(load, current_user, plugin, batch)
    except DomainError as exc:
        db.session.rollback()
        flash(_("Ничего не сохранено: %(reason)s", reason=exc.message), "danger")
        return redirect(url_for("journal.grid", load_id=load.id))
    db.session.commit()
    saved = sum(len(batch) for batch in changes.values())
    flash(_("Сохранено ячеек: %(n)s", n=saved) if saved else _("Изменений нет."), "success")
    return redirect(url_for("journal.grid", load_id=load.id))
