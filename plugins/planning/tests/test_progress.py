"""Plan against fact: hours and topics planned by a day against the lessons held, the lag and
the topics skipped (``plugins.planning.api.lag_by_load``, for the control plugin); the lesson
form proposes the next planned topic; the list of journals and a report show the plan's state
and lag."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from core.extensions import db
from plugins.journal import api as journal
from plugins.journal.models import Lesson
from plugins.planning.api import lag_by_load
from plugins.planning.tests.helpers import save, topics
from plugins.planning.tests.world import build, plan_rows
from tests.fixtures import count_queries, signed_in


@pytest.fixture
def held(app, clock):
    """The teacher held three lessons (1, 8 and 15 September: «Тема 1», «Тема 2», «Тема 3») of a
    plan of seventeen two-hour topics, one a week; the teacher2's load has no plan."""
    clock.set(datetime(2026, 9, 21, 9, 0, tzinfo=UTC), tick=True)
    world = build(app, prefix="h", lessons=3)
    assert save(signed_in(app, world.users["teacher"]), world.ids["load"],
                plan_rows()).status_code == 200
    return world


def test_plan_against_fact_counts_hours_topics_and_the_lag(app, held):
    with app.test_request_context():
        lags = lag_by_load([held.ids["load"], held.ids["other_load"], 999_999], date(2026, 10, 6))
        lag = lags[held.ids["load"]]
        # five weeks of the term have ended by 6 October: topics 1–5, 10 h; held 3 lessons, 6 h
        assert (lag.planned_hours_to_date, lag.held_hours, lag.lag_hours) == (10, 6, 4)
        assert (lag.planned_topics_to_date, lag.held_topics) == (5, 3)
        assert lag.skipped_topics == ("Тема 4", "Тема 5")
        assert lag.planned_hours == 34 and lag.state == "draft"
        assert not lag.submitted and not lag.approved
        assert lags[held.ids["other_load"]].state is None
        assert lags[held.ids["other_load"]].planned_hours_to_date == 0
        assert 999_999 not in lags


def test_a_topic_held_out_of_order_counts_and_the_one_passed_over_is_skipped(app, held):
    with app.app_context():
        lesson = db.session.get(Lesson, held.lessons[1])
        lesson.topic = "  тема 4 "  # the second lesson took the fourth topic
        db.session.commit()
    with app.test_request_context():
        lag = lag_by_load([held.ids["load"]], date(2026, 9, 29))[held.ids["load"]]
    assert lag.planned_topics_to_date == 4 and lag.skipped_topics == ("Тема 2",)
    assert lag.lag_hours == 2


def test_planned_weeks_given_by_the_teacher_are_kept(app, held):
    rows = plan_rows()
    for row in rows:
        row["week"] = "10"  # every topic planned for the tenth week
    assert save(signed_in(app, held.users["teacher"]), held.ids["load"], rows,
                None).status_code == 200
    with app.test_request_context():
        lag = lag_by_load([held.ids["load"]], date(2026, 10, 6))[held.ids["load"]]
    assert lag.planned_hours_to_date == 0 and lag.lag_hours == 0


def test_lag_by_load_asks_a_fixed_number_of_queries(app, held):
    with app.test_request_context():
        ids = [held.ids["load"], held.ids["other_load"]]
        lag_by_load(ids, date(2026, 10, 6))  # the session's first statements aside
        with count_queries(app) as few:
            lag_by_load(ids[:1], date(2026, 10, 6))
        with count_queries(app) as more:
            lag_by_load(ids, date(2026, 10, 6))
    assert more.count == few.count <= 5


def test_hook_lesson_suggestions(app, held):
    """A new lesson's form proposes the first planned topic not held yet, its kind of work and
    self-study task, with a button that takes them (focused: Enter accepts)."""
    teacher = signed_in(app, held.users["teacher"])
    page = teacher.get(f"/journal/load/{held.ids['load']}/lessons/new").get_data(as_text=True)
    box = re.search(r'<div class="alert alert-info py-2 lesson-suggestion"([^>]*)>', page)
    assert box, page
    assert 'data-topic="Тема 4"' in box[1] and 'data-work-type="practical"' in box[1]
    assert 'data-homework="Задание 4"' in box[1]
    assert "По КТП, тема 4 · Раздел 1" in page
    assert re.search(r'js-accept-suggestion"\s*autofocus>Принять \(Enter\)', page)
    with app.test_request_context():
        load = journal.get_load(held.ids["load"])
        found = journal.lesson_suggestions(load, date(2026, 9, 7), held.users["teacher"])
    assert [item.topic for item in found] == ["Тема 2"]  # as of 7 September only one was held


def test_a_lesson_with_its_topic_written_proposes_nothing(app, held, clock):
    clock.set(datetime(2026, 9, 15, 9, 0, tzinfo=UTC), tick=True)  # the lesson's day: writable
    teacher = signed_in(app, held.users["teacher"])
    page = teacher.get(f"/journal/lessons/{held.lessons[2]}").get_data(as_text=True)
    assert "lesson-suggestion" not in page
    with app.app_context():
        lesson = db.session.get(Lesson, held.lessons[2])
        lesson.topic = ""
        db.session.commit()
    page = teacher.get(f"/journal/lessons/{held.lessons[2]}").get_data(as_text=True)
    assert 'data-topic="Тема 3"' in page


