"""Demo materials: for the first demo student's group, methodological recommendations (a PDF
made here, in memory), a task list on a lesson of this week and a literature link for a few
disciplines, added by their teachers through the service, so that they show in the diary."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

import core
from core.extensions import db
from core.people.models import GroupMembership, Student, User
from plugins.journal import api as journal
from plugins.materials import services

FONT = Path(core.__file__).parent / "static" / "fonts" / "DejaVuSans.ttf"

GUIDELINES = (
    "Методические рекомендации по самостоятельной работе",
    ["Самостоятельная работа выполняется в тетради или в электронном виде.",
     "1. Прочитайте конспект занятия и раздел учебника по теме.",
     "2. Ответьте на контрольные вопросы в конце раздела.",
     "3. Выполните задания для самостоятельной работы к следующему занятию.",
     "Консультации — по расписанию преподавателя."],
)
TASKS = ("Задания для самостоятельной работы",
         "1. Повторить конспект занятия.\n2. Решить задачи 1–5 из раздела.\n"
         "3. Подготовить ответы на контрольные вопросы.\n")
LITERATURE = ("Электронная библиотека: учебники по дисциплине", "https://urait.ru/")


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(title)
    page.setFont("DejaVuSans", 14)
    page.drawString(56, 780, title)
    page.setFont("DejaVuSans", 11)
    for number, line in enumerate(lines):
        page.drawString(56, 750 - 18 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _file(name: str, content: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name)


def make_materials(college) -> None:
    students = college.made.get("student_users") or []
    loads = college.made.get("loads") or []
    if not students or not loads:
        return
    group_id = db.session.scalar(
        select(GroupMembership.group_id).join(Student, Student.id == GroupMembership.student_id)
        .where(Student.user_id == students[0].id, GroupMembership.left_on.is_(None)))
    mine = [journal.get_load(load.id) for load in loads
            if load.group_id == group_id and load.subgroup_id is None][:3]
    week_start = college.today - timedelta(days=college.today.weekday())
    for number, load in enumerate(mine):
        teacher = db.session.get(User, load.teacher_id)
        title, lines = GUIDELINES
        services.add(teacher, load, kind="guidelines", title=title,
                     description="Порядок выполнения **самостоятельной работы** по дисциплине "
                                 f"«{load.discipline.name}».",
                     files=[_file("Методические рекомендации.pdf", _pdf(title, lines))])
        this_week = [lesson for lesson in journal.lessons(load)
                     if week_start <= lesson.date <= college.today]
        if this_week:
            title, text = TASKS
            services.add(teacher, load, kind="tasks", title=title, lesson_id=this_week[-1].id,
                         description="Выполнить к следующему занятию.",
                         files=[_file("Задания для самостоятельной работы.txt", text.encode())])
        if number == 0:
            title, url = LITERATURE
            services.add(teacher, load, kind="literature", title=title, url=url,
                         description="Доступ — с учётной записью колледжа.")
