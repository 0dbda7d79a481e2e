"""The "load kinds of work" migration: existing disciplines start with the kinds of work their
journals' lessons had, so no requirement that held before the upgrade silently disappears."""

from __future__ import annotations

from sqlalchemy import text

from core import migrate
from core.extensions import db

BEFORE = "f992cd091531"  # the journal just before the kinds of work

ROWS = [
    "INSERT INTO core_user (id, login, last_name, first_name, active, session_version, "
    "must_change_password, created_at) VALUES (1, 't', 'Васильев', 'Павел', 1, 1, 0, "
    "'2026-09-01 00:00:00')",
    "INSERT INTO core_specialty (id, code, name) VALUES (1, '09.02.07', 'ИСП')",
    "INSERT INTO core_group (id, name, specialty_id, course, form_of_study, admission_year, "
    "graduated) VALUES (1, 'ИСП-21', 1, 2, 'full_time', 2024, 0)",
    "INSERT INTO core_academic_year (id, title, starts_on, ends_on, is_current) "
    "VALUES (1, '2026/2027', '2026-09-01', '2027-06-30', 1)",
    "INSERT INTO core_term (id, year_id, number, title, starts_on, ends_on) "
    "VALUES (1, 1, 1, '1 семестр', '2026-09-01', '2026-12-31')",
    "INSERT INTO journal_discipline (id, code, name, short_name, kind) VALUES "
    "(1, 'ОП.04', 'Алгоритмизация', '', 'discipline'), (2, 'ОУД.01', 'Русский язык', '', "
    "'general')",
    "INSERT INTO journal_teaching_load (id, teacher_id, group_id, discipline_id, term_id, "
    "hours_per_week, hours_total) VALUES (1, 1, 1, 1, 1, 2, 34), (2, 1, 1, 2, 1, 2, 34)",
]
LESSON = ("INSERT INTO journal_lesson (load_id, date, pair_number, hours, topic, work_type, "
          "homework, version, created_at) VALUES (:load, :day, 1, 2, '', :kind, '', 1, "
          "'2026-09-01 00:00:00')")


def test_existing_disciplines_declare_the_kinds_of_work_their_lessons_had(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'kinds.sqlite3'}", PLUGINS=["journal"])
    migrate.upgrade(app, only="core")
    migrate.upgrade(app, only="journal", revision=BEFORE)
    with app.app_context():
        for statement in ROWS:
            db.session.execute(text(statement))
        for day, kind in (("2026-09-02", "laboratory"), ("2026-09-09", "lecture"),
                          ("2026-09-16", "exam"), ("2026-09-23", "self_study")):
            db.session.execute(text(LESSON), {"load": 1, "day": day, "kind": kind})
        db.session.execute(text(LESSON), {"load": 2, "day": "2026-09-02", "kind": "lecture"})
        db.session.commit()
    migrate.upgrade(app, only="journal")
    with app.app_context():
        kinds = dict(db.session.execute(text(
            "SELECT id, work_kinds FROM journal_discipline")).all())
        loads = set(db.session.execute(text(
            "SELECT work_kinds FROM journal_teaching_load")).scalars())
    assert kinds == {1: "written,control,laboratory", 2: ""}
    assert loads == {None}  # every load follows its discipline
