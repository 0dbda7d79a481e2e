"""The year's working mode (BTT 4.1.1): the year opening sets the week, the bells (main and
shortened, with the shortened dates) and the alternating weeks; bad bells are refused with
Russian form errors and nothing is saved; the year page shows the mode; the change is audited."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.calendar import mode as working_mode
from core.calendar.models import AcademicYear, Bell, ShortDay
from core.extensions import db
from core.people.roles import Role
from tests.test_year_opening import year_form


@pytest.fixture
def admin(make_user, login):
    user = make_user("mode-admin", roles=[Role.ADMIN])
    login(user)
    return user


def mode_form(week_days=5, alternating=True, main=(("08:30", "10:00"), ("10:10", "11:40")),
              short=(("08:30", "09:15"),), short_days=(("2026-12-28", "Предпраздничный день"),),
              **year):
    data = year_form(**year)
    data["week_days"] = str(week_days)
    if alternating:
        data["alternating_weeks"] = "y"
    for kind, rows in (("main_bells", main), ("short_bells", short)):
        for i, (starts, ends) in enumerate(rows):
            data[f"{kind}-{i}-starts_at"], data[f"{kind}-{i}-ends_at"] = starts, ends
    for i, (day, title) in enumerate(short_days):
        data[f"short_days-{i}-on_date"], data[f"short_days-{i}-title"] = day, title
    return data


def test_the_year_opening_sets_the_week_bells_shortened_days_and_alternating_weeks(
        app, client, admin):
    form = client.get("/admin/year/new").get_data(as_text=True)
    assert "Режим работы" in form and "Расписание звонков" in form and "Сокращённые дни" in form
    assert "Пятидневная неделя" in form and "числитель и знаменатель" in form
    response = client.post("/admin/year/new", data=mode_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        year = db.session.scalar(select(AcademicYear).where(AcademicYear.title == "2026/2027"))
        assert (year.week_days, year.alternating_weeks) == (5, True)
        assert [(b.short, b.pair_number, b.starts_at, b.ends_at) for b in year.bells] == [
            (False, 1, time(8, 30), time(10, 0)), (False, 2, time(10, 10), time(11, 40)),
            (True, 1, time(8, 30), time(9, 15))]
        assert [(d.on_date, d.title) for d in year.short_days] == [
            (date(2026, 12, 28), "Предпраздничный день")]
        mode = working_mode.mode_on(date(2026, 10, 1))
        assert mode.pair_time(date(2026, 10, 1), 1).label == "08:30–10:00"
        assert mode.pair_time(date(2026, 12, 28), 1).label == "08:30–09:15"
        assert mode.week_of(date(2026, 9, 1)) == "A" and mode.week_of(date(2026, 9, 7)) == "B"
        assert not mode.works_on(date(2026, 9, 5))  # a Saturday of a five-day week
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "year.mode"))
        assert entry.after["week_days"] == 5 and entry.actor_login == "mode-admin"
    page = client.get("/admin/year/").get_data(as_text=True)
    assert "5-дневная неделя" in page and "числитель и знаменатель" in page
    assert "1) 08:30–10:00; 2) 10:10–11:40" in page and "Сокращённые дни: 28.12" in page
    again = client.get(f"/admin/year/{year.id}/edit").get_data(as_text=True)
    assert 'value="10:10"' in again and 'value="Предпраздничный день"' in again


@pytest.mark.parametrize("main, expected", [
    ((("08:30", "10:00"), ("09:50", "11:20")),
     "2 пара начинается (09:50) раньше, чем кончается 1 пара (10:00)"),
    ((("10:00", "08:30"),), "1 пара: окончание (08:30) должно быть позже начала (10:00)"),
    ((("08:30", ""),), "1 пара: укажите и начало, и окончание"),
    ((("8 утра", "10:00"),), "Время — часы и минуты, например 08:30"),
])
def test_bad_bells_are_russian_form_errors_and_nothing_is_saved(app, client, admin, main,
                                                                expected):
    response = client.post("/admin/year/new", data=mode_form(main=main))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert expected in page and 'class="invalid-feedback d-block"' in page
    with app.app_context():
        assert db.session.scalar(select(AcademicYear.id)) is None
        assert db.session.scalar(select(Bell.id)) is None


def test_a_shortened_day_needs_the_shortened_bells_and_a_date_in_the_year(app, client, admin):
    no_bells = client.post("/admin/year/new", data=mode_form(short=()))
    assert no_bells.status_code == 422
    assert "задайте сокращённое расписание звонков" in no_bells.get_data(as_text=True)
    outside = client.post("/admin/year/new", data=mode_form(short_days=(("2027-08-01", ""),)))
    assert outside.status_code == 422
    assert "Сокращённый день 01.08.2027 вне учебного года" in outside.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ShortDay.id)) is None


def test_a_new_year_starts_from_the_current_years_week_and_bells(app, client, admin):
    assert client.post("/admin/year/new", data=mode_form()).status_code == 302
    form = client.get("/admin/year/new").get_data(as_text=True)  # the next year, 2027/2028
    assert 'value="2027/2028"' in form and 'value="10:10"' in form
    assert 'value="Предпраздничный день"' not in form  # dated days stay with their year
    assert '<option selected value="5">' in form


def test_a_year_without_a_mode_keeps_every_weekday_and_shows_no_times(app):
    with app.app_context():
        year = AcademicYear(title="2030/2031", starts_on=date(2030, 9, 1),
                            ends_on=date(2031, 6, 30))
        db.session.add(year)
        db.session.flush()
        sunday = date(2030, 9, 8)
        assert working_mode.runs_on(sunday) and working_mode.runs_on(sunday, "A")
        assert working_mode.pair_time(sunday, 1) is None
        assert working_mode.pair_label(sunday, 1) == "1 пара"
        assert len(working_mode.working_days(date(2030, 9, 2))) == 6
        db.session.rollback()