def test_hook_journal_list_notes(app, held, clock):
    """The list of journals shows each journal's plan state and lag, linked to the plan."""
    clock.set(datetime(2026, 10, 6, 9, 0, tzinfo=UTC), tick=True)
    page = signed_in(app, held.users["deputy"]).get("/journal/").get_data(as_text=True)
    mine, other = held.ids["load"], held.ids["other_load"]
    assert f'href="/planning/load/{mine}">КТП: черновик</a>' in page
    assert f'href="/planning/load/{mine}">отставание 4 ч</a>' in page
    assert f'href="/planning/load/{other}">КТП нет</a>' in page


def test_the_plan_against_fact_report(app, held, clock):
    clock.set(datetime(2026, 10, 6, 9, 0, tzinfo=UTC), tick=True)
    deputy = signed_in(app, held.users["deputy"])
    response = deputy.get("/reports/planning.plan_fact?run=1&start=2026-09-01&end=2026-10-06",
                          headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "КТП: план и факт" in page and "На 06.10.2026." in page
    assert re.search(r"<td>Черновик</td>\s*<td[^>]*>10</td>\s*<td[^>]*>6</td>\s*<td[^>]*>4</td>",
                     page), page


def test_a_plan_is_copied_from_another_load_of_the_discipline(app, held):
    teacher2 = signed_in(app, held.users["teacher2"])
    page = teacher2.get(f"/planning/load/{held.ids['other_load']}").get_data(as_text=True)
    assert f'<option value="{held.ids["load"]}">' in page
    teacher2.post(f"/planning/load/{held.ids['other_load']}/copy",
                  data={"source_id": held.ids["load"]})
    with app.test_request_context():
        lag = lag_by_load([held.ids["other_load"]], date(2026, 9, 1))[held.ids["other_load"]]
    assert lag.planned_hours == 34 and lag.state == "draft"


def test_last_years_plan_of_the_discipline_is_offered_and_copied(app, held):
    from core.calendar.models import AcademicYear, Term
    from plugins.journal.models import TeachingLoad
    from plugins.planning.models import Plan, PlanRow

    with app.app_context():
        year = AcademicYear(title="2025/2026-h", starts_on=date(2025, 9, 1),
                            ends_on=date(2026, 6, 30))
        db.session.add(year)
        db.session.flush()
        term = Term(year_id=year.id, number=1, title="1 семестр 2025", starts_on=date(2025, 9, 1),
                    ends_on=date(2025, 12, 28))
        db.session.add(term)
        db.session.flush()
        old = TeachingLoad(teacher_id=held.id("teacher2"), group_id=held.ids["group"],
                           discipline_id=held.ids["discipline"], term_id=term.id,
                           hours_per_week=2, hours_total=34)
        db.session.add(old)
        db.session.flush()
        plan = Plan(load_id=old.id, state="approved")
        db.session.add(plan)
        db.session.flush()
        db.session.add_all(PlanRow(plan_id=plan.id, position=n, section="Прошлый год",
                                   topic=f"Прошлогодняя тема {n}", hours=17, work_type="lecture")
                           for n in (1, 2))
        db.session.commit()
        old_id = old.id
    teacher = signed_in(app, held.users["teacher"])
    page = teacher.get(f"/planning/load/{held.ids['load']}").get_data(as_text=True)
    assert f'<option value="{old_id}">1 семестр 2025 · ИСП-h1' in page
    teacher.post(f"/planning/load/{held.ids['load']}/copy", data={"source_id": old_id})
    with app.test_request_context():
        lag = lag_by_load([held.ids["load"]], date(2026, 9, 1))[held.ids["load"]]
    assert lag.planned_hours == 34
    assert topics(app, held.ids["load"]) == ["Прошлогодняя тема 1", "Прошлогодняя тема 2"]


def test_the_journals_grid_links_its_plan(app, held):
    page = signed_in(app, held.users["teacher"]).get(
        f"/journal/load/{held.ids['load']}").get_data(as_text=True)
    assert f'href="/planning/load/{held.ids["load"]}">Календарно-тематический план</a>' in page


def test_the_control_findings_name_the_lag_and_the_plans_not_submitted(app, held, clock):
    """A check sees a journal behind its plan on the check's last day (4 h, topics 4 and 5) and
    every journal whose plan is not submitted (a draft, no plan at all)."""
    from core.plugins import hook

    clock.set(datetime(2026, 10, 6, 9, 0, tzinfo=UTC), tick=True)
    teachers = {held.users["teacher"].id, held.users["teacher2"].id}
    with app.test_request_context():
        found = [finding for batch in hook().control_findings(
            teacher_ids=teachers, start=date(2026, 9, 1), end=date(2026, 10, 6))
            for finding in batch if finding.kind.startswith("planning.")]
    mine, other = held.ids["load"], held.ids["other_load"]
    by_kind = {(f.kind, f.load_id): f for f in found}
    assert set(by_kind) == {("planning.lag", mine), ("planning.not_submitted", mine),
                            ("planning.not_submitted", other)}
    lag = by_kind[("planning.lag", mine)]
    assert lag.count == 4 and lag.teacher_id == held.users["teacher"].id
    assert lag.detail == "по плану к этому дню 10 ч, проведено 6 ч; не пройдены: Тема 4, Тема 5"
