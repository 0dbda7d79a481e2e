"""``archive verify`` on an archive the worker really wrote (``plugins/archive/tests/world``):
intact at first; a live mark of the period changed in SQL is named by its record, with the
archived and the live value; an allowed correction, recorded as an addendum, is no difference."""

from __future__ import annotations

from sqlalchemy import select, update

from core.extensions import db
from core.people.models import Student
from plugins.archive import verify
from plugins.archive.models import ArchivedPeriod
from plugins.archive.tests.world import after_term, archive_term, finals_everywhere, make


def _verify(app, period_id: int) -> list[str]:
    with app.test_request_context():
        title = db.session.get(ArchivedPeriod, period_id).title
    result = app.test_cli_runner().invoke(args=["archive", "verify", title])
    return result.exit_code, result.output


def test_verify_names_the_record_of_a_mark_changed_in_sql(app, clock):
    from plugins.grading.models import Mark

    world = make(app, clock, prefix="vl")
    with app.test_request_context():  # a current mark of the term, as the teacher gave it
        db.session.add(Mark(lesson_id=world.lessons[1], student_id=world.students[0],
                            value="4", mark_type="oral"))
        db.session.commit()
    finals_everywhere(app, world)
    after_term(clock, world)
    period_id = archive_term(app, world)
    code, output = _verify(app, period_id)
    assert code == 0, output
    assert "архив цел" in output

    with app.test_request_context():
        mark = db.session.scalars(select(Mark).where(
            Mark.lesson_id == world.lessons[1], Mark.student_id == world.students[0])).one()
        student = db.session.get(Student, mark.student_id)
        old, new = mark.value, "5"
        db.session.execute(update(Mark.__table__).where(Mark.__table__.c.id == mark.id)
                           .values(value=new))
        db.session.commit()
        mark_id = mark.id
    code, output = _verify(app, period_id)
    assert code == 1
    line = next(line for line in output.splitlines() if f"mark_id={mark_id} " in line)
    assert f"«value» в архиве «{old}», в базе «{new}»" in line
    assert "data/marks.csv" in line and student.last_name in line and "занятие от" in line
    with app.test_request_context():
        run = verify.last_runs([period_id])[period_id]
        assert not run.ok and any(f"mark_id={mark_id} " in p for p in run.problems)


def test_a_correction_recorded_as_an_addendum_is_no_difference(app, clock):
    from plugins.archive.models import ArchiveAddendum
    from plugins.grading import services as grading
    from plugins.grading.models import Mark
    from plugins.journal import api as journal

    world = make(app, clock, prefix="va")
    with app.test_request_context():
        db.session.add(Mark(lesson_id=world.lessons[1], student_id=world.students[0],
                            value="4", mark_type="oral"))
        db.session.commit()
    finals_everywhere(app, world)
    after_term(clock, world)
    period_id = archive_term(app, world)
    with app.test_request_context():
        from core.people.models import User

        admin = db.session.get(User, world.users["admin"].id)
        deputy = db.session.get(User, world.users["deputy"].id)
        correction = grading.file_correction(admin, journal.get_load(world.ids["load"]),
                                             world.lessons[1], world.students[0], "3",
                                             "ошибка при вводе")
        db.session.commit()
        if correction.status == "pending":
            grading.decide_correction(deputy, correction.id, True)
            db.session.commit()
        assert db.session.scalar(select(Mark.value).where(
            Mark.lesson_id == world.lessons[1], Mark.student_id == world.students[0])) == "3"
        assert db.session.scalar(select(ArchiveAddendum.id).where(
            ArchiveAddendum.period_id == period_id)) is not None
    code, output = _verify(app, period_id)
    assert code == 0, output
