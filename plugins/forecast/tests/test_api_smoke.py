"""The public contract the other plugins rely on: the shape of a forecast, for loads and for
students, and a constant number of queries."""

from __future__ import annotations

from core.extensions import db
from plugins.forecast import api
from plugins.grading.models import Mark
from plugins.grading.tests import world as grading_world
from tests.fixtures import count_queries


def _mark(world, lesson_index, student_index, value, mark_type="oral"):
    db.session.add(Mark(lesson_id=world.lessons[lesson_index],
                        student_id=world.students[student_index], position=0,
                        mark_type=mark_type, value=value))


def test_forecasts_for_loads_and_students_agree(app):
    world = grading_world.build(app, prefix="fa")
    with app.app_context():
        for index, value in enumerate(("5", "4", "5", "4", "5")):
            _mark(world, index + 4, 0, value, "control" if index == 0 else "oral")
        db.session.commit()
        by_load = api.forecasts_for_loads([world.ids["load"]])
        by_student = api.forecasts_for_students([world.students[0]])
    first = by_load[(world.students[0], world.ids["load"])]
    assert isinstance(first, api.Forecast)
    assert first.expected in (4, 5) and first.low <= first.expected <= first.high
    assert first.current is not None and first.reasons
    assert by_student[(world.students[0], world.ids["load"])] == first
    nobody = by_load[(world.students[2], world.ids["load"])]
    assert nobody.current is None


def test_query_count_does_not_grow_with_loads(app):
    world = grading_world.build(app, prefix="fb")
    with app.app_context():
        api.forecasts_for_loads([world.ids["load"]])  # warm the policy's caches
        with count_queries(app) as one:
            api.forecasts_for_loads([world.ids["load"]])
        with count_queries(app) as two:
            api.forecasts_for_loads([world.ids["load"], world.ids["other_load"]])
        with count_queries(app) as students:
            api.forecasts_for_students(world.students)
    assert two.count == one.count
    assert students.count <= one.count + 1
