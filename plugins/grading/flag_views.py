"""The pages of mark flags (on grading's blueprint): a family flags a mark of its diary; staff
read the flags of their journals («Обращения по оценкам») and answer one by keeping the mark or
correcting it. Views parse and render; ``flags`` decides and writes."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.errors import DomainError, NotFound
from core.extensions import db
from core.forms import page_status
from core.people.models import Student
from core.people.scope import is_staff
from plugins.grading import flag_lists, flags, rules, services
from plugins.grading.forms import FlagAnswerForm, FlagForm
from plugins.grading.models import Correction
from plugins.grading.views import bp


def _diary_url(student_id: int, day) -> str | None:
    """The family's diary at the lesson's week, when the diary is installed."""
    if "family.student" not in current_app.view_functions:
        return None
    return url_for("family.student", student_id=student_id, week=day.isoformat())


def _earlier(found) -> list[dict]:
    people, corrections = flags.people_of(found), flags.corrections_of(found)
    return [{"flag": flag, "who": people.get(flag.flagged_by_id, ""),
             "answer": flags.answer_text(flag.status, flag.value, flag.answer_comment,
                                         corrections.get(flag.correction_id)),
             "answered_by": people.get(flag.answered_by_id, "")} for flag in found]


@bp.route("/marks/<int:mark_id>/flag", methods=["GET", "POST"])
@login_required
def flag_new(mark_id: int):
    """A student or parent tells the teacher that a mark of their diary is wrong (BTT 4.3.2)."""
    user = current_user._get_current_object()
    mark = flags.flaggable_mark(user, mark_id)
    lesson, load = flags.place_of(mark)
    student = db.session.get(Student, mark.student_id)
    form = FlagForm()
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                flags.raise_flag(user, mark.id, form.comment.data)
            except DomainError as exc:
                db.session.rollback()
                if isinstance(exc, NotFound):
                    raise
                form.comment.errors = [*form.comment.errors, exc.message]
                status = exc.status
            else:
                db.session.commit()
                flash(_("Сообщение отправлено преподавателю. Ответ появится в дневнике."),
                      "success")
                return redirect(_diary_url(student.id, lesson.date)
                                or url_for("grading.flag_new", mark_id=mark.id))
    earlier = flags.flags_of_mark(mark.id)
    return render_template(
        "grading/flag_new.html", form=form, mark=mark, lesson=lesson, load=load, student=student,
        value=rules.text_of(mark.value), kind=rules.MARK_TYPES.get(mark.mark_type, ""),
        earlier=_earlier(earlier),
        waiting=next((flag for flag in earlier if flag.status == flags.OPEN), None),
        back=_diary_url(student.id, lesson.date), max_comment=flags.MAX_COMMENT), status


@bp.get("/flags")
@login_required
def flags_page():
    """«Обращения по оценкам»: the open flags of the user's journals (oldest first) and the
    latest answered ones; the administration reads every journal's. A staff read, audited."""
    user = current_user._get_current_object()
    if not is_staff(user):
        raise NotFound(_(services.NOT_FOUND))
    answered = request.args.get("answered") == "1"
    found = flag_lists.lines(user, open_only=not answered)
    if found:
        flags.audit_read(user, ("MarkFlag", None), [line.id for line in found])
    return render_template("grading/flags.html", lines=found, answered=answered,
                           enabled=flags.enabled())


@bp.route("/flags/<int:flag_id>", methods=["GET", "POST"])
@login_required
def flag_page(flag_id: int):
    """One flag: the mark, the comment, the cell's history; its answer for whoever may write
    the journal (keep the mark with a comment, or correct it with a reason)."""
    user = current_user._get_current_object()
    flag, mark, lesson, load = flags.readable_flag(user, flag_id)
    may_answer = flags.may_answer(user, load) and flag.status == flags.OPEN
    form = FlagAnswerForm()
    status = 200
    if request.method == "POST":
        if not flags.may_answer(user, load):
            raise NotFound(_(services.NOT_FOUND))
        if form.validate_on_submit():
            done = _answer(user, flag.id, form)
            if done is not None:
                return done
        if flag.status != flags.OPEN:  # answered by someone else meanwhile
            flash(_("На это обращение уже ответили"), "danger")
            may_answer, status = False, 409
        else:
            status = page_status(form)
    elif may_answer:
        form.new_value.data = _cell_text(lesson.id, mark.student_id)
    history, _shown = flag_lists.cell_history(user, load, lesson.id, mark.student_id)
    flags.audit_read(user, flag)  # the page is one read of the flag and its cell's history
    for row in history:
        row["at"] = datetime.fromisoformat(row["at"])
    student = db.session.get(Student, mark.student_id)
    return render_template(
        "grading/flag.html", flag=flag, mark=mark, lesson=lesson, load=load, student=student,
        form=form, may_answer=may_answer, history=history,
        who=flags.people_of([flag]), role=flags.flagged_by_role([flag]),
        answer=_earlier([flag])[0]["answer"], value=rules.text_of(flag.value),
        current=_cell_text(lesson.id, mark.student_id),
        approval=services.approval_required()), status


def _answer(user, flag_id: int, form: FlagAnswerForm):
    """Keep or correct; the redirect on success, ``None`` with the refusal on the form."""
    try:
        if form.answer.data == flags.KEPT:
            flags.keep(user, flag_id, form.comment.data)
        else:
            answered = flags.correct(user, flag_id, form.new_value.data or "", form.comment.data)
    except DomainError as exc:
        db.session.rollback()
        if isinstance(exc, NotFound):
            raise
        # a correction is refused for its value (invalid, unchanged, a pending one exists)
        field = form.new_value if form.answer.data == flags.CORRECTED else form.comment
        field.errors = [*field.errors, exc.message]
        return None
    db.session.commit()
    if form.answer.data == flags.KEPT:
        flash(_("Ответ отправлен: оценка оставлена"), "success")
    else:
        pending = db.session.get(Correction, answered.correction_id).status == "pending"
        flash(_("Ответ отправлен: заявка на исправление ждёт утверждения") if pending
              else _("Ответ отправлен: оценка исправлена"), "success")
    return redirect(url_for("grading.flags_page"))


def _cell_text(lesson_id: int, student_id: int) -> str:
    state = services.cell_states(lesson_id, [student_id]).get(student_id)
    return state.value if state else ""
