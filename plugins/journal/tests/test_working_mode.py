"""The working mode in the journal (BTT 4.1.1): the timetable creates lessons only on the days
of the five- or six-day week and in a slot's числитель / знаменатель week; a lesson's time is
shown from the bells (the shortened ones on a shortened day) on the lesson page, the teacher's
«Занятия сегодня», the diary and «Пропуски»; recorded lessons are never removed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from core.calendar import mode as working_mode
from core.calendar.models import AcademicYear, Term
from core.errors import Conflict, DomainError
from core.extensions import db
from core.people.models import User
from plugins.journal import api, planning, services
from plugins.journal.models import Lesson, TeachingLoad, TimetableSlot
from plugins.journal.tests.world import build
from tests.fixtures import signed_in

MSK = timezone(timedelta(hours=3))
MAIN = {1: (time(8, 30), time(10, 0)), 2: (time(10, 10), time(11, 40)),
        3: (time(12, 20), time(13, 50))}
SHORT = {1: (time(8, 30), time(9, 15)), 2: (time(9, 25), time(10, 10)),
         3: (time(10, 20), time(11, 5))}
SHORT_DAY = date(2026, 9, 2)  # a Wednesday: the world's second lesson
# the world's year starts on Tuesday 01.09.2026: its week (from Monday 31.08) is a числитель
A_MONDAY, B_MONDAY = date(2026, 9, 14), date(2026, 9, 7)


def set_mode(app, world, week_days=6, alternating=False, short_days=(SHORT_DAY,)):
    with app.app_context():
        term = db.session.get(Term, world.ids["term"])
        year = db.session.get(AcademicYear, term.year_id)
        working_mode.save_mode(year, week_days, alternating, MAIN, SHORT,
                               [working_mode.ShortDayEntry(day, "Предпраздничный день")
                                for day in short_days])
        db.session.commit()


def add_slots(app, world, *slots):
    """(weekday, pair, week) slots of the world's load, from the term's start."""
    with app.app_context():
        for weekday, pair, week in slots:
            db.session.add(TimetableSlot(load_id=world.ids["load"], weekday=weekday,
                                         pair_number=pair, hours=2,
                                         valid_from=date(2026, 9, 1), week=week))
        db.session.commit()


def planned(app, world, start, end):
    with app.app_context():
        return [(day, pair) for day, pair, _h in services.timetable_lessons(
            api.get_load(world.ids["load"]), start, end)]


def test_the_lesson_page_shows_the_time_from_the_bells_and_the_shortened_day(app):
    world = build(app, prefix="wm1")
    client = signed_in(app, world.users["teacher"])
    before = client.get(f"/journal/lessons/{world.lessons[0]}").get_data(as_text=True)
    assert "время пар не задано" in before  # no bells yet: the pair number only
    set_mode(app, world)
    page = client.get(f"/journal/lessons/{world.lessons[0]}").get_data(as_text=True)
    assert "вторник, 1 пара: <b>08:30–10:00</b>" in page and "сокращённый день" not in page
    short = client.get(f"/journal/lessons/{world.lessons[1]}").get_data(as_text=True)
    assert "среда, 1 пара: <b>08:30–09:15</b>" in short
    assert "сокращённый день: Предпраздничный день" in short


def test_a_lesson_recorded_by_hand_takes_its_time_from_the_bells_of_its_day(app, clock):
    world = build(app, lessons=0, prefix="wm7")
    set_mode(app, world)
    clock.set(datetime.combine(SHORT_DAY, time(9, 0), MSK).astimezone(UTC))
    client = signed_in(app, world.users["teacher"])
    new = client.get(f"/journal/load/{world.ids['load']}/lessons/new").get_data(as_text=True)
    assert "Время пары — по звонкам: 1 — 08:30–09:15; 2 — 09:25–10:10; 3 — 10:20–11:05" in new
    saved = client.post(f"/journal/load/{world.ids['load']}/lessons/new", data={
        "date": SHORT_DAY.isoformat(), "pair_number": "2", "hours": "2",
        "work_type": "lecture", "topic": "Тема"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "среда, 2 пара: <b>09:25–10:10</b>" in page


def test_alternating_weeks_create_each_slots_lessons_in_its_own_week(app):
    world = build(app, lessons=0, prefix="wm2")
    add_slots(app, world, (1, 1, "A"), (1, 2, "B"), (3, 3, None))
    every_week = planned(app, world, B_MONDAY, A_MONDAY + timedelta(days=6))
    assert every_week == [(B_MONDAY, 1), (B_MONDAY, 2), (B_MONDAY + timedelta(days=2), 3),
                          (A_MONDAY, 1), (A_MONDAY, 2), (A_MONDAY + timedelta(days=2), 3)]
    set_mode(app, world, alternating=True)
    assert planned(app, world, B_MONDAY, A_MONDAY + timedelta(days=6)) == [
        (B_MONDAY, 2), (B_MONDAY + timedelta(days=2), 3),
        (A_MONDAY, 1), (A_MONDAY + timedelta(days=2), 3)]
    with app.app_context():
        created = services.lessons_from_timetable(api.get_load(world.ids["load"]), B_MONDAY,
                                                  A_MONDAY + timedelta(days=6))
        db.session.commit()
        assert created == 4


def test_a_five_day_week_creates_no_saturday_lessons_and_keeps_recorded_ones(app):
    world = build(app, lessons=6, prefix="wm3")  # lessons recorded 01.09–06.09, a Saturday too
    add_slots(app, world, (5, 1, None), (6, 2, None))
    week = (A_MONDAY, A_MONDAY + timedelta(days=6))
    assert planned(app, world, *week) == [(A_MONDAY + timedelta(days=4), 1),
                                          (A_MONDAY + timedelta(days=5), 2)]
    set_mode(app, world, week_days=5)
    assert planned(app, world, *week) == [(A_MONDAY + timedelta(days=4), 1)]
    with app.app_context():
        services.lessons_from_timetable(api.get_load(world.ids["load"]), date(2026, 9, 1),
                                        date(2026, 9, 30))
        db.session.commit()
        days = {day for day in db.session.scalars(select(Lesson.date).where(
            Lesson.load_id == world.ids["load"]))}
    assert date(2026, 9, 5) in days and date(2026, 9, 6) in days  # history stays
    assert not {day for day in days if day > date(2026, 9, 6) and day.isoweekday() > 5}
    set_mode(app, world, week_days=6)
    assert planned(app, world, *week)[-1] == (A_MONDAY + timedelta(days=5), 2)


def test_the_timetable_form_follows_the_working_mode(app):
    world = build(app, lessons=0, prefix="wm4")
    set_mode(app, world, week_days=5)
    with app.app_context():
        actor = db.session.get(User, world.id("admin"))
        load = db.session.get(TeachingLoad, world.ids["load"])
        with pytest.raises(DomainError, match="Суббота — не учебный день"):
            planning.add_slot(actor, load, 6, 1, 2, date(2026, 9, 1), None)
        with pytest.raises(DomainError, match="нет чередования недель"):
            planning.add_slot(actor, load, 1, 1, 2, date(2026, 9, 1), None, "A")
        db.session.rollback()
    set_mode(app, world, week_days=5, alternating=True)
    with app.app_context():
        actor = db.session.get(User, world.id("admin"))
        load = db.session.get(TeachingLoad, world.ids["load"])
        planning.add_slot(actor, load, 1, 1, 2, date(2026, 9, 1), None, "A")
        planning.add_slot(actor, load, 1, 1, 2, date(2026, 9, 1), None, "B")  # no clash
        with pytest.raises(Conflict, match="уже есть занятие"):
            planning.add_slot(actor, load, 1, 1, 2, date(2026, 9, 1), None)
        db.session.commit()
    page = signed_in(app, world.users["admin"]).get(
        f"/journal/planning/loads/{world.ids['load']}/timetable").get_data(as_text=True)
    assert "неделя 5-дневная" in page and "чередуются числитель и знаменатель" in page
    assert "Понедельник, 1 пара (числитель)" in page and "знаменатель" in page
    assert '<option value="6">Суббота</option>' not in page
    assert "08:30–10:00" in page


def test_todays_lessons_at_a_frozen_time_show_the_bells_of_todays_week(app, clock):
    world = build(app, lessons=0, prefix="wm5")
    wednesday = A_MONDAY + timedelta(days=2)  # a числитель week
    add_slots(app, world, (3, 1, "A"), (3, 2, "B"), (3, 3, None))
    set_mode(app, world, alternating=True, short_days=(wednesday + timedelta(days=7),))
    clock.set(datetime.combine(wednesday, time(9, 0), MSK).astimezone(UTC))
    client = signed_in(app, world.users["teacher"])
    home = client.get("/").get_data(as_text=True)
    assert '1 пара, <span class="pair-time">08:30–10:00</span> · ИСП-wm51' in home
    assert '3 пара, <span class="pair-time">12:20–13:50</span>' in home
    assert "2 пара, " not in home  # the знаменатель's lesson is next week
    clock.set(datetime.combine(wednesday + timedelta(days=7), time(9, 0), MSK).astimezone(UTC))
    client = signed_in(app, world.users["teacher"])
    home = client.get("/").get_data(as_text=True)  # a знаменатель week, and a shortened day
    assert '2 пара, <span class="pair-time">09:25–10:10</span>' in home
    assert '3 пара, <span class="pair-time">10:20–11:05</span>' in home
    assert "1 пара, " not in home


def test_the_diary_and_the_absences_week_show_the_working_week_and_the_bells(app, clock):
    world = build(app, lessons=0, prefix="wm6")
    add_slots(app, world, (1, 1, "A"), (1, 2, "B"), (5, 3, None))
    set_mode(app, world, week_days=5, alternating=True, short_days=(A_MONDAY + timedelta(4),))
    clock.set(datetime.combine(A_MONDAY, time(7, 0), MSK).astimezone(UTC))
    teacher = signed_in(app, world.users["teacher"])
    diary = teacher.get(f"/diary/students/{world.students[0]}?week={A_MONDAY.isoformat()}")
    assert diary.status_code == 200
    page = diary.get_data(as_text=True)
    assert '1. <span class="pair-time">08:30–10:00</span>' in page  # Monday, числитель
    assert '2. <span class="pair-time">' not in page  # the знаменатель's pair
    assert '3. <span class="pair-time">10:20–11:05</span>' in page  # Friday, shortened
    assert "пятница, 18.09 · <span class=\"short-day\">сокращённый день" in page
    assert "суббота" not in page
    curator = signed_in(app, world.users["curator"])
    week = curator.get(f"/attendance/groups/{world.ids['group']}/week?start={A_MONDAY}")
    assert week.status_code == 200
    text = week.get_data(as_text=True)
    assert "пт 18.09" in text and "сб 19.09" not in text
    set_mode(app, world, week_days=6, alternating=True)
    six = curator.get(f"/attendance/groups/{world.ids['group']}/week?start={A_MONDAY}")
    assert "сб 19.09" in six.get_data(as_text=True)
    page = teacher.get(f"/diary/students/{world.students[0]}?week={A_MONDAY.isoformat()}"
                       ).get_data(as_text=True)
    assert "суббота, 19.09" in page and '3. <span class="pair-time">12:20–13:50</span>' in page


def test_a_teacher_is_busy_only_in_the_week_of_their_slot(app):
    world = build(app, lessons=0, prefix="wm8")
    add_slots(app, world, (1, 1, "A"))
    set_mode(app, world, alternating=True)
    teacher = world.id("teacher")
    with app.app_context():
        assert teacher in api.teachers_timetabled_at(A_MONDAY, 1)
        assert teacher not in api.teachers_timetabled_at(B_MONDAY, 1)
