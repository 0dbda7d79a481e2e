"""Retention: the plugins' purge of a period's detailed journal data (``purge_records``), the
outbox's bodies and delivery log, generated report files, and the personal data of leavers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from core import audit, retention
from core.extensions import db
from core.outbox import OutboxMessage
from core.people import models as people
from core.people.accounts import set_active
from core.plugins import hook
from tests import college, retention_world


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _counts(results) -> dict[str, int]:
    return {item.table: item.count for batch in results for item in batch}


def test_hook_purge_records(app):
    from plugins.attendance.models import Absence, Excuse
    from plugins.grading.models import Final, History, Mark
    from plugins.journal.models import Lesson
    from plugins.materials.models import Material
    from plugins.substitutions.models import Substitution

    world = retention_world.build(app)
    start, end = retention_world.TERM_START, retention_world.TERM_END
    with app.test_request_context():
        preview = _counts(hook().purge_records(start=start, end=end, dry_run=True))
        assert preview["journal_lesson"] == 2
        assert preview["grading_mark"] == 2 and preview["grading_history"] == 1
        assert preview["attendance_absence"] == 1 and preview["attendance_excuse"] == 1
        assert preview["substitutions_substitution"] == 1
        assert preview["materials_material"] == 1
        assert _count(Lesson) >= 3 and _count(Mark, Mark.lesson_id.in_(world.lessons)) == 2

        done = _counts(hook().purge_records(start=start, end=end, dry_run=False))
        db.session.commit()
        assert done == preview
        assert _count(Lesson, Lesson.id.in_(world.lessons)) == 0
        assert _count(Mark, Mark.lesson_id.in_(world.lessons)) == 0
        assert _count(Absence, Absence.student_id == world.ids["student"]) == 1  # the spring's
        assert db.session.get(Excuse, world.ids["excuse"]) is None
        assert _count(Substitution, Substitution.load_id == world.ids["load"]) == 0
        # the summary data and the next term stay; the material stays with its discipline
        assert db.session.get(Final, world.ids["final"]).value == "4"
        assert _count(History, History.final_id == world.ids["final"]) == 1
        assert db.session.get(Lesson, world.ids["later_lesson"]) is not None
        assert db.session.get(Mark, world.ids["later_mark"]).value == "3"
        material = db.session.scalars(select(Material).where(
            Material.load_id == world.ids["load"])).one()
        assert material.lesson_id is None
        again = _counts(hook().purge_records(start=start, end=end, dry_run=True))
        assert set(again.values()) == {0}


def _message(key: str, created: datetime, status: str) -> OutboxMessage:
    message = OutboxMessage(channel="email", recipient="p@example.org", idempotency_key=key,
                            subject="Оценки", body_text="Петров: 5", body_html="<p>5</p>",
                            payload="MIME", status=status, created_at=created)
    db.session.add(message)
    return message


def test_outbox_bodies_and_delivery_log_expire_by_their_own_settings(app):
    today = date(2026, 11, 25)
    noon = datetime(2026, 11, 25, 9, tzinfo=UTC)
    with app.test_request_context():
        old = _message("old", noon - timedelta(days=1200), "sent")
        half = _message("half", noon - timedelta(days=200), "sent")
        fresh = _message("fresh", noon - timedelta(days=10), "sent")
        waiting = _message("waiting", noon - timedelta(days=1200), "pending")
        db.session.flush()
        ids = old.id, half.id, fresh.id, waiting.id
        result = retention.purge_outbox(today)
        db.session.commit()
        assert (result.rows, result.bodies) == (1, 1)
        db.session.expire_all()
        assert db.session.get(OutboxMessage, ids[0]) is None
        kept = db.session.get(OutboxMessage, ids[1])
        assert (kept.body_text, kept.payload, kept.subject) == ("", "", "Оценки")
        assert db.session.get(OutboxMessage, ids[2]).body_text == "Петров: 5"
        assert db.session.get(OutboxMessage, ids[3]).payload == "MIME"  # never sent: kept
        entry = db.session.scalars(select(audit.AuditEntry).where(
            audit.AuditEntry.action == "retention.outbox.purge")
            .order_by(audit.AuditEntry.id.desc())).first()
        assert entry.after["rows_removed"] == 1 and "Петров" not in str(entry.after)


def test_generated_report_files_expire_after_their_days(app):
    from plugins.reports.models import ReportJob
    from plugins.reports.retention import purge_files

    noon = datetime(2026, 11, 25, 9, tzinfo=UTC)
    with app.test_request_context():
        user = college.add_user("rep.user", None, "Иванов", "Иван")
        jobs = [ReportJob(user_id=user.id, report="x", params={}, file_format="pdf",
                          status=status, finished_at=finished, content=b"%PDF")
                for status, finished in (("done", noon - timedelta(days=31)),
                                         ("done", noon - timedelta(days=29)),
                                         ("running", None))]
        db.session.add_all(jobs)
        db.session.flush()
        ids = [job.id for job in jobs]
        assert purge_files(date(2026, 11, 25)) == 1
        db.session.commit()
        db.session.expunge_all()
        assert [db.session.get(ReportJob, i) is not None for i in ids] == [False, True, True]


def test_personal_data_of_leavers_reduced_after_the_setting(app, clock):
    from core.people.movement import move_student

    clock.set(datetime(2024, 6, 1, 9, tzinfo=UTC))
    with app.test_request_context():
        admin = college.add_user("pd.admin", college.Role.ADMIN, "Соколова", "Ирина")
        frame = college.add_frame(department="Отделение ПД", code="pd.01")
        group = people.Group(name="ПД-21", specialty_id=frame.specialty.id, course=3,
                             admission_year=2021)
        db.session.add(group)
        db.session.flush()
        user = college.add_user("pd.student", college.Role.STUDENT, "Петров", "Алексей",
                                email="petrov@example.org")
        leaver = college.add_student(group.id, date(2021, 9, 1), record_book_no="pd-1",
                                     last_name="Петров", first_name="Алексей",
                                     birth_date=date(2005, 3, 4), phone="+79001112233",
                                     user_id=user.id)
        stays = college.add_student(group.id, date(2021, 9, 1), record_book_no="pd-2",
                                    last_name="Белова", first_name="Анна",
                                    birth_date=date(2005, 5, 6))
        parent_user = college.add_user("pd.parent", college.Role.PARENT, "Петрова", "Мария")
        parent = college.add_guardian(parent_user.id, "Петрова", "Мария", [leaver.id],
                                      phone="+79004445566")
        both = college.add_guardian(None, "Белов", "Илья", [leaver.id, stays.id],
                                    phone="+79007778899")
        staff = college.add_user("pd.teacher", college.Role.TEACHER, "Титов", "Олег",
                                 email="titov@example.org")
        move_student(leaver, "expelled", date(2024, 6, 1), "12-к", actor=admin)
        set_active(staff, False, admin)
        db.session.commit()
        ids = leaver.id, stays.id, parent.id, both.id, staff.id, user.id

    clock.set(datetime(2025, 5, 31, 9, tzinfo=UTC))  # not yet a year
    with app.test_request_context():
        assert retention.reduce_leavers().total == 0
    clock.set(datetime(2025, 6, 2, 9, tzinfo=UTC))
    with app.test_request_context():
        done = retention.reduce_leavers()
        db.session.commit()
        assert (done.students, done.guardians, done.staff) == ([ids[0]], [ids[2]], [ids[4]])
        db.session.expire_all()
        gone = db.session.get(people.Student, ids[0])
        assert (gone.last_name, gone.birth_date, gone.phone) == ("Петров", None, None)
        account = db.session.get(people.User, ids[5])
        assert account.login == f"removed.{ids[5]}" and account.password_hash is None
        assert not account.active and account.email is None
        assert db.session.get(people.Student, ids[1]).birth_date == date(2005, 5, 6)
        assert db.session.get(people.Guardian, ids[2]).phone is None
        assert db.session.get(people.Guardian, ids[3]).phone == "+79007778899"  # a child stays
        teacher = db.session.get(people.User, ids[4])
        assert (teacher.last_name, teacher.email, teacher.login) == (
            "Титов", None, f"removed.{ids[4]}")
        assert retention.reduce_leavers().total == 0  # done once
