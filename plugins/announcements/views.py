"""Announcement pages: the list (current, past, and those one writes), one announcement, a new
one and its edit, withdrawal, and an event's calendar file. Outside scope: 404."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core import params
from core.calendar.clock import college_zone
from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from plugins.announcements import calendar_file, services
from plugins.announcements.forms import AnnouncementForm
from plugins.announcements.models import EVENT, Announcement

bp = Blueprint("announcements", __name__, url_prefix="/announcements",
               template_folder="templates")


@bp.get("/")
@login_required
def index():
    which = request.args.get("list", "current")
    if which not in services.LISTS:
        which = "current"
    page = params.arg_page()
    rows, total = services.listing(current_user, which, page)
    return render_template("announcements/list.html", rows=rows, total=total, which=which,
                           page=page, pages=max(1, -(-total // services.PER_PAGE)),
                           may_announce=scope.may_announce(current_user), now=utcnow())


def _draft(form: AnnouncementForm) -> services.Draft:
    return services.Draft(
        kind=form.kind.data, title=form.title.data or "", body=form.body.data or "",
        audience=form.audience.data or "", event_day=form.event_day.data,
        event_time=form.event_time.data, ends_time=form.ends_time.data,
        place=form.place.data or "", publish_on=form.publish_on.data,
        expires_on=form.expires_on.data, email=form.email.data)


def _save(change, form: AnnouncementForm):
    """Run and commit ``change``; an audience or announcement outside scope stays a 404, a
    refusal is put on the form with its status (422, or 409 for a stale edit)."""
    try:
        result = change()
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        form.title.errors = [*form.title.errors, exc.message]
        return None, exc.status
    db.session.commit()
    return result, 200


def _form_page(form: AnnouncementForm, item: Announcement | None, status: int = 200):
    form.audience.choices = services.audience_choices(current_user)
    if item is not None and form.audience.data and \
            form.audience.data not in dict(form.audience.choices):
        form.audience.choices.append((form.audience.data, services.audience_title(item)))
    status = status if status != 200 else (422 if form.errors else 200)
    return render_template("announcements/form.html", form=form, item=item), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not scope.may_announce(current_user):
        abort(404)
    form = AnnouncementForm()
    if request.method == "GET" and request.args.get("audience"):
        form.audience.data = request.args["audience"]
    if form.validate_on_submit():
        item, status = _save(lambda: services.publish(current_user, _draft(form)), form)
        if item is not None:
            flash(_("Объявление опубликовано.") if item.publish_at <= item.created_at
                  else _("Объявление будет опубликовано %(date)s.",
                         date=item.publish_at.astimezone(college_zone()).strftime("%d.%m.%Y")),
                  "success")
            return redirect(url_for("announcements.detail", announcement_id=item.id))
        return _form_page(form, None, status)
    return _form_page(form, None)


def _editable_or_404(announcement_id: int) -> Announcement:
    item = services.announcement_or_404(current_user, announcement_id)
    if not scope.may_edit_announcement(current_user, item.author_id):
        abort(404)
    return item


@bp.get("/<int:announcement_id>")
@login_required
def detail(announcement_id: int):
    item = services.announcement_or_404(current_user, announcement_id)
    return render_template("announcements/detail.html", item=item,
                           author=services.author_name(item),
                           audience=services.audience_title(item),
                           kind=services.kind_title(item.kind),
                           shown_until=services.last_day(item),
                           may_edit=scope.may_edit_announcement(current_user, item.author_id))


def _local(value):
    return value.astimezone(college_zone()) if value is not None else None


@bp.route("/<int:announcement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(announcement_id: int):
    item = _editable_or_404(announcement_id)
    if item.withdrawn_at is not None:
        abort(404)
    form = AnnouncementForm()
    if request.method == "GET":
        starts, ends = _local(item.starts_at), _local(item.ends_at)
        form.kind.data, form.title.data, form.body.data = item.kind, item.title, item.body
        form.audience.data = services.Audience(item.audience, item.group_id, item.course).value
        form.event_day.data = starts.date() if starts else None
        form.event_time.data = starts.time() if starts else None
        form.ends_time.data = ends.time() if ends else None
        form.place.data = item.place
        form.publish_on.data = _local(item.publish_at).date()
        form.expires_on.data = services.last_day(item)
        form.email.data = item.email
        form.version.data = str(item.version)
        return _form_page(form, item)
    if form.validate_on_submit():
        version = params.parse_id(form.version.data)
        done, status = _save(lambda: services.edit(current_user, item, _draft(form), version),
                             form)
        if done is not None:
            flash(_("Объявление изменено."), "success")
            return redirect(url_for("announcements.detail", announcement_id=announcement_id))
        return _form_page(form, db.session.get(Announcement, announcement_id), status)
    return _form_page(form, item)


@bp.post("/<int:announcement_id>/withdraw")
@login_required
def withdraw(announcement_id: int):
    item = _editable_or_404(announcement_id)
    services.withdraw(current_user, item)
    db.session.commit()
    flash(_("Объявление снято."), "success")
    return redirect(url_for("announcements.index", list="manage"))


@bp.get("/<int:announcement_id>/event.ics")
@login_required
def calendar(announcement_id: int):
    item = services.announcement_or_404(current_user, announcement_id)
    if item.kind != EVENT or item.starts_at is None:
        raise NotFound(_("Такой страницы нет или она вам недоступна."))
    url = url_for("announcements.detail", announcement_id=item.id, _external=True)
    host = urlsplit(url).hostname or "ejournal"
    response = Response(calendar_file.render(item, host, url),
                        content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="event-{item.id}.ics"'
    return response
