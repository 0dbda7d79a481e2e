"""An archived period is read-only for everyone, the administrator included: the grid's JSON
saves (marks, finals, attendance) answer 409 with the archive's reason, a lesson's record and a
teacher's correction are refused; the administrator's correction with a reason is recorded as an
addendum, a sealed file chained to the manifest, and the archived files stay as they were."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import audit_key
from core.errors import Conflict
from core.extensions import db
from core.people.models import User
from core.plugins import hook
from plugins.archive import addenda, api, writer
from plugins.archive.models import ArchiveAddendum, ArchivedPeriod, ArchiveFile
from plugins.archive.storage import storage
from plugins.archive.tests.world import (
    FEDOROVA,
    KUZNETSOV,
    PETROV,
    after_term,
    archive_term,
    finals_everywhere,
    make,
)
from plugins.attendance import corrections as attendance_corrections
from plugins.grading import services as grading
from plugins.journal import api as journal
from plugins.journal import services as journal_services
from tests.concurrency import cell_of as cell
from tests.fixtures import signed_in

FROZEN = "сдан в архив"


@pytest.fixture
def archived(app, clock):
    world = make(app, clock)
    finals_everywhere(app, world)
    after_term(clock, world)
    world.ids["period"] = archive_term(app, world)
    return world


def post_cells(client, world, plugin, cells):
    return client.post(f"/journal/load/{world.ids['load']}/cells/{plugin}", json={"cells": cells})


@pytest.mark.parametrize("who", ["teacher", "admin", "deputy"])
def test_an_archived_term_refuses_grid_saves_of_every_role_with_the_archives_reason(
        app, archived, who):
    client = signed_in(app, archived.users[who])
    for plugin, cells in (
            ("grading", [cell(archived, 3, PETROV, "5")]),
            ("grading", [{"key": "term_final", "student_id": archived.students[KUZNETSOV],
                          "value": "3", "version": 1}]),
            ("attendance", [cell(archived, 3, FEDOROVA, "н")])):
        response = post_cells(client, archived, plugin, cells)
        if who == "deputy":  # reads the journal, writes none of it
            assert response.status_code == 404
            continue
        assert response.status_code == 409, (plugin, response.get_json())
        body = response.get_json()
        assert FROZEN in body["cells"][0]["message"], body


def test_the_rule_refuses_the_frozen_actions_and_leaves_other_periods_alone(app, archived):
    with app.test_request_context():
        from core.policy import check, check_many

        admin = db.session.get(User, archived.users["admin"].id)
        load = journal.get_load(archived.ids["load"])
        lessons = journal.lessons(load)
        for action in ("lesson.edit", "grade.edit", "attendance.edit"):
            target = lessons[0] if action == "lesson.edit" else journal.CellTarget(
                load, lessons[0], archived.students[PETROV])
            decision = check(action, admin, target)
            assert not decision and FROZEN in decision.reason and decision.status == 409
        many = check_many("lesson.edit", admin, lessons)
        assert all(FROZEN in decision.reason for decision in many)
        assert api.is_archived(lessons[0].date)
        assert not api.is_archived(load.term.ends_on.replace(year=load.term.ends_on.year + 1))


def test_a_lesson_record_of_an_archived_term_is_refused_to_its_teacher(app, archived):
    with app.test_request_context():
        teacher = db.session.get(User, archived.users["teacher"].id)
        lesson = journal.get_lesson(archived.lessons[4])
        with pytest.raises(Conflict, match=FROZEN):
            journal_services.update_lesson(teacher, lesson.id, lesson.version,
                                           {"topic": "Другая тема"}, reason="опечатка")
    teacher_client = signed_in(app, archived.users["teacher"])
    page = teacher_client.get(f"/journal/lessons/{archived.lessons[4]}")
    assert page.status_code == 200
    refused = teacher_client.post(f"/journal/lessons/{archived.lessons[4]}",
                                  data={"topic": "Другая тема", "version": "1"})
    assert refused.status_code == 404


def test_a_teacher_cannot_file_a_correction_in_an_archived_term(app, archived):
    with app.test_request_context():
        teacher = db.session.get(User, archived.users["teacher"].id)
        load = journal.get_load(archived.ids["load"])
        with pytest.raises(Conflict, match="только администратор"):
            grading.file_correction(teacher, load, archived.lessons[3],
                                    archived.students[PETROV], "4", "ошибка")
        with pytest.raises(Conflict, match="только администратор"):
            attendance_corrections.file_correction(teacher, load, archived.lessons[3],
                                                   archived.students[PETROV], "н", "ошибка")


def _addenda(app, period_id):
    with app.app_context():
        return [(row.number, row.previous_sha256, row.seal, row.file.path, row.file.sha256,
                 row.summary) for row in addenda.chain(period_id)]


def test_an_administrators_correction_becomes_a_sealed_addendum_chained_to_the_manifest(
        app, archived):
    period_id = archived.ids["period"]
    with app.app_context():
        period = db.session.get(ArchivedPeriod, period_id)
        manifest_sha = period.manifest_sha256
        before = {row.path: writer.sha256(storage().get(row.path)) for row in period.files}
    with app.test_request_context():  # BTT: the administrator's own correction waits
        admin = db.session.get(User, archived.users["admin"].id)
        load = journal.get_load(archived.ids["load"])
        filed = grading.file_correction(admin, load, archived.lessons[3],
                                        archived.students[PETROV], "4", "ошибка при переносе")
        db.session.commit()
        correction_id = filed.id
    assert _addenda(app, period_id) == []  # nothing took effect yet
    with app.test_request_context():
        deputy = db.session.get(User, archived.users["deputy"].id)
        grading.decide_correction(deputy, correction_id, approve=True)
        db.session.commit()
    with app.test_request_context():
        admin = db.session.get(User, archived.users["admin"].id)
        attendance_corrections.file_correction(admin, journal.get_load(archived.ids["load"]),
                                               archived.lessons[5],
                                               archived.students[FEDOROVA], "н", "справка")
        db.session.commit()
        deputy = db.session.get(User, archived.users["deputy"].id)
        waiting = attendance_corrections.PENDING.of(archived.lessons[5],
                                                    archived.students[FEDOROVA])
        attendance_corrections.decide_correction(deputy, waiting.id, approve=True)
        db.session.commit()
        lesson = journal.get_lesson(archived.lessons[6])
        journal_services.update_lesson(admin, lesson.id, lesson.version,
                                       {"topic": "Тема 7: сортировка"}, reason="опечатка")
        db.session.commit()

    chain = _addenda(app, period_id)
    assert [number for number, *_ in chain] == [1, 2, 3]
    assert chain[0][1] == manifest_sha  # the first names the manifest, each the one before
    assert chain[1][1] == chain[0][4] and chain[2][1] == chain[1][4]
    assert "Оценка, Петров Алексей" in chain[0][5] and "«4»" in chain[0][5]
    assert "Посещаемость, Фёдорова Мария" in chain[1][5]
    assert "Запись занятия" in chain[2][5] and "сортировка" in chain[2][5]
    with app.app_context():
        for number, previous, seal, path, sha, _summary in chain:
            data = storage().get(path)
            assert writer.sha256(data) == sha
            assert audit_key.matches(data, seal, addenda.ADDENDUM_SEAL)
            assert storage().get(path + ".seal").decode() == seal
            document = json.loads(data)
            assert document["number"] == number and document["previous_sha256"] == previous
            assert document["manifest_sha256"] == manifest_sha
        assert json.loads(storage().get(chain[0][3]))["reason"] == "ошибка при переносе"
        period = db.session.get(ArchivedPeriod, period_id)
        assert period.manifest_sha256 == manifest_sha
        after = {row.path: writer.sha256(storage().get(row.path)) for row in period.files
                 if row.kind != "addendum"}
        assert after == before  # nothing archived was rewritten
        kinds = db.session.scalars(select(ArchiveFile.kind).where(
            ArchiveFile.period_id == period_id, ArchiveFile.kind == "addendum")).all()
        assert len(kinds) == 3
        assert db.session.scalar(select(ArchiveAddendum.reason).where(
            ArchiveAddendum.number == 2, ArchiveAddendum.period_id == period_id)) == "справка"
    admin_client = signed_in(app, archived.users["admin"])
    page = admin_client.get(f"/archive/{period_id}").get_data(as_text=True)
    assert "Дополнения" in page and "ошибка при переносе" in page


def test_hook_archived_report(app, clock):
    """The year closed (``archive.period`` = year): its statements are served from the archive
    byte for byte, a live change afterwards notwithstanding."""
    from datetime import timedelta

    from core.calendar.models import AcademicYear
    from core.policy import reset_override, set_override
    from plugins.archive.tests.world import noon, run_worker
    from plugins.grading.models import Final

    world = make(app, clock, prefix="ay")
    finals_everywhere(app, world)
    with app.app_context():
        set_override("archive.period", "year")
        db.session.commit()
    try:
        with app.app_context():
            year = db.session.scalar(select(AcademicYear).where(AcademicYear.title == "ay-год"))
            year_id, year_end = year.id, year.ends_on
        clock.set(noon(year_end + timedelta(days=2)))
        admin = signed_in(app, world.users["admin"])
        from plugins.archive.closing import find_choice
        with app.app_context():
            choice = find_choice(year.starts_on, year_end)
            assert choice is not None and choice.term_id is None
        started = admin.post("/archive/close", data={"starts_on": year.starts_on.isoformat(),
                                                     "ends_on": year_end.isoformat()})
        assert started.status_code == 302, started.get_data(as_text=True)
        period_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        run_worker(app, period_id)
        with app.app_context():
            kept = db.session.scalar(select(ArchiveFile).where(
                ArchiveFile.period_id == period_id, ArchiveFile.group_id == world.ids["g1"],
                ArchiveFile.kind == "statement_pdf",
                ArchiveFile.path.like("%grading-summary%")))
            stored = storage().get(kept.path)
            db.session.execute(Final.__table__.update().values(value="2"))  # a change in SQL
            db.session.commit()
        args = {"group": world.ids["g1"], "year": year_id}
        served = admin.get("/reports/grading.summary/file.pdf", query_string=args)
        assert served.status_code == 200 and served.data == stored
        assert "archive" in served.headers["Content-Disposition"]
        journal_job = admin.post("/reports/reports.year_journal/jobs",
                                 data={**args, "format": "pdf"})
        assert journal_job.status_code == 200 and journal_job.data.startswith(b"%PDF")
        with app.test_request_context():
            from core.plugins.types import ReportQuery

            found = hook().archived_report(
                report="grading.summary", file_format="xlsx",
                query=ReportQuery(user=None, group_id=world.ids["g1"], year_id=year_id))
            assert found is None  # only the PDF is archived
    finally:
        with app.app_context():
            reset_override("archive.period")
            db.session.commit()


def test_a_reason_of_absences_reaching_an_archived_term_is_refused(app, archived):
    from plugins.attendance import services as attendance

    with app.test_request_context():
        admin = db.session.get(User, archived.users["admin"].id)
        day = archived.dates[3]
        with pytest.raises(Conflict, match=FROZEN):
            attendance.set_reason(admin, archived.students[PETROV], day, day + timedelta(days=60),
                                  "illness")
        later = archived.dates[-1] + timedelta(days=60)  # after the term: not archived
        attendance.set_reason(admin, archived.students[PETROV], later, later, "illness")
