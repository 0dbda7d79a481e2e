"""The findings of a check come from every plugin that computes them (``control_findings``),
narrowed to the checker's scope."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from core.people.models import User
from core.plugins import hook
from plugins.control import services
from plugins.control.tests.conftest import NOON

START = NOON.date() - timedelta(days=14)


def kinds_of(findings) -> set[str]:
    return {f.kind for f in findings}


def test_hook_control_findings(app, world):
    with app.test_request_context():
        teacher = world.id("teacher")
        found = [f for batch in hook().control_findings(teacher_ids={teacher}, start=START,
                                                        end=NOON.date()) for f in batch]
    assert kinds_of(found) == {"journal.no_topic", "journal.not_recorded", "attendance.unmarked",
                               "grading.few_marks", "substitutions.unrecorded",
                               "messaging.unanswered", "planning.not_submitted"}
    assert {f.teacher_id for f in found} == {teacher}
    by_kind = {f.kind: f for f in found}
    assert by_kind["journal.no_topic"].count == 1
    assert by_kind["journal.no_topic"].load_id == world.ids["load"]
    assert by_kind["grading.few_marks"].count == 2  # both students of ИСП-21
    assert by_kind["attendance.unmarked"].count == 2  # neither lesson had its attendance
    assert by_kind["messaging.unanswered"].load_id is None
    assert by_kind["journal.not_recorded"].detail == "28.09"


def test_a_check_gathers_every_providing_plugin_in_one_row_per_teacher_and_journal(app, world):
    with app.test_request_context():
        rows = services.build_rows(None, START, NOON.date())
    mine = [r for r in rows if r.teacher_id == world.id("teacher")]
    assert [(r.load_id, r.group) for r in mine] == [(None, ""), (world.ids["load"], "ИСП-21c")]
    assert mine[1].kinds() == {"journal.no_topic", "journal.not_recorded", "attendance.unmarked",
                               "grading.few_marks", "substitutions.unrecorded",
                               "planning.not_submitted"}
    assert mine[0].kinds() == {"messaging.unanswered"}
    other = [r for r in rows if r.teacher_id == world.id("teacher2")]
    assert other[0].kinds() == {"journal.no_topic", "attendance.unmarked", "grading.few_marks",
                                "planning.not_submitted"}


def test_a_course_supervisor_sees_only_the_teachers_of_their_course(app, world):
    with app.test_request_context():
        supervisor = db.session.get(User, world.id("supervisor"))
        groups, title = services.rules.scope_of(supervisor, "supervisor")
        rows = services.build_rows(groups, START, NOON.date())
        deputy = db.session.get(User, world.id("deputy"))
        everything, _title = services.rules.scope_of(deputy, "deputy")
    assert groups == {world.ids["isp"]} and title == "ИТ c"
    assert everything is None
    assert {r.teacher_id for r in rows} == {world.id("teacher")}
    # the teacher2's lesson in ИСП-21 (a substitution) is the load teacher's finding, not theirs
    assert all(r.group_id in (None, world.ids["isp"]) for r in rows)
