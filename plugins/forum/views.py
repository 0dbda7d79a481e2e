"""The forum's pages. Every one is the staff's: anyone else signed in gets a 404, as if there
were no forum (``rights.may_see``, checked before any view of the blueprint)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import markup, params, uploads
from core.errors import DomainError, NotFound
from core.extensions import db
from core.models import utcnow
from core.people import scope
from plugins.forum import reading, rights, services
from plugins.forum.forms import EditForm, HideForm, ReplyForm, SectionForm, TopicForm
from plugins.forum.models import Attachment, Post, Section, Topic

bp = Blueprint("forum", __name__, url_prefix="/forum", template_folder="templates",
               static_folder="static", static_url_path="/static")


@bp.before_request
def _staff_only():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not rights.may_see(current_user):
        abort(404)
    return None


def _get(model, object_id: int):
    return scope.require(current_user, db.session.get(model, object_id))


def _save(change, field) -> tuple[bool, object, int]:
    """Run and commit ``change``; a refusal rolls back and lands on the form ``field`` with its
    status (422 invalid, 409 conflict, 403 not theirs); a 404 stays a 404."""
    try:
        result = change()
    except NotFound:
        db.session.rollback()
        raise
    except DomainError as exc:
        db.session.rollback()
        field.errors = [*field.errors, exc.message]
        return False, None, exc.status
    db.session.commit()
    return True, result, 200


@bp.get("/")
def index():
    return render_template("forum/index.html", sections=reading.section_rows(current_user),
                           form=SectionForm(), may_moderate=rights.may_moderate(current_user))


@bp.post("/sections")
def new_section():
    form = SectionForm()
    if form.validate_on_submit():
        done, _section, status = _save(lambda: services.create_section(
            current_user, form.title.data, form.description.data), form.title)
        if done:
            flash(_("Раздел создан."), "success")
            return redirect(url_for("forum.index"))
    else:
        status = 422
    return render_template("forum/index.html", sections=reading.section_rows(current_user),
                           form=form, may_moderate=rights.may_moderate(current_user)), status


@bp.get("/s/<int:section_id>")
def section(section_id: int):
    found = _get(Section, section_id)
    page = params.arg_page()
    rows, total = reading.topic_rows(current_user, found, page)
    return render_template("forum/section.html", section=found, rows=rows, page=page,
                           pages=reading.pages(total, reading.TOPICS_PER_PAGE),
                           may_open=rights.may_open_topics(current_user))


@bp.route("/s/<int:section_id>/new", methods=["GET", "POST"])
def new_topic(section_id: int):
    found = _get(Section, section_id)
    if not rights.may_open_topics(current_user):
        return render_template("forum/refused.html", section=found, message=_(
            "Темы на форуме открывает директор (и те, кому это разрешено положением "
            "колледжа). Ответить можно в любой открытой теме.")), 403
    form = TopicForm()
    status = 200
    if form.validate_on_submit():
        done, topic, status = _save(lambda: services.open_topic(
            current_user, found, form.title.data, form.body.data, uploads.files_of()), form.files)
        if done:
            flash(_("Тема открыта."), "success")
            return redirect(url_for("forum.topic", topic_id=topic.id))
    elif form.errors:
        status = 422
    return render_template("forum/new_topic.html", section=found, form=form), status


def _topic_page(topic: Topic, page: int, form: ReplyForm, shown=None):
    if shown is None:
        shown = reading.posts(current_user, topic, page, utcnow())
    return render_template(
        "forum/topic.html", topic=topic, section=db.session.get(Section, topic.section_id),
        posts=shown, page=page, pages=reading.pages(topic.post_count, reading.POSTS_PER_PAGE),
        form=form, hide_form=HideForm(), subscribed=services.is_subscribed(current_user, topic),
        may_manage=rights.may_manage_topics(current_user),
        may_moderate=rights.may_moderate(current_user))


@bp.get("/t/<int:topic_id>")
def topic(topic_id: int):
    found = _get(Topic, topic_id)
    page = params.arg_page()
    form = ReplyForm()
    quoted_id = params.arg_id("quote")
    if quoted_id is not None:
        quoted = db.session.get(Post, quoted_id)
        if quoted is not None and quoted.topic_id == found.id and (
                not quoted.hidden or rights.may_moderate(current_user)):
            form.body.data = markup.quote(quoted.body, _author_name(quoted))
    shown = reading.posts(current_user, found, page, utcnow())
    if shown:  # read before the menu counts what is unread
        services.mark_read(current_user, found, max(post.id for post in shown))
        db.session.commit()
    return _topic_page(found, page, form, shown)


def _author_name(post: Post) -> str:
    from core.people.models import User

    author = db.session.get(User, post.author_id)
    return author.short_name if author else ""


@bp.post("/t/<int:topic_id>")
def reply(topic_id: int):
    found = _get(Topic, topic_id)
    form = ReplyForm()
    status = 422
    if form.validate_on_submit():
        done, post, status = _save(lambda: services.reply(current_user, found, form.body.data,
                                                           uploads.files_of()), form.body)
        if done:
            flash(_("Сообщение опубликовано."), "success")
            return _to_post(found, post.id)
        found = _get(Topic, topic_id)
    last = reading.pages(found.post_count, reading.POSTS_PER_PAGE)
    return _topic_page(found, last, form), status


def _to_post(topic: Topic, post_id: int):
    return redirect(url_for("forum.topic", topic_id=topic.id,
                            page=reading.post_page(topic, post_id)) + f"#post-{post_id}")


def _flag() -> bool:
    return request.form.get("value") == "1"


def _topic_change(topic_id: int, change, done: str):
    """A button of the topic page; a refusal (a forged request: the page shows the buttons only
    to those allowed) is the error page with its status."""
    found = _get(Topic, topic_id)
    change(found)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("forum.topic", topic_id=topic_id))


@bp.post("/t/<int:topic_id>/pin")
def pin(topic_id: int):
    value = _flag()
    return _topic_change(topic_id, lambda t: services.set_pinned(current_user, t, value),
                         _("Тема закреплена.") if value else _("Тема откреплена."))


@bp.post("/t/<int:topic_id>/close")
def close(topic_id: int):
    value = _flag()
    return _topic_change(topic_id, lambda t: services.set_closed(current_user, t, value),
                         _("Тема закрыта.") if value else _("Тема открыта снова."))


@bp.post("/t/<int:topic_id>/subscription")
def subscription(topic_id: int):
    value = _flag()

    def change(found):
        (services.subscribe if value else services.unsubscribe)(current_user, found)

    return _topic_change(topic_id, change, _("Вы подписаны на тему: о новых сообщениях "
                                             "придёт письмо.") if value
                         else _("Подписка на тему отменена."))


@bp.get("/p/<int:post_id>")
def post(post_id: int):
    """A post's lasting address (the mails link here): its page of the topic."""
    found = _get(Post, post_id)
    return _to_post(db.session.get(Topic, found.topic_id), found.id)


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    found = _get(Post, post_id)
    topic = db.session.get(Topic, found.topic_id)
    form = EditForm()
    if request.method == "GET":
        decision = rights.edit_decision(current_user, found, utcnow())
        if not decision:
            return render_template("forum/refused.html", section=None, topic=topic,
                                   message=decision.reason), decision.status
        form.body.data = found.body
        return render_template("forum/edit.html", post=found, topic=topic, form=form)
    status = 422
    if form.validate_on_submit():
        done, _post, status = _save(lambda: services.edit(current_user, found, form.body.data),
                                    form.body)
        if done:
            flash(_("Сообщение изменено."), "success")
            return _to_post(topic, found.id)
    return render_template("forum/edit.html", post=found, topic=topic, form=form), status


