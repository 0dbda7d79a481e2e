"""Programme progress for parents (BTT 2.10, KTIS 2.10) at a frozen time: the diary and the
weekly digest show per discipline the hours held of the КТП's hours once the teacher's plan is
submitted, of the load's hours until then.

The grading world (``world.build``): twelve weekly two-hour lessons, the last one today, of a
load of 2 hours a week over 17 weeks (34 hours)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.extensions import db
from core.people.models import User
from plugins.family import diary
from plugins.grading.tests.world import build
from plugins.journal import api as journal
from plugins.journal.models import Lesson
from plugins.notify_email import services as mail
from plugins.planning import api
from plugins.planning.models import APPROVED, DRAFT, SUBMITTED, Plan, PlanRow
from tests.college import add_guardian, add_user, keep_roles
from tests.fixtures import count_queries, signed_in

#: Wednesday 18 November 2026, noon in Moscow
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 18)
DISCIPLINE = "ОП.04 Основы алгоритмизации и программирования"


@pytest.fixture
def world(app, clock):
    clock.set(NOW, tick=True)
    made = build(app, prefix="cp")
    from core.people.roles import Role

    with app.app_context():
        made.users["parent"] = add_user("cp.parent", Role.PARENT, "Петрова", "Анна")
        add_guardian(made.users["parent"].id, "Петрова", "Анна", [made.students[0]],
                     email="petrova@family.example")
        db.session.commit()
        keep_roles([made.users["parent"]])
    return made


def plan(app, world, state: str, rows: int, hours: int = 2, last_hours: int = 6) -> None:
    """The load's КТП in ``state``: ``rows`` rows of ``hours`` and a last one of
    ``last_hours``."""
    with app.app_context():
        found = Plan(load_id=world.ids["load"], state=state)
        db.session.add(found)
        db.session.flush()
        db.session.add_all(PlanRow(plan_id=found.id, position=n, topic=f"Тема {n}",
                                   hours=hours, section="Раздел 1") for n in range(1, rows + 1))
        db.session.add(PlanRow(plan_id=found.id, position=rows + 1, topic="Итоговая",
                               hours=last_hours))
        db.session.commit()


def diary_page(app, world, who: str = "parent") -> str:
    client = signed_in(app, world.users[who])
    response = client.get(f"/diary/students/{world.students[0]}?week={TODAY.isoformat()}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def digest(app, world) -> tuple[str, str]:
    with app.test_request_context():
        user = db.session.get(User, world.users["parent"].id)
        student_id = world.students[0]
        from core.people.models import Student

        student = db.session.get(Student, student_id)
        week = diary.build(student_id, diary.week_start(TODAY), user)
        return mail.render_digest(user, [(student, week)], TODAY)


def progress_row(app, world) -> list:
    with app.test_request_context():
        entries = journal.student_loads(world.students[0], TODAY, TODAY)
        term = entries[0].load.term
        sections = [s for batch in journal.hook().diary_sections(
            student_id=world.students[0], student_loads=entries, start=term.starts_on,
            end=term.ends_on, user=None) for s in batch]
    found = [s for s in sections if s.title.startswith("Прохождение программы")]
    assert [s.title for s in found] == ["Прохождение программы на 18.11.2026"]
    return found[0].rows[0]


def test_without_a_plan_the_hours_held_are_of_the_load(app, world):
    assert progress_row(app, world) == [DISCIPLINE, "24 из 34 ч (71 %)", "—",
                                         "учебной нагрузке"]
    page = diary_page(app, world)
    assert "Прохождение программы на 18.11.2026" in page and "24 из 34 ч (71 %)" in page
    html, text = digest(app, world)
    assert "Прохождение программы на 18.11.2026" in html and "24 из 34 ч (71 %)" in html
    assert f"{DISCIPLINE} | 24 из 34 ч (71 %) | — | учебной нагрузке" in text


def test_a_draft_plan_is_not_yet_the_programme(app, world):
    plan(app, world, DRAFT, 15)
    assert progress_row(app, world)[1:] == ["24 из 34 ч (71 %)", "—", "учебной нагрузке"]


@pytest.mark.parametrize("state", [SUBMITTED, APPROVED])
def test_with_a_submitted_plan_the_hours_held_are_of_the_plan(app, world, state):
    plan(app, world, state, 15)  # 15 × 2 h + 6 h = 36 h; eleven weeks ended: 22 h due
    assert progress_row(app, world) == [DISCIPLINE, "24 из 36 ч (67 %)", "22 ч", "КТП"]
    page = diary_page(app, world)
    assert "24 из 36 ч (67 %)" in page and "22 ч" in page
    html, text = digest(app, world)
    assert "24 из 36 ч (67 %)" in html and "По КТП к этой дате" in html
    assert f"{DISCIPLINE} | 24 из 36 ч (67 %) | 22 ч | КТП" in text
    # the student sees the same as the parent
    assert "24 из 36 ч (67 %)" in diary_page(app, world, "student_user")


def test_course_progress_counts_lessons_up_to_the_day_asked(app, world):
    with app.test_request_context():
        load = journal.get_load(world.ids["load"])
        earlier = api.course_progress([load], world.dates[5])[load.id]
    assert (earlier.held_hours, earlier.total_hours, earlier.by_plan, earlier.percent) == (
        12, 34, False, 35)


def test_the_diary_query_count_does_not_grow_with_the_plan_and_lessons(app, world):
    plan(app, world, SUBMITTED, 3)

    def queries() -> int:
        client = signed_in(app, world.users["parent"])
        url = f"/diary/students/{world.students[0]}?week={TODAY.isoformat()}"
        client.get(url)
        with count_queries(app) as counter:
            assert client.get(url).status_code == 200
        return counter.count

    before = queries()
    with app.app_context():  # a longer plan, more lessons held earlier in the term
        plan_id = db.session.query(Plan.id).filter_by(load_id=world.ids["load"]).scalar()
        db.session.add_all(PlanRow(plan_id=plan_id, position=n, topic=f"Доп. {n}", hours=2)
                           for n in range(10, 30))
        for number, day in enumerate(world.dates[:6]):
            db.session.add(Lesson(load_id=world.ids["load"], date=day, pair_number=4, hours=2,
                                  topic=f"Доп. занятие {number}", work_type="lecture"))
        db.session.commit()
    assert queries() == before
    assert progress_row(app, world)[1] == "36 из 52 ч (69 %)"  # 3 × 2 + 6 + 20 × 2 h planned
