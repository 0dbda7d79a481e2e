"""The journal's frame: scope of loads, the roster over time, the edit window, lesson history,
lessons from the timetable, and a grid whose query count does not grow with its size."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.errors import Conflict, DomainError
from core.extensions import db
from core.people.models import GroupMembership, Subgroup, SubgroupMembership
from plugins.journal import api, services
from plugins.journal.grid import grid_data
from plugins.journal.models import LessonHistory, TeachingLoad, TimetableChange, TimetableSlot
from plugins.journal.tests.world import TERM_START, build
from tests.fixtures import count_queries


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)  # midday in Moscow


@pytest.fixture
def world(app):
    return build(app)


@pytest.mark.parametrize(("who", "view", "edit"), [
    ("teacher", True, True),
    ("other", False, False),
    ("curator", True, False),
    ("head", True, False),
    ("supervisor", True, False),
    ("deputy", True, False),
    ("parent", False, False),
])
def test_who_may_read_and_write_a_load(app, world, who, view, edit):
    with app.test_request_context():
        load = api.get_load(world.ids["load"])
        user = world.users[who]
        assert api.can_view(user, load) is view
        assert api.can_edit(user, load) is edit


def test_a_teacher_sees_only_the_groups_they_teach(app, world):
    from core.people import scope

    with app.test_request_context():
        assert scope.group_ids(world.users["teacher"]) == {world.ids["group"]}
        assert scope.group_ids(world.users["other"]) == {world.ids["other_group"]}
        # teaching another group's discipline opens no other load of that group
        other = api.get_load(world.ids["other_load"])
        assert not api.can_view(world.users["teacher"], other)


def test_a_missing_load_is_a_lookup_error(app):
    with app.app_context(), pytest.raises(LookupError):
        api.get_load(987654)


def test_a_transferred_student_stays_in_the_old_groups_roster_up_to_the_date(app, world):
    moved = world.students[1]
    transfer = TERM_START + timedelta(days=20)
    with app.app_context():
        membership = db.session.scalars(select(GroupMembership).where(
            GroupMembership.student_id == moved)).one()
        membership.left_on = transfer - timedelta(days=1)
        db.session.add(GroupMembership(student_id=moved, group_id=world.ids["other_group"],
                                       joined_on=transfer))
        db.session.commit()
        load = api.get_load(world.ids["load"])
        row = {s.id: s for s in api.roster(load)}[moved]
        assert row.left_on == transfer - timedelta(days=1)
        assert row.member_on(transfer - timedelta(days=1)) and not row.member_on(transfer)
        assert moved not in {s.id for s in api.roster(load, on=transfer)}
        other = api.get_load(world.ids["other_load"])
        assert {s.id: s for s in api.roster(other)}[moved].joined_on == transfer


def test_a_subgroup_change_mid_term_keeps_earlier_records(app, world):
    change = TERM_START + timedelta(days=30)
    student = world.students[0]
    with app.app_context():
        first = Subgroup(group_id=world.ids["group"], label="Иностранный язык", number=1)
        second = Subgroup(group_id=world.ids["group"], label="Иностранный язык", number=2)
        db.session.add_all([first, second])
        db.session.flush()
        db.session.add_all([
            SubgroupMembership(student_id=student, subgroup_id=first.id, from_date=TERM_START,
                               to_date=change - timedelta(days=1)),
            SubgroupMembership(student_id=student, subgroup_id=second.id, from_date=change),
        ])
        load = api.get_load(world.ids["load"])
        db.session.execute(
            TeachingLoad.__table__.update().where(TeachingLoad.id == load.id)
            .values(subgroup_id=first.id))
        db.session.commit()
        in_first = {s.id: s for s in api.roster(api.get_load(load.id))}
        assert in_first[student].left_on == change - timedelta(days=1)
        assert in_first[student].member_on(TERM_START)
        assert set(in_first) == {student}  # only the subgroup's members


@pytest.mark.parametrize("preset", ["btt", "ktis"])
def test_the_edit_window_is_the_lesson_day_plus_the_policys_grace(make_app, preset):
    app = make_app(POLICY=preset)
    lesson = api.LessonInfo(1, 1, date(2026, 10, 5), 1, 2, "lecture", "", "", None, None, 1)
    with app.test_request_context():
        from core.policy import policy_value

        grace = policy_value("journal.edit_grace_days")
        last_day = lesson.date + timedelta(days=grace)
        assert api.edit_window(None, lesson, at_noon(lesson.date))
        assert api.edit_window(None, lesson, datetime(last_day.year, last_day.month, last_day.day,
                                                      20, 59, tzinfo=UTC))  # 23:59 in Moscow
        late = api.edit_window(None, lesson, datetime(last_day.year, last_day.month, last_day.day,
                                                      21, 0, tzinfo=UTC))  # 00:00 the next day
        assert not late and late.status == 409 and "истёк" in late.reason
        early = api.edit_window(None, lesson, at_noon(lesson.date - timedelta(days=1)))
        assert not early and "ещё не проведено" in early.reason
        # the whole-page shortcut agrees with the rule, hour by hour around the window
        start = datetime(2026, 10, 3, 0, 30, tzinfo=UTC)
        for hour in range(0, 24 * (grace + 5), 3):
            at = start + timedelta(hours=hour)
            assert api.window_open(lesson.date, at) == bool(api.edit_window(None, lesson, at)), at


@pytest.mark.parametrize("preset", ["btt", "ktis"])
def test_a_pages_lesson_edit_question_answers_as_each_lessons_does(make_app, preset):
    """``check_many("lesson.edit")`` (the journal's window in one pass) gives, hour by hour
    around the window, the very decisions ``check`` gives lesson by lesson."""
    from core.people.models import RoleAssignment, User
    from core.people.roles import Role
    from core.policy import check, check_many

    app = make_app(POLICY=preset)
    teacher = User(id=4, login="t", last_name="Т", first_name="Т", active=True)
    teacher.roles = [RoleAssignment(role=Role.TEACHER, scope_kind="college")]
    lessons = [api.LessonInfo(n, 1, date(2026, 10, 1) + timedelta(days=n), 1, 2, "lecture", "",
                              "", None, None, 1) for n in range(8)]
    with app.test_request_context():
        start = datetime(2026, 10, 3, 0, 30, tzinfo=UTC)
        mixed = 0
        for hour in range(0, 24 * 8, 5):
            at = start + timedelta(hours=hour)
            batch = check_many("lesson.edit", teacher, lessons, at)
            assert batch == [check("lesson.edit", teacher, lesson, at) for lesson in lessons], at
            mixed += any(batch) and not all(batch)
        assert mixed > 10  # open, past and future lessons in one batch


def test_a_lesson_edit_keeps_history_and_a_stale_edit_is_refused(app, world):
    lesson_id = world.lessons[0]
    day = TERM_START
    teacher = world.users["teacher"]
    with app.test_request_context():
        lesson = services.update_lesson(teacher, lesson_id, 1,
                                        {"topic": "Алгоритмы ветвления", "homework": "§ 3, № 1–5"},
                                        at=at_noon(day))
        db.session.commit()
        assert lesson.version == 2
        rows = db.session.execute(select(LessonHistory.field, LessonHistory.old_value,
                                         LessonHistory.new_value)
                                  .where(LessonHistory.lesson_id == lesson_id)
                                  .order_by(LessonHistory.field)).all()
        assert [tuple(r) for r in rows] == [("homework", "", "§ 3, № 1–5"),
                                            ("topic", "Тема 1", "Алгоритмы ветвления")]
        with pytest.raises(Conflict) as stale:
            services.update_lesson(teacher, lesson_id, 1, {"topic": "Другое"}, at=at_noon(day))
        assert stale.value.details["current"]["topic"] == "Алгоритмы ветвления"
        assert stale.value.details["current"]["version"] == 2


def test_a_lesson_edit_after_the_window_is_refused_and_nothing_changes(app, world):
    lesson_id = world.lessons[0]
    with app.test_request_context():
        with pytest.raises(Conflict, match="истёк"):
            services.update_lesson(world.users["teacher"], lesson_id, 1, {"topic": "Поздно"},
                                   at=at_noon(TERM_START + timedelta(days=3)))
        db.session.rollback()
        assert api.get_lesson(lesson_id).topic == "Тема 1"


def test_only_the_administrator_corrects_a_past_lesson_and_only_with_a_reason(app, world):
    lesson_id = world.lessons[0]
    late = at_noon(TERM_START + timedelta(days=3))
    with app.test_request_context():
        with pytest.raises(Conflict, match="исправляет администратор"):
            services.update_lesson(world.users["teacher"], lesson_id, 1, {"topic": "Поздно"},
                                   at=late, reason="Забыл записать")
        with pytest.raises(Conflict, match="с указанием причины"):
            services.update_lesson(world.users["admin"], lesson_id, 1, {"topic": "Поздно"},
                                   at=late, reason="  ")
        services.update_lesson(world.users["admin"], lesson_id, 1,
                               {"topic": "Алгоритмы", "homework": "§ 2"}, at=late,
                               reason="Тема по КТП, служебная записка № 3")
        db.session.commit()
        rows = db.session.execute(select(LessonHistory.field, LessonHistory.reason).where(
            LessonHistory.lesson_id == lesson_id).order_by(LessonHistory.field)).all()
        assert [tuple(r) for r in rows] == [("homework", "Тема по КТП, служебная записка № 3"),
                                            ("topic", "Тема по КТП, служебная записка № 3")]
        with pytest.raises(Conflict, match="ещё не проведено"):  # nothing to correct in advance
            services.update_lesson(world.users["admin"], lesson_id, 2, {"topic": "Рано"},
                                   at=at_noon(TERM_START - timedelta(days=1)), reason="x")


def test_the_lesson_page_asks_the_administrator_for_the_reason_of_a_correction(app, world):
    client = app.test_client()
    client.post("/auth/login", data={"login": world.users["admin"].login,
                                     "password": "secret-pass-1"})
    url = f"/journal/lessons/{world.lessons[0]}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="correction_reason"' in page
    data = {"date": TERM_START.isoformat(), "pair_number": 1, "hours": 2,
            "work_type": "lecture", "topic": "Исправленная тема", "homework": "",
            "version": "1"}
    refused = client.post(url, data=data)
    assert refused.status_code == 422 and "с указанием причины" in refused.get_data(as_text=True)
    done = client.post(url, data={**data, "correction_reason": "Ошибка в теме"},
                       follow_redirects=True)
    assert "Ошибка в теме" in done.get_data(as_text=True)


@pytest.mark.parametrize(("values", "message"), [
    ({"hours": 3}, "1 или 2 академических часа"),
    ({"work_type": "party"}, "Неизвестный вид работы"),
    ({"topic": "х" * 2001}, "длиннее"),
    ({"owner": 1}, "Неизвестные поля"),
])
def test_bad_lesson_values_are_refused_in_russian(app, world, values, message):
    with app.test_request_context(), pytest.raises(DomainError, match=message):
        services.update_lesson(world.users["teacher"], world.lessons[0], 1, values,
                               at=at_noon(TERM_START))


def test_another_teacher_cannot_touch_the_lesson(app, world):
    with app.test_request_context(), pytest.raises(DomainError) as refused:
        services.update_lesson(world.users["other"], world.lessons[0], 1, {"topic": "Чужое"},
                               at=at_noon(TERM_START))
    assert refused.value.status == 404


def test_lessons_come_from_the_timetable_once_with_its_changes(app, world):
    with app.test_request_context():
        load = api.get_load(world.ids["other_load"])
        monday = TimetableSlot(load_id=load.id, weekday=1, pair_number=2, hours=2,
                               valid_from=date(2026, 9, 1))
        db.session.add(monday)
        db.session.flush()
        db.session.add_all([
            TimetableChange(slot_id=monday.id, on_date=date(2026, 9, 14), cancelled=True,
                            reason="Праздник"),
            TimetableChange(slot_id=monday.id, on_date=date(2026, 9, 21),
                            moved_to_date=date(2026, 9, 23), moved_to_pair=4),
        ])
        created = services.lessons_from_timetable(load, date(2026, 9, 1), date(2026, 9, 30))
        again = services.lessons_from_timetable(load, date(2026, 9, 1), date(2026, 9, 30))
        dates = [(lesson.date, lesson.pair_number) for lesson in api.lessons(load)]
    assert (created, again) == (3, 0)
    assert dates == [(date(2026, 9, 7), 2), (date(2026, 9, 23), 4), (date(2026, 9, 28), 2)]


def test_a_lesson_by_hand_outside_the_term_or_twice_is_refused(app, world):
    with app.test_request_context():
        load = api.get_load(world.ids["load"])
        teacher = world.users["teacher"]
        with pytest.raises(DomainError, match="вне семестра"):
            services.create_lesson(teacher, load, date(2027, 3, 1), 1,
                                   at=at_noon(date(2027, 3, 1)))
        with pytest.raises(Conflict, match="уже есть"):
            services.create_lesson(teacher, load, TERM_START, 1, at=at_noon(TERM_START))
        lesson = services.create_lesson(teacher, load, TERM_START, 3, topic="Введение",
                                        work_type="practical", at=at_noon(TERM_START))
        assert lesson.taught_by_id == teacher.id


def _grid_queries(app, size: tuple[int, int], prefix: str) -> int:
    world = build(app, students=size[0], lessons=size[1], prefix=prefix)
    with app.test_request_context():
        load = api.get_load(world.ids["load"])
        teacher = world.users["teacher"]
        with count_queries(app) as counter:
            data = grid_data(load, teacher)
        assert (len(data.students), len(data.lessons)) == size
    return counter.count


def test_the_grid_makes_the_same_number_of_queries_for_10x10_and_30x80(app):
    small = _grid_queries(app, (10, 10), "s")
    large = _grid_queries(app, (30, 80), "l")
    assert small == large
    # 9th and 10th: grading's and attendance's pending corrections; 11th: the marks families
    # flagged (grading's open mark flags, for the journal's teacher)
    assert large <= 11


def _page_queries(app, size: tuple[int, int], prefix: str, who: str) -> int:
    world = build(app, students=size[0], lessons=size[1], prefix=prefix)
    client = app.test_client()
    client.post("/auth/login", data={"login": world.users[who].login,
                                     "password": "secret-pass-1"})
    url = f"/journal/load/{world.ids['load']}"
    assert client.get(url).status_code == 200  # today's lessons are made once, not counted
    with count_queries(app) as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("who", ["teacher", "admin", "curator"])
def test_the_whole_grid_page_makes_the_same_number_of_queries_whatever_its_size(app, who):
    assert _page_queries(app, (10, 10), f"ps{who[:2]}", who) == _page_queries(
        app, (30, 80), f"pl{who[:2]}", who)
