"""A substitute sees what they substitute (issue #13, item 7): the substituted lessons and the
roster, from the substitution's first day until its edit window closes; every other lesson of
the absent teacher's journal, and the journal's own pages, are a 404 for them. The clock is set
by each test (the ``clock`` fixture), never read from the wall."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from core.models import utcnow
from plugins.journal import api as journal
from plugins.journal.tests.world import TERM_START, build
from plugins.substitutions import services
from plugins.substitutions.models import Substitution
from tests.fixtures import signed_in

FIRST, LAST = TERM_START + timedelta(days=2), TERM_START + timedelta(days=3)  # lessons 3 and 4
SUBSTITUTED = (2, 3)  # indexes of world.lessons on FIRST and LAST
OTHERS = (0, 1, 4, 5)


def moscow(day: date, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), ZoneInfo("Europe/Moscow"))


@pytest.fixture
def world(app):
    """The journal world (lessons on 1–6 September, pair 1); «other» replaces «teacher» on the
    3rd and the 4th."""
    made = build(app, students=2, lessons=6, prefix="sv")
    with app.app_context():
        sub = Substitution(kind="replacement", absent_id=made.users["teacher"].id,
                           substitute_id=made.users["other"].id, date_from=FIRST, date_to=LAST,
                           created_by_id=made.users["admin"].id,
                           created_at=moscow(FIRST - timedelta(days=1)))
        db.session.add(sub)
        db.session.commit()
        made.ids["substitution"] = sub.id
    return made


def pages_of(world, index: int) -> list[str]:
    """The pages that show one lesson and its cells' history."""
    lesson_id, student_id = world.lessons[index], world.students[0]
    return [f"/journal/lessons/{lesson_id}",
            f"/grading/history?lesson_id={lesson_id}&student_id={student_id}",
            f"/grading/history?lesson_id={lesson_id}",
            f"/attendance/history?lesson_id={lesson_id}&student_id={student_id}"]


JSON = {"Accept": "application/json"}


def statuses(client, urls) -> set[int]:
    return {client.get(url, headers=JSON).status_code for url in urls}


def test_hook_lesson_editors(app, world):
    """Substitutions tell the journal which lessons the substitute may open and fill at an
    instant: none before the first day, none once the last day's edit window closed."""
    with app.test_request_context():
        load = journal.get_load(world.ids["load"])
        deadline = journal.edit_deadline(LAST)

        def slots(at):
            answers = [a for a in journal.hook().lesson_editors(load=load, at=at) if a]
            return answers[0].get(world.users["other"].id, set()) if answers else set()

        assert (FIRST, 1) in slots(moscow(FIRST, 0, 0)) and (LAST, 5) in slots(moscow(FIRST))
        assert (FIRST - timedelta(days=1), 1) not in slots(moscow(FIRST))
        assert slots(moscow(FIRST - timedelta(days=1), 23, 59, 59)) == set()
        assert slots(deadline - timedelta(seconds=1)) and slots(deadline) == set()


def test_a_substitution_is_open_from_its_first_day_until_its_edit_window_closes(app, world):
    with app.test_request_context():
        sub = db.session.get(Substitution, world.ids["substitution"])
        deadline = journal.edit_deadline(LAST)
        assert deadline == moscow(LAST + timedelta(days=1), 0, 0)  # BTT: no grace days
        assert not services.is_open(sub, moscow(FIRST - timedelta(days=1), 23, 59))
        assert services.is_open(sub, moscow(FIRST, 0, 0))
        assert services.is_open(sub, deadline - timedelta(microseconds=1))
        assert not services.is_open(sub, deadline)


