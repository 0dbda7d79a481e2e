"""A finished academic year for the retention tests: its first term (1 September – 30 December
2020) with a lesson of each of two days, a lesson of the second term (1 February 2021), a mark,
an absence and the history of each, a final of the term, an excuse and a substitution within the
term, and a material attached to the term's lesson.

``build(app)`` commits it and returns the ``World`` (ids by name).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.calendar.models import Term
from core.extensions import db
from core.people import models as people
from core.people.roles import Role
from tests import college

TERM_START, TERM_END = date(2020, 9, 1), date(2020, 12, 30)
LESSON_DAYS = (date(2020, 10, 5), date(2020, 11, 9))
LATER_DAY = date(2021, 2, 1)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def build(app, prefix: str = "r") -> college.World:
    from plugins.attendance.models import Absence, AbsenceHistory, Excuse, Taken
    from plugins.grading.models import Final, History, Mark
    from plugins.journal.models import Discipline, Lesson, LessonHistory
    from plugins.materials.models import Material
    from plugins.substitutions.models import Substitution

    world = college.World()
    with app.app_context():
        u = world.users
        u["admin"] = college.add_user(f"{prefix}.admin", Role.ADMIN, "Соколова", "Ирина")
        u["teacher"] = college.add_user(f"{prefix}.teacher", Role.TEACHER, "Васильев", "Павел")
        u["other"] = college.add_user(f"{prefix}.other", Role.TEACHER, "Титов", "Олег")
        frame = college.add_frame(department=f"Отделение {prefix}", code=f"{prefix}.02.07")
        term = college.add_term(f"{prefix} 2020/2021", TERM_START, date(2021, 6, 30), TERM_END)
        second = Term(year_id=term.year_id, number=2, title="2 семестр",
                      starts_on=date(2021, 1, 11), ends_on=date(2021, 6, 30))
        db.session.add(second)
        group = people.Group(name=f"ИСП-{prefix}", specialty_id=frame.specialty.id, course=1,
                             admission_year=2020, year_id=term.year_id)
        db.session.add(group)
        db.session.flush()
        student = college.add_student(group.id, TERM_START, record_book_no=f"{prefix}-001",
                                      last_name="Петров", first_name="Алексей")
        discipline = Discipline(code="ОП.01", name=f"Информатика {prefix}", kind="discipline")
        db.session.add(discipline)
        db.session.flush()
        load = college.add_load(u["teacher"].id, group.id, discipline.id, term.id)
        later_load = college.add_load(u["teacher"].id, group.id, discipline.id, second.id)
        lessons = [Lesson(load_id=load.id, date=day, pair_number=1, topic=f"Тема {n}")
                   for n, day in enumerate(LESSON_DAYS, 1)]
        later = Lesson(load_id=later_load.id, date=LATER_DAY, pair_number=1, topic="Весна")
        db.session.add_all([*lessons, later])
        db.session.flush()
        marks = [Mark(lesson_id=lesson.id, student_id=student.id, value=value)
                 for lesson, value in ((lessons[0], "4"), (lessons[1], "5"), (later, "3"))]
        excuse = Excuse(student_id=student.id, date_from=LESSON_DAYS[1], date_to=LESSON_DAYS[1],
                        reason="illness", source="curator", status="accepted")
        db.session.add_all([*marks, excuse])
        db.session.flush()
        absences = [Absence(lesson_id=lessons[1].id, student_id=student.id, kind="absent",
                            hours=2, reason="illness", excuse_id=excuse.id),
                    Absence(lesson_id=later.id, student_id=student.id, kind="absent", hours=2)]
        final = Final(load_id=load.id, student_id=student.id, kind="term", value="4")
        db.session.add_all([*absences, final, Taken(lesson_id=lessons[0].id),
                            Taken(lesson_id=later.id)])
        db.session.flush()
        db.session.add_all([
            History(mark_id=marks[0].id, old_value="", new_value="4"),
            History(mark_id=marks[2].id, old_value="", new_value="3"),
            History(final_id=final.id, old_value="", new_value="4"),
            AbsenceHistory(absence_id=absences[0].id, field="mark", new_value="н2"),
            LessonHistory(lesson_id=lessons[0].id, field="topic", old_value="",
                          new_value="Тема 1"),
            Substitution(kind="replacement", absent_id=u["teacher"].id,
                         substitute_id=u["other"].id, load_id=load.id,
                         date_from=LESSON_DAYS[0], date_to=LESSON_DAYS[0]),
            Material(load_id=load.id, lesson_id=lessons[0].id, kind="tasks", title="Задание",
                     author_id=u["teacher"].id),
        ])
        db.session.flush()
        world.students = [student.id]
        world.lessons = [lesson.id for lesson in lessons]
        world.ids.update(admin=u["admin"].id, term=term.id, second_term=second.id,
                         group=group.id, load=load.id,
                         later_lesson=later.id, final=final.id, student=student.id,
                         mark=marks[0].id, later_mark=marks[2].id, excuse=excuse.id)
        college.keep_roles(u.values())
        db.session.commit()
    return world

