"""The early warning: who is at risk at a frozen instant and why, the week's change, scope,
sorting and the export, the weekly mail to curators, the menu's count, and a constant number of
queries."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core import outbox
from core.extensions import db
from core.people.models import User
from plugins.attendance.models import Absence
from plugins.forecast import warning, widgets
from plugins.forecast.tests.warning_world import NOW, build
from plugins.forecast.warning_jobs import weekly_warnings
from plugins.grading.models import Mark
from tests import college
from tests.fixtures import count_queries, signed_in

PASSWORD = college.PASSWORD


@pytest.fixture
def world(app, clock):
    clock.set(NOW)
    widgets.forget()
    return build(app)


def client_of(app, user):
    return signed_in(app, user, PASSWORD)


def kinds_of(listing) -> dict[str, tuple[list[str], int, str]]:
    return {row.name.split()[0]: ([s.kind for s in row.signals], row.week_ago, row.trend)
            for row in listing.rows}


def test_the_list_at_a_frozen_instant_names_each_risk_and_the_change_since_a_week_ago(app,
                                                                                       world):
    with app.test_request_context():
        listing = warning.warning_list({world.ids["g1"]}, NOW)
    assert kinds_of(listing) == {
        # a failing forecast, as a week ago
        "Кузнецов": (["forecast_fail"], 1, "same"),
        # no marks: «н/а» forecast, short of the minimum with four lessons left (five a week
        # ago: not yet «few»), 8 unexcused hours (6 a week ago, under the threshold of 8)
        "Фёдорова": (["forecast_na", "few_marks", "unexcused"], 1, "worse"),
        # a term ended ten days ago without his final (three days is the deadline)
        "Петров": (["no_final"], 1, "same"),
    }
    assert listing.week_ago_count == 3 and listing.recovered == ()
    fedorova = next(row for row in listing.rows if row.name.startswith("Фёдорова"))
    details = {s.kind: s.detail for s in fedorova.signals}
    assert details["unexcused"] == "8 ч без уважительной причины (порог 8 ч)"
    assert "осталось занятий: 4" in details["few_marks"]
    assert fedorova.signals[0].discipline == "ОП.04 Основы алгоритмизации и программирования"
    # Смирнова left for ИСП-22: not in ИСП-21's list
    assert all(not row.name.startswith("Смирнова") for row in listing.rows)


def test_a_student_who_recovers_leaves_the_list_and_is_named_as_recovered(app, world):
    with app.test_request_context():
        petrov = world.students[0]
        from plugins.grading.models import Final

        db.session.add(Final(load_id=world.ended_load, student_id=petrov, kind="term",
                             value="4"))
        db.session.commit()
        listing = warning.warning_list({world.ids["g1"]}, NOW)
    names = [row.name for row in listing.rows]
    assert not any(name.startswith("Петров") for name in names)
    # finals as they stand: the week-ago list no longer holds him either
    assert listing.week_ago_count == 2


def test_curator_sees_only_their_group_and_others_get_404(app, world):
    curator = client_of(app, world.curator)
    page = curator.get("/forecast/warnings")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Кузнецов Иван Дмитриевич" in html and "Фёдорова Мария Андреевна" in html
    assert "Смирнова" not in html  # in ИСП-22 now
    assert curator.get(f"/forecast/warnings?group={world.ids['g2']}").status_code == 404
    assert curator.get(f"/forecast/readiness/{world.ids['g2']}").status_code == 404
    other = client_of(app, world.other_curator)
    theirs = other.get("/forecast/warnings").get_data(as_text=True)
    assert "Кузнецов" not in theirs and "Фёдорова" not in theirs
    for who in ("teacher", "student_user"):
        assert client_of(app, world.base.users[who]).get("/forecast/warnings").status_code \
            == 404
    deputy = client_of(app, world.base.users["deputy"]).get("/forecast/warnings")
    assert deputy.status_code == 200
    assert "Кузнецов Иван Дмитриевич" in deputy.get_data(as_text=True)


def test_the_list_sorts_and_exports_as_xlsx_and_csv(app, world):
    from openpyxl import load_workbook

    curator = client_of(app, world.curator)
    by_name = curator.get("/forecast/warnings?sort=name").get_data(as_text=True)
    order = [by_name.index(name) for name in ("Кузнецов", "Петров", "Фёдорова")]
    assert order == sorted(order)
    by_count = curator.get("/forecast/warnings?sort=count").get_data(as_text=True)
    assert by_count.index("Фёдорова") < by_count.index("Кузнецов")
    csv = curator.get("/forecast/warnings?format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeffГруппа;Обучающийся;Дисциплина;Риск")
    assert "Петров Алексей Игоревич;ОП.01 Инженерная графика;нет итоговой оценки после срока" \
        in text
    xlsx = curator.get("/forecast/warnings?format=xlsx&sort=name")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Раннее предупреждение на 18.11.2026"
    assert rows[2][:2] == ("ИСП-21", "Кузнецов Иван Дмитриевич")
    assert len(rows) == 2 + 5  # a row a signal


def test_each_curator_gets_a_weekly_mail_with_their_list_once_a_week(app, world):
    with app.app_context():
        db.session.get(User, world.curator.id).email = "orlova@college.example"
        db.session.get(User, world.other_curator.id).email = "zaitseva@college.example"
        db.session.commit()
    with app.test_request_context():
        told = weekly_warnings(NOW)
        assert weekly_warnings(NOW) == told  # twice: the week's key keeps one mail each
        mails = db.session.scalars(select(outbox.OutboxMessage).where(
            outbox.OutboxMessage.kind == "forecast")).all()
    to_orlova = [m for m in mails if m.recipient == "orlova@college.example"]
    assert len(to_orlova) == 1
    text = to_orlova[0].body_text
    assert to_orlova[0].subject == "Группа ИСП-21: обучающиеся в зоне риска на 18.11.2026"
    assert "— Кузнецов Иван Дмитриевич — ОП.04 Основы алгоритмизации и программирования: " \
           "прогноз: неудовлетворительно (неделю назад: 1)" in text
    assert "/forecast/warnings?group=" in text
    assert "Кузнецов" not in "".join(m.body_text for m in mails
                                    if m.recipient == "zaitseva@college.example")


def test_the_curators_menu_counts_their_students_at_risk(app, world):
    html = client_of(app, world.curator).get("/").get_data(as_text=True)
    assert "Раннее предупреждение" in html
    assert "В зоне риска: 3 обучающихся" in html


def _more_students(app, world, count: int) -> None:
    with app.app_context():
        for number in range(count):
            student = college.add_student(world.ids["g1"], world.base.dates[0],
                                          record_book_no=f"wq-{number}", last_name="Ещё",
                                          first_name=f"Студент{number}")
            for index in range(6):
                db.session.add(Mark(lesson_id=world.base.lessons[index], student_id=student.id,
                                    position=0, mark_type="oral", value="2"))
            db.session.add(Absence(lesson_id=world.base.lessons[11], student_id=student.id,
                                   kind="absent", hours=2, reason=""))
        db.session.commit()


def test_the_number_of_queries_does_not_grow_with_students_or_marks(app, world):
    curator = client_of(app, world.curator)
    curator.get("/forecast/warnings")  # warm the policy's caches
    with count_queries(app) as few:
        assert curator.get("/forecast/warnings").status_code == 200
    _more_students(app, world, 6)
    with count_queries(app) as many:
        page = curator.get("/forecast/warnings")
    assert "Ещё Студент5" in page.get_data(as_text=True)
    assert many.count == few.count