def test_the_substitute_sees_only_the_substituted_lessons_and_the_roster(app, world, clock):
    clock.set(moscow(FIRST))
    other = signed_in(app, world.users["other"])
    grid = other.get(f"/journal/load/{world.ids['load']}")
    assert grid.status_code == 200
    page = grid.get_data(as_text=True)
    for index in SUBSTITUTED:
        assert f'data-lesson="{world.lessons[index]}"' in page
    for index in OTHERS:
        assert f'data-lesson="{world.lessons[index]}"' not in page
    assert "Студентов000" in page and "Студентов001" in page  # the roster to fill them
    assert f"cell-grading-{world.lessons[2]}-" in page  # today's lesson is written
    # nothing that sums up the rest of the journal: no average, finals or its pages' links
    assert "col-grading-term_final" not in page and "Ср." not in page
    assert "/grading/loads/" not in page.replace(f"/grading/loads/{world.ids['load']}/cells", "")
    assert "Добавить занятие" not in page
    for index in SUBSTITUTED:
        assert statuses(other, pages_of(world, index)) == {200}
    for index in OTHERS:
        assert statuses(other, pages_of(world, index)) == {404}
    for url in (f"/grading/loads/{world.ids['load']}/setup",
                f"/grading/loads/{world.ids['load']}/minimum",
                f"/grading/corrections/new?lesson_id={world.lessons[0]}"
                f"&student_id={world.students[0]}"):
        assert other.get(url).status_code == 404, url
    # the journals list offers the substituted journal
    assert f"/journal/load/{world.ids['load']}" in other.get("/journal/").get_data(as_text=True)
    # writing: today's substituted lesson yes, another lesson of the journal no
    saved = other.post(f"/journal/load/{world.ids['load']}/cells/grading", json={"cells": [
        {"lesson_id": world.lessons[2], "student_id": world.students[0], "value": "5",
         "version": None}]})
    assert saved.status_code == 200
    refused = other.post(f"/journal/load/{world.ids['load']}/cells/attendance", json={"cells": [
        {"lesson_id": world.lessons[0], "student_id": world.students[0], "value": "н",
         "version": None}]})
    assert refused.status_code == 404
    # the journal's own teacher still reads everything
    teacher = signed_in(app, world.users["teacher"])
    own = teacher.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert all(f'data-lesson="{lesson_id}"' in own for lesson_id in world.lessons)
    assert statuses(teacher, pages_of(world, 0)) == {200}


@pytest.mark.parametrize("moment", ["the day before", "when the edit window closed",
                                    "a month after"])
def test_the_substitute_gets_404_outside_the_substitution(app, world, clock, moment):
    deadline = journal_deadline(app)
    at = {"the day before": moscow(FIRST - timedelta(days=1), 23, 59, 59),
          "when the edit window closed": deadline,
          "a month after": deadline + timedelta(days=30)}[moment]
    clock.set(at)
    other = signed_in(app, world.users["other"])
    assert other.get(f"/journal/load/{world.ids['load']}").status_code == 404
    for index in (*SUBSTITUTED, *OTHERS):
        assert statuses(other, pages_of(world, index)) == {404}
    saved = other.post(f"/journal/load/{world.ids['load']}/cells/grading", json={"cells": [
        {"lesson_id": world.lessons[2], "student_id": world.students[0], "value": "5",
         "version": None}]})
    assert saved.status_code == 404
    assert f"/journal/load/{world.ids['load']}" not in other.get("/journal/").get_data(
        as_text=True)


def test_the_substitute_still_opens_the_lessons_until_the_last_instant(app, world, clock):
    clock.set(journal_deadline(app) - timedelta(seconds=1))
    other = signed_in(app, world.users["other"])
    assert other.get(f"/journal/load/{world.ids['load']}").status_code == 200
    assert statuses(other, pages_of(world, 3)) == {200}
    assert statuses(other, pages_of(world, 4)) == {404}


def test_the_clock_fixture_sets_now(clock):
    clock.set(moscow(FIRST, 10))
    assert utcnow() == moscow(FIRST, 10) and utcnow().tzinfo is not None


def journal_deadline(app) -> datetime:
    with app.app_context():
        return journal.edit_deadline(LAST)


def test_the_substitute_opening_the_journal_is_not_an_audited_read(app, world, clock):
    """They open what they teach (issue #14 item 9: only reads of another's journal are)."""
    from plugins.journal.tests.test_grid_audit import grid_reads

    clock.set(moscow(FIRST))
    other = signed_in(app, world.users["other"])
    assert other.get(f"/journal/load/{world.ids['load']}").status_code == 200
    assert grid_reads(app, world.ids["load"]) == []


def test_hook_guest_loads(app, world, clock):
    """Substitutions name the loads a substitute opens while the substitution is open, so the
    list of journals shows them the absent teacher's journal then and not before or after."""
    with app.test_request_context():
        other = db.session.merge(world.users["other"])

        def named(at):
            return {load_id for batch in journal.hook().guest_loads(user=other, at=at)
                    for load_id in batch or ()}

        assert world.ids["load"] in named(moscow(FIRST))
        assert world.ids["load"] not in named(moscow(FIRST - timedelta(days=1), 23, 59))
        assert world.ids["load"] not in named(journal.edit_deadline(LAST))
    clock.set(moscow(FIRST))
    page = signed_in(app, world.users["other"]).get("/journal/").get_data(as_text=True)
    assert f'href="/journal/load/{world.ids["load"]}"' in page
