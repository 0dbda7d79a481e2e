"""Closing a period: refused while something blocks it (the page and the refusal name it), then
written by the worker: each group's printed journal and statements as PDF, the data as CSV and
JSON, a manifest with every file's SHA-256 and the audit head, sealed with the audit key."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from sqlalchemy import select

from core import audit_key
from core.audit import AuditHead
from core.extensions import db
from core.people.models import User
from plugins.archive import writer
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.storage import storage
from plugins.archive.tests.world import (
    SMIRNOVA,
    after_term,
    finals_everywhere,
    make,
    run_worker,
    set_final,
    the_term,
)
from plugins.grading import services as grading
from plugins.journal import api as journal
from tests.fixtures import signed_in


@pytest.fixture
def world(app, clock):
    return make(app, clock)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True,
                          check=True)
    return " ".join(done.stdout.decode().split())


def close_form(choice) -> dict:
    return {"starts_on": choice.starts_on.isoformat(), "ends_on": choice.ends_on.isoformat()}


def test_hook_archive_blockers(app, world, clock):
    finals_everywhere(app, world, but_smirnova=True)
    after_term(clock, world)
    choice = the_term(app, world)
    with app.test_request_context():
        from core.plugins import hook

        found = [b for answer in hook().archive_blockers(start=choice.starts_on,
                                                         end=choice.ends_on) for b in answer]
    assert [b.title for b in found] == ["Не выставлены итоговые оценки за семестр"]
    assert found[0].count == 1 and "ИСП-22" in found[0].examples[0]


def test_closing_is_refused_naming_what_blocks_it_then_the_term_is_archived(app, world, clock):
    finals_everywhere(app, world, but_smirnova=True)
    teacher_id = world.users["teacher"].id
    with app.test_request_context():  # a correction of a mark waits for the deputy director
        teacher = db.session.get(User, teacher_id)
        correction = grading.file_correction(teacher, journal.get_load(world.ids["load"]),
                                             world.lessons[2], world.students[0], "4",
                                             "ошибка при вводе")
        db.session.commit()
        correction_id = correction.id
    admin = signed_in(app, world.users["admin"])
    choice = the_term(app, world)

    early = admin.post("/archive/close", data=close_form(choice))
    assert early.status_code == 409
    assert "Период ещё не закончился" in early.get_data(as_text=True)

    after_term(clock, world)
    admin = signed_in(app, world.users["admin"])  # a month on: a new session
    page = admin.get("/archive/").get_data(as_text=True)
    assert "Не выставлены итоговые оценки за семестр" in page and "ИСП-22" in page
    assert "Заявки на исправление оценок ждут решения" in page
    refused = admin.post("/archive/close", data=close_form(choice))
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "Период нельзя закрыть" in text and "ИСП-22" in text and "Заявки" in text

    set_final(app, world, "other_load", SMIRNOVA, "4")
    with app.test_request_context():
        deputy = db.session.get(User, world.users["deputy"].id)
        grading.decide_correction(deputy, correction_id, approve=False, note="оценка верна")
        db.session.commit()
    started = admin.post("/archive/close", data=close_form(choice))
    assert started.status_code == 302
    period_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert admin.get(f"/archive/{period_id}", headers={"Accept": "application/json"}
                     ).get_json()["state"] == "closing"
    assert admin.post("/archive/close", data=close_form(choice)).status_code == 409  # once

    run_worker(app, period_id)
    status = admin.get(f"/archive/{period_id}", headers={"Accept": "application/json"}).get_json()
    assert status["state"] == "archived" and status["percent"] == 100
    with app.app_context():
        period = db.session.get(ArchivedPeriod, period_id)
        files = {row.path.rsplit("/", 1)[1]: row for row in period.files}
        head = db.session.execute(select(AuditHead.last_id)).scalar()
        manifest_bytes = storage().get(period.manifest_path)
        group_ids = {world.ids["g1"], world.ids["g2"]}
        assert {row.group_id for row in period.files if row.kind == "journal_pdf"} == group_ids
        assert {f"reports-year_journal-group-{g}.pdf" for g in group_ids} <= set(files)
        assert {f"grading-summary-group-{g}.pdf" for g in group_ids} <= set(files)
        assert {"lessons.csv", "marks.csv", "absences.csv", "finals.csv", "substitutions.csv",
                "period.json", "manifest.json"} <= set(files)
        assert files["finals.csv"].retention == "statement"
        assert files["lessons.csv"].retention == "journal"
        assert files[f"grading-summary-group-{world.ids['g1']}.pdf"].retention == "statement"

        manifest = json.loads(manifest_bytes)
        assert audit_key.matches(manifest_bytes, period.seal, writer.MANIFEST_SEAL)
        assert storage().get(period.manifest_path + ".seal").decode() == period.seal
        assert not audit_key.matches(manifest_bytes + b" ", period.seal, writer.MANIFEST_SEAL)
        assert manifest["audit_head"]["id"] == period.audit_head_id <= head
        assert manifest["seal"]["algorithm"] == "HMAC-SHA256"
        listed = {entry["path"]: entry for entry in manifest["files"]}
        assert set(listed) == {row.path for row in period.files if row.kind != "manifest"}
        for path, entry in listed.items():
            data = storage().get(path)
            assert writer.sha256(data) == entry["sha256"] and len(data) == entry["size"]

        journal_pdf = pdf_text(storage().get(
            files[f"reports-year_journal-group-{world.ids['g1']}.pdf"].path))
        assert "Журнал учебных занятий" in journal_pdf and "Петров А. И." in journal_pdf
        finals = list(csv.reader(io.StringIO(
            storage().get(files["finals.csv"].path).decode("utf-8-sig"))))
        assert finals[0][:6] == ["final_id", "load_id", "student_id", "record_book_no",
                                 "student", "kind"]
        assert ["ar-24-0002", "Смирнова Дарья Олеговна", "term", "4"] in [
            row[3:7] for row in finals[1:]]
        data = json.loads(storage().get(files["period.json"].path))
        assert len(data["tables"]["lessons"]["rows"]) == 13
    done = admin.get(f"/archive/{period_id}").get_data(as_text=True)
    assert "Печатный журнал".lower() in done.lower() and period.manifest_sha256 in done
    file_id = files["finals.csv"].id
    assert admin.get(f"/archive/file/{file_id}").data == storage_bytes(app, file_id)


def storage_bytes(app, file_id: int) -> bytes:
    with app.app_context():
        return storage().get(db.session.get(ArchiveFile, file_id).path)


def test_the_archive_page_is_the_administrators_only(app, world):
    for who in ("teacher", "deputy"):
        client = signed_in(app, world.users[who])
        assert client.get("/archive/").status_code == 404
        assert client.post("/archive/close", data={}).status_code == 404


def test_a_period_the_calendar_has_not_got_is_a_form_error(app, world):
    admin = signed_in(app, world.users["admin"])
    response = admin.post("/archive/close", data={"starts_on": "2001-01-01", "ends_on": "x"})
    assert response.status_code == 422
    assert "Такого периода нет в календаре" in response.get_data(as_text=True)


def test_a_failed_archive_leaves_no_files_and_can_be_closed_again(app, world, clock,
                                                                  monkeypatch):
    finals_everywhere(app, world)
    after_term(clock, world)
    choice = the_term(app, world)
    admin = signed_in(app, world.users["admin"])
    started = admin.post("/archive/close", data=close_form(choice))
    period_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def broken(period, folder):
        raise RuntimeError("диск переполнен")

    monkeypatch.setattr(writer, "_write_data", broken)
    run_worker(app, period_id)
    with app.app_context():
        period = db.session.get(ArchivedPeriod, period_id)
        assert period.state == "failed" and "диск переполнен" in period.error
        assert period.files == [] and storage().list() == []
    monkeypatch.undo()
    again = admin.post("/archive/close", data=close_form(choice))
    assert again.status_code == 302
    run_worker(app, period_id)
    with app.app_context():
        assert db.session.get(ArchivedPeriod, period_id).state == "archived"
