"""The pages of self-study: a journal's tasks with their tallies, the form to set one, a task's
page (staff: every student's state, work and the mark form; a family: the task, its state and
the hand-in form), the hand-in, the teacher's record of work handed in on paper, the mark, and
the files handed in, served only to those who may see the work."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core import uploads
from core.calendar.clock import college_today
from core.extensions import db
from core.forms import attempt, page_status
from core.params import parse_id
from core.people import scope
from core.people.models import Group
from core.policy import policy_value
from plugins.grading import api as grading
from plugins.journal import api as journal
from plugins.selfstudy import files, services
from plugins.selfstudy.forms import HandInForm, MarkForm, TaskForm

bp = Blueprint("selfstudy", __name__, url_prefix="/selfstudy", template_folder="templates")


@bp.url_value_preprocessor
def _room_for_files(endpoint, values):
    # three files of 10 MB are more than the site's usual request; set before any
    # ``before_request`` (CSRF, the NUL check) reads the form (Flask runs these first)
    if request.method == "POST" and endpoint == "selfstudy.hand_in":
        request.max_content_length = files.MAX_REQUEST


def _group_name(load: journal.LoadInfo) -> str:
    return db.session.scalar(select(Group.name).where(Group.id == load.group_id)) or ""


def _context(load: journal.LoadInfo) -> dict:
    return {"load": load, "group_name": _group_name(load), "staff": scope.is_staff(current_user),
            "states": services.STATES, "state_css": services.STATE_CSS}


def _lesson_label(lesson: journal.LessonInfo) -> str:
    label = f"{lesson.date.strftime('%d.%m.%Y')}, {lesson.pair_number} {_('пара')}"
    return label + (f" — {lesson.topic[:60]}" if lesson.topic else "")


@bp.get("/loads/<int:load_id>")
@login_required
def load(load_id: int):
    found = services.load_or_404(current_user, load_id)
    tasks = services.of_load(found.id)
    return render_template("selfstudy/load.html", tasks=tasks,
                           tallies=services.tallies(found, tasks),
                           may_set=services.may_set(current_user, found), **_context(found))


@bp.route("/loads/<int:load_id>/new", methods=["GET", "POST"])
@login_required
def new(load_id: int):
    found = services.load_or_404(current_user, load_id)
    if not services.may_set(current_user, found):
        services.load_or_404(current_user, -1)
    form = TaskForm()
    form.lesson.choices = [("", _("Без занятия (на дисциплину)"))] + [
        (str(lesson.id), _lesson_label(lesson)) for lesson in reversed(journal.lessons(found))]
    form.students.choices = [(student.id, student.name) for student in journal.roster(found)
                             if student.left_on is None or student.left_on >= college_today()]
    if request.method == "GET":
        form.lesson.data = request.args.get("lesson", "")
    if form.validate_on_submit():
        done, task = attempt(lambda: services.create(
            current_user, found, title=form.title.data, description=form.description.data,
            due_on=form.due_on.data, lesson_id=parse_id(form.lesson.data),
            individual=form.individual.data, student_ids=form.students.data or (),
            consultation=form.consultation.data, consultation_day=form.consultation_day.data,
            consultation_time=form.consultation_time.data,
            consultation_place=form.consultation_place.data), form.title, outside_is_404=True)
        if done:
            flash(_("Самостоятельная работа задана."), "success")
            return redirect(url_for("selfstudy.task", task_id=task.id))
    return render_template("selfstudy/form.html", form=form, **_context(found)), \
        page_status(form)


def _task_page(task_id: int, hand_in_form=None, mark_forms=None, status: int = 200):
    task, found = services.task_or_404(current_user, task_id)
    lesson = journal.get_lesson(task.lesson_id) if task.lesson_id else None
    staff = services.may_read(current_user, found)
    students = services.targets(task, found) if staff else \
        services.family_students(current_user, task, found)
    works = services.works_of([task.id], [student.id for student in students])
    work_files = services.files_of(work.id for work in works.values())
    marks = grading.marks_by_id(work.mark_id for work in works.values())
    today = college_today()
    rows = []
    for student in students:
        work = works.get((task.id, student.id))
        rows.append({"student": student, "work": work,
                     "state": services.state_of(task, work, today, marks),
                     "late": services.late(task, work),
                     "files": work_files.get(work.id, []) if work else [],
                     "mark": marks.get(work.mark_id) if work and work.mark_id else None})
    context = {"task": task, "lesson": lesson, "rows": rows, "today": today}
    if staff:
        choices = [(str(lesson.id), _lesson_label(lesson))
                   for lesson in services.marking_lessons(current_user, found, task)]
        types = [(key, str(title)) for key, title in grading.MARK_TYPES.items()]
        forms = mark_forms or {}
        for row in rows:
            form = forms.get(row["student"].id) or MarkForm(formdata=None, prefix=f"s{row['student'].id}")
            form.lesson.choices = choices
            form.mark_type.choices = types
            if not form.mark_type.data:
                form.mark_type.data = "written"
            row["form"] = form
        context.update(may_set=services.may_set(current_user, found),
                       may_mark=journal.can_write(current_user, found),
                       handed=sum(1 for row in rows if row["state"] in ("handed_in", "marked")))
    else:
        context.update(hand_in_form=hand_in_form or HandInForm(formdata=None),
                       may_hand_in=bool(policy_value("selfstudy.students_hand_in")),
                       own_work=any(services.is_the_student(current_user, row["student"].id)
                                    for row in rows))
    template = "selfstudy/task_staff.html" if staff else "selfstudy/task.html"
    return render_template(template, mark_types=grading.MARK_TYPES, **context,
                           **_context(found)), status


@bp.get("/tasks/<int:task_id>")
@login_required
def task(task_id: int):
    return _task_page(task_id)


@bp.post("/tasks/<int:task_id>/hand-in")
@login_required
def hand_in(task_id: int):
    task, found = services.task_or_404(current_user, task_id)
    form = HandInForm()
    mine = [s for s in services.family_students(current_user, task, found)
            if services.is_the_student(current_user, s.id)]
    if not mine:
        services.task_or_404(current_user, -1)
    if form.validate_on_submit():
        done, _work = attempt(lambda: services.hand_in(
            current_user, task, found, mine[0].id, text=form.text.data,
            files=uploads.files_of()), form.files, outside_is_404=True)
        if done:
            flash(_("Работа сдана."), "success")
            return redirect(url_for("selfstudy.task", task_id=task_id))
    return _task_page(task_id, hand_in_form=form, status=422)


@bp.post("/tasks/<int:task_id>/students/<int:student_id>/received")
@login_required
def received(task_id: int, student_id: int):
    task, found = services.task_or_404(current_user, task_id)
    done, _work = attempt(lambda: services.record_hand_in(current_user, task, found, student_id),
                          outside_is_404=True)
    if done:
        flash(_("Сдача отмечена."), "success")
    return redirect(url_for("selfstudy.task", task_id=task_id))


@bp.post("/tasks/<int:task_id>/students/<int:student_id>/mark")
@login_required
def mark(task_id: int, student_id: int):
    task, found = services.task_or_404(current_user, task_id)
    if not services.may_read(current_user, found):
        services.task_or_404(current_user, -1)
    form = MarkForm(prefix=f"s{student_id}")
    form.lesson.choices = [(str(lesson.id), _lesson_label(lesson)) for lesson
                           in services.marking_lessons(current_user, found, task)]
    form.mark_type.choices = [(key, str(title)) for key, title in grading.MARK_TYPES.items()]
    if form.validate_on_submit():
        done, _work = attempt(lambda: services.mark(
            current_user, task, found, student_id, value=form.value.data,
            lesson_id=parse_id(form.lesson.data), mark_type=form.mark_type.data),
            form.value, outside_is_404=True)
        if done:
            flash(_("Оценка выставлена в журнал."), "success")
            return redirect(url_for("selfstudy.task", task_id=task_id))
    return _task_page(task_id, mark_forms={student_id: form}, status=422)


@bp.post("/tasks/<int:task_id>/remove")
@login_required
def remove(task_id: int):
    task, found = services.task_or_404(current_user, task_id)
    done, _none = attempt(lambda: services.remove(current_user, task, found),
                          outside_is_404=True)
    if done:
        flash(_("Задание «%(title)s» снято.", title=task.title), "success")
        return redirect(url_for("selfstudy.load", load_id=found.id))
    return redirect(url_for("selfstudy.task", task_id=task_id))


@bp.get("/files/<int:file_id>")
@login_required
def file(file_id: int):
    found = services.file_or_404(current_user, file_id)
    return uploads.download(found.content, found.content_type, found.filename)
