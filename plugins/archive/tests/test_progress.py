"""The archive is written in the worker with a progress bar: committed as each file is written
and, within the printed journal, as each of its journals is laid out; the page shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from core.plugins import hook
from plugins.archive import closing, writer
from plugins.archive.models import ArchivedPeriod
from plugins.archive.tests.world import (
    FEDOROVA,
    KUZNETSOV,
    PETROV,
    after_term,
    finals_everywhere,
    make,
    run_worker,
    set_final,
    the_term,
)
from plugins.journal.models import Discipline
from plugins.reports import api as reports
from tests import college
from tests.fixtures import signed_in


@pytest.fixture
def world(app, clock):
    world = make(app, clock)
    finals_everywhere(app, world)
    after_term(clock, world)
    return world


def second_journal(app, world) -> None:
    """A second discipline of ИСП-21, its finals set: the printed journal has two journals."""
    with app.app_context():
        discipline = Discipline(code="ОП.05", name="Базы данных", short_name="БД",
                                kind="discipline")
        db.session.add(discipline)
        db.session.flush()
        world.ids["db_load"] = college.add_load(world.users["teacher"].id, world.ids["g1"],
                                                discipline.id, world.ids["term"], 2).id
        db.session.commit()
    for student in (PETROV, KUZNETSOV, FEDOROVA):
        set_final(app, world, "db_load", student)


def test_the_worker_moves_the_progress_bar_as_it_writes(app, world, monkeypatch):
    second_journal(app, world)
    seen: list[tuple[int, int]] = []
    original = writer._Progress._write

    def recorded(self, done):
        original(self, done)
        row = db.session.execute(select(ArchivedPeriod.done, ArchivedPeriod.total).where(
            ArchivedPeriod.id == self.period_id)).one()  # as committed, not as remembered
        seen.append((row.done, row.total))

    monkeypatch.setattr(writer._Progress, "_write", recorded)
    choice = the_term(app, world)
    with app.test_request_context():
        admin = db.session.get(User, world.users["admin"].id)
        period_id = closing.start(admin, choice, choice.ends_on + timedelta(days=1)).id
    admin_client = signed_in(app, world.users["admin"])
    waiting = admin_client.get(f"/archive/{period_id}").get_data(as_text=True)
    assert 'role="progressbar"' in waiting and 'http-equiv="refresh"' in waiting
    assert admin_client.get(f"/archive/{period_id}", headers={"Accept": "application/json"}
                            ).get_json()["percent"] == 0

    run_worker(app, period_id)
    with app.test_request_context():
        statements = len(reports.group_statements())
    total = (2 * statements + 2) * writer.UNITS  # two groups' files, the data, the manifest
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    dones = [done for done, _total in seen]
    assert dones == sorted(dones)
    # within the printed journal of a group, before its file is done
    assert any(done % writer.UNITS > 0 for done in dones)
    assert len(set(dones)) > 2 * statements + 2
    done = admin_client.get(f"/archive/{period_id}").get_data(as_text=True)
    assert 'role="progressbar"' not in done and "archive-files" in done


def test_hook_archive_records(app, world):
    choice = the_term(app, world)
    with app.test_request_context():
        tables = {table.name: table for answer in hook().archive_records(
            start=choice.starts_on, end=choice.ends_on) for table in answer}
    assert set(tables) == {"lessons", "marks", "finals", "absences", "substitutions"}
    assert len(tables["lessons"].rows) == 13
    assert tables["lessons"].columns[:3] == ("lesson_id", "load_id", "group")
    assert {row[2] for row in tables["lessons"].rows} == {"ИСП-21", "ИСП-22"}
    assert len(tables["finals"].rows) == 4 and tables["finals"].retention == "statement"
    for table in tables.values():
        assert all(len(row) == len(table.columns) for row in table.rows)
