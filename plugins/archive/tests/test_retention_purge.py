"""The retention purge (BTT 5.3): after archive.journal_retention_years (5) a period's journal
files and detailed records go, drawn up as an act; its statements stay until
archive.statement_retention_years (25); the preview lists beforehand what the act lists after."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from core.errors import DomainError
from core.extensions import db
from plugins.archive import purge, storage
from plugins.archive.models import ArchivedPeriod, ArchiveFile
from plugins.archive.record_models import DestructionAct
from plugins.archive.tests import sealed

#: the first term ended on 30 December 2020: journals kept to 30 December 2025 inclusive
LAST_DAY = date(2025, 12, 30)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def _period(period_id: int) -> ArchivedPeriod:
    return db.session.get(ArchivedPeriod, period_id)


def test_purge_at_five_years_and_a_day_removes_journals_keeps_statements(app, clock):
    from plugins.grading.models import Final, Mark
    from plugins.journal.models import Lesson

    world, period_id = sealed.build(app, "p5", with_data=False)
    clock.set(_at(LAST_DAY))
    with app.test_request_context():
        period = _period(period_id)
        with pytest.raises(DomainError, match="Срок хранения не истёк"):
            purge.purge(period)
        db.session.rollback()
        assert purge.due() == []

    clock.set(_at(date(2025, 12, 31)))  # five years and a day
    with app.test_request_context():
        period = _period(period_id)
        preview = purge.plan(period)
        assert preview.due and preview.kept_until == LAST_DAY
        assert [f.kind for f in preview.files] == ["journal_pdf"]
        assert [f.kind for f, _until in preview.kept] == ["statement_pdf", "manifest"]
        planned = {item.table: item.count for item in preview.records}
        assert planned["grading_mark"] == 2 and planned["journal_lesson"] == 2
        assert [(p.id, stage) for p, stage in purge.due()] == [(period_id, "journal")]

        acts = purge.purge_due()
        assert len(acts) == 1
        act = acts[0]
        db.session.expire_all()
        store = storage.storage()
        journal, statement = (db.session.scalars(select(ArchiveFile).where(
            ArchiveFile.period_id == period_id, ArchiveFile.kind == kind)).one()
            for kind in ("journal_pdf", "statement_pdf"))
        assert not store.exists(journal.path) and journal.purged_at is not None
        assert store.exists(statement.path) and statement.purged_at is None
        assert db.session.scalar(select(func.count()).select_from(Lesson).where(
            Lesson.id.in_(world.lessons))) == 0
        assert db.session.scalar(select(func.count()).select_from(Mark).where(
            Mark.lesson_id.in_(world.lessons))) == 0
        assert db.session.get(Final, world.ids["final"]).value == "4"  # the statement's data

        # the act lists what the preview listed
        act = db.session.get(DestructionAct, act.id)
        assert [f["path"] for f in act.files] == [f.path for f in preview.files]
        assert {r["table"]: r["count"] for r in act.records} == planned
        assert [k["path"] for k in act.kept] == [statement.path, period.manifest_path]
        assert [k["kept_until"] for k in act.kept] == ["2045-12-30", None]
        assert act.actor_id is None
        # a second run has nothing to do, and the statements are not due for 20 years
        assert purge.due() == []
        with pytest.raises(DomainError, match="хранятся по 30.12.2045"):
            purge.purge(_period(period_id), "statement")
        db.session.rollback()


def test_statements_go_only_after_their_own_term(app, clock):
    _world, period_id = sealed.build(app, "p25", with_data=False)
    clock.set(_at(date(2026, 1, 5)))
    with app.test_request_context():
        purge.purge_due()
    clock.set(_at(date(2045, 12, 31)))
    with app.test_request_context():
        assert [stage for _p, stage in purge.due()] == ["statement"]
        act = purge.purge_due()[0]
        assert act.retention == "statement" and len(act.files) == 1
        assert act.files[0]["path"].endswith(".pdf") and "statements/" in act.files[0]["path"]
        assert act.records == []
        # what remains, the inventory, still verifies: the destroyed files are not looked for
        from plugins.archive import verify

        assert verify.verify_period(_period(period_id)).problems == []


def test_the_purge_command_previews_then_runs(app, clock):
    _world, period_id = sealed.build(app, "pc", with_data=False)
    clock.set(_at(date(2026, 1, 5)))
    runner = app.test_cli_runner()
    preview = runner.invoke(args=["archive", "purge"])
    assert preview.exit_code == 0
    assert "pc 2020/2021, 1 семестр: журналы и подробные данные (хранились по 30.12.2025): " \
           "файлов 1, записей" in preview.output
    with app.test_request_context():
        assert purge.act_of(period_id, "journal") is None
    done = runner.invoke(args=["archive", "purge", "--run"])
    assert done.exit_code == 0 and "Составлен акт №" in done.output
    with app.test_request_context():
        assert purge.act_of(period_id, "journal") is not None
    assert "не истекли" in runner.invoke(args=["archive", "purge"]).output
