"""The list of journals: who reads which journal is one rule, judged per load by the journal's
``object_scope`` and as one SQL condition by the list; the list shows one term (the current
one by default), a page of groups at a time, and costs the same SQL however many past years
the college keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from core.calendar.models import Term
from core.extensions import db
from core.people.models import Group
from plugins.journal import api
from plugins.journal.models import Discipline, TeachingLoad
from plugins.journal.readers import readers_of
from plugins.journal.tests.world import build
from tests.college import add_load, add_term
from tests.fixtures import count_queries, signed_in

IN_TERM = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def _past_years(app, world, count: int, first: int = 2015) -> list[int]:
    """``count`` finished years, each with a journal of the teacher's group and one of the
    other teacher's: the history a college piles up."""
    term_ids = []
    with app.app_context():
        for offset in range(count):
            start = date(first + offset, 9, 1)
            term = add_term(f"{first + offset}/{first + offset + 1}-{world.ids['group']}",
                            start, date(first + offset + 1, 6, 30),
                            date(first + offset, 12, 28))
            add_load(world.users["teacher"].id, world.ids["group"], world.ids["discipline"],
                     term.id)
            add_load(world.users["other"].id, world.ids["other_group"], world.ids["discipline"],
                     term.id)
            term_ids.append(term.id)
        db.session.commit()
    return term_ids


def test_the_sql_rule_admits_exactly_the_loads_object_scope_admits(app):
    world = build(app, students=1, lessons=1, prefix="ls1")
    with app.app_context():
        loads = api.loads()
        for key, user in world.users.items():
            user = db.session.merge(user)
            condition = readers_of(user).condition()
            in_sql = set(db.session.scalars(
                select(TeachingLoad.id).join(Discipline, Discipline.id == TeachingLoad.discipline_id)
                .where(condition)))
            one_by_one = {load.id for load in loads if api.can_view(user, load)}
            assert in_sql == one_by_one, key


def test_the_list_shows_the_current_term_and_past_years_a_click_away(app, clock):
    clock.set(IN_TERM)
    world = build(app, students=1, lessons=1, prefix="ls2")
    past = _past_years(app, world, 2)
    client = signed_in(app, world.users["teacher"])
    page = client.get("/journal/").get_data(as_text=True)
    assert "2026/2027-ls2 учебный год" in page and "Основы алгоритмизации ls2" in page
    assert 'href="/journal/?year=' in page  # the past years, one click away
    with app.app_context():
        year_id = db.session.get(Term, past[0]).year_id
    old = client.get(f"/journal/?year={year_id}").get_data(as_text=True)
    assert "2015/2016" in old and "Основы алгоритмизации ls2" in old
    assert client.get(f"/journal/?term={past[1]}").status_code == 200
    other = signed_in(app, world.users["other"]).get(f"/journal/?term={past[0]}")
    assert "ИСП-ls21" not in other.get_data(as_text=True)  # not theirs in any year


def test_the_lists_sql_does_not_grow_with_the_years(app, clock):
    clock.set(IN_TERM)
    world = build(app, students=2, lessons=2, prefix="ls3")
    counts = {}
    for label, years in (("first", 0), ("seventh", 6)):
        _past_years(app, world, years, first=2008 if label == "seventh" else 2000)
        for key in ("teacher", "curator", "head", "admin"):
            client = signed_in(app, world.users[key])
            client.get("/journal/")
            with count_queries(app) as counter:
                response = client.get("/journal/")
            assert response.status_code == 200
            counts[label, key] = counter.count
    for key in ("teacher", "curator", "head", "admin"):
        assert counts["seventh", key] == counts["first", key], str(counts)


def test_the_list_is_paged_by_groups(app, clock, monkeypatch):
    from plugins.journal import listing

    clock.set(IN_TERM)
    world = build(app, students=1, lessons=1, prefix="ls4")
    with app.app_context():
        specialty = db.session.get(Group, world.ids["group"]).specialty_id
        for number in range(3):
            group = Group(name=f"ИСП-ls4-{number}", specialty_id=specialty, course=1,
                          admission_year=2026, curator_id=world.users["curator"].id)
            db.session.add(group)
            db.session.flush()
            add_load(world.users["other"].id, group.id, world.ids["discipline"], world.ids["term"])
        db.session.commit()
    monkeypatch.setattr(listing, "PAGE_GROUPS", 2)
    client = signed_in(app, world.users["curator"])
    first = client.get("/journal/").get_data(as_text=True)
    second = client.get("/journal/?page=2").get_data(as_text=True)
    assert 'aria-label="Страницы"' in first
    shown = [name for name in ("ИСП-ls41", "ИСП-ls4-0", "ИСП-ls4-1", "ИСП-ls4-2")
             if name in first or name in second]
    assert len(shown) == 4
    assert not any(name in first and name in second
                   for name in ("ИСП-ls4-0", "ИСП-ls4-1", "ИСП-ls4-2"))
