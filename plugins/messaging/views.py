"""Message pages: the inbox with search, a new message to someone of the address book, a
conversation (read receipts, replies, attachments), letters to many and who read them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core import audit, params, uploads
from core.extensions import db
from core.forms import attempt, page_status
from core.people import scope
from plugins.messaging import answers, book, letters, services
from plugins.messaging.forms import LetterForm, MessageForm, ReplyForm

bp = Blueprint("messaging", __name__, url_prefix="/messages", template_folder="templates")


def _compose(form, to, found: dict, placeholder: str, arg: str, send):
    """A new message or letter: ``found`` offered in the select ``to`` behind ``placeholder``
    (a GET may choose one through ``arg``); a valid post is ``send(user, to, subject, body,
    files)``, committed. ``(done, what was sent)``."""
    to.choices = {None: [("", placeholder)], **found} if found else {}
    if request.method == "GET" and request.args.get(arg):
        to.data = request.args[arg]
    if not form.validate_on_submit():
        return False, None
    return attempt(lambda: send(current_user, to.data, form.subject.data, form.body.data,
                                uploads.files_of()), form.files, outside_is_404=True)


@bp.get("/")
@login_required
def inbox():
    query = request.args.get("q", "")
    page = params.arg_page()
    rows, total = services.inbox(current_user, query, page)
    return render_template("messaging/inbox.html", rows=rows, total=total, query=query,
                           page=page, pages=max(1, -(-total // services.PER_PAGE)),
                           may_write_letters=_may_write_letters())


def _may_write_letters() -> bool:
    allowed = scope.letter_group_ids(current_user)
    return allowed is None or bool(allowed)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    group_id = params.arg_id("group")
    form = MessageForm()
    done, thread = _compose(form, form.to, book.choices(current_user, group_id),
                            _("— выберите адресата —"), "to", services.start)
    if done:
        flash(_("Сообщение отправлено."), "success")
        return redirect(url_for("messaging.thread", thread_id=thread.id))
    return render_template("messaging/new.html", form=form, group_id=group_id,
                           groups=book.group_choices(current_user)), page_status(form)


def _thread_page(thread, form: ReplyForm):
    waiting = answers.waiting_message(thread)
    staff_side = waiting is not None and waiting.author_id != current_user.id \
        and not scope.is_family(current_user)
    days_left = None
    if waiting is not None and waiting.due_on is not None:
        from core.calendar.clock import college_today

        days_left = (waiting.due_on - college_today()).days
    return render_template("messaging/thread.html", thread=thread,
                           messages=services.messages(current_user, thread), form=form,
                           waiting=waiting, staff_side=staff_side, days_left=days_left,
                           with_whom=services.inbox_title(current_user, thread))


@bp.get("/<int:thread_id>")
@login_required
def thread(thread_id: int):
    found = services.thread_or_404(current_user, thread_id)
    services.mark_read(current_user, found)
    if scope.is_staff(current_user):  # 152-ФЗ: staff reads of a family's correspondence
        audit.record("messaging.thread.read", found)
    db.session.commit()
    return _thread_page(found, ReplyForm())


@bp.post("/<int:thread_id>")
@login_required
def reply(thread_id: int):
    found = services.thread_or_404(current_user, thread_id)
    form = ReplyForm()
    if form.validate_on_submit():
        done, _message = attempt(lambda: services.reply(current_user, found, form.body.data,
                                                        uploads.files_of()),
                                 form.files, outside_is_404=True)
        if done:
            flash(_("Ответ отправлен."), "success")
            return redirect(url_for("messaging.thread", thread_id=thread_id))
        found = services.thread_or_404(current_user, thread_id)
    return _thread_page(found, form), 422


@bp.post("/<int:thread_id>/no-answer-needed")
@login_required
def no_answer_needed(thread_id: int):
    found = services.thread_or_404(current_user, thread_id)
    if scope.is_family(current_user):
        abort(404)
    if answers.close_without_answer(current_user, found):
        db.session.commit()
        flash(_("Отмечено: ответ не требуется."), "success")
    return redirect(url_for("messaging.thread", thread_id=thread_id))


@bp.get("/file/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    found = services.attachment_or_404(current_user, attachment_id)
    if scope.is_staff(current_user):
        audit.record("messaging.file.read", found)
        db.session.commit()
    return uploads.download(found.content, found.content_type, found.filename)


# --- letters to many ---------------------------------------------------------------------------


def _letter_writer_or_404() -> None:
    if not _may_write_letters():
        abort(404)


@bp.get("/letters")
@login_required
def letters_index():
    _letter_writer_or_404()
    return render_template("messaging/letters.html", letters=letters.sent_by(current_user))


@bp.route("/letters/new", methods=["GET", "POST"])
@login_required
def letter_new():
    _letter_writer_or_404()
    form = LetterForm()
    done, letter = _compose(form, form.audience, letters.audiences(current_user),
                            _("— выберите адресатов —"), "audience", letters.send)
    if done:
        flash(_("Рассылка отправлена: адресатов — %(count)s.", count=letter.recipients),
              "success")
        return redirect(url_for("messaging.letter", letter_id=letter.id))
    return render_template("messaging/letter_new.html", form=form), page_status(form)


@bp.get("/letters/<int:letter_id>")
@login_required
def letter(letter_id: int):
    found = letters.letter_or_404(current_user, letter_id)
    audience = letters.Audience(found.audience, found.group_id, found.course)
    return render_template("messaging/letter.html", letter=found, copies=letters.copies(found),
                           audience=letters.describe(audience),
                           files=letters.files_of(found))