@bp.post("/p/<int:post_id>/hide")
def hide(post_id: int):
    found = _get(Post, post_id)
    form = HideForm()
    if not form.validate_on_submit():
        raise DomainError(" ".join(str(error) for errors in form.errors.values()
                                   for error in errors) or _("Укажите причину."))
    services.hide(current_user, found, form.reason.data)
    return _moderated(found, _("Сообщение скрыто."))


@bp.post("/p/<int:post_id>/restore")
def restore(post_id: int):
    found = _get(Post, post_id)
    services.restore(current_user, found, request.form.get("reason", ""))
    return _moderated(found, _("Сообщение снова видно всем."))


def _moderated(post: Post, done: str):
    """Commit a moderator's change of ``post`` and go back to it with ``done`` flashed."""
    db.session.commit()
    flash(done, "success")
    return _to_post(db.session.get(Topic, post.topic_id), post.id)


@bp.get("/p/<int:post_id>/history")
def history(post_id: int):
    found = _get(Post, post_id)
    if not rights.may_moderate(current_user):
        abort(404)
    return render_template("forum/history.html", post=found,
                           topic=db.session.get(Topic, found.topic_id),
                           revisions=reading.history(found), author=_author_name(found))


@bp.get("/file/<int:attachment_id>")
def attachment(attachment_id: int):
    found = _get(Attachment, attachment_id)
    return uploads.download(found.content, found.content_type, found.filename)


@bp.get("/search")
def search():
    query = reading.clean_query(request.args.get("q", ""))
    page = params.arg_page()
    rows, total = reading.search(current_user, query, page)
    return render_template("forum/search.html", query=query, rows=rows, total=total, page=page,
                           pages=reading.pages(total, reading.RESULTS_PER_PAGE))
