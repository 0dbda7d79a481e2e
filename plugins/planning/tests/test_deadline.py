"""The deadline (``planning.deadline``: BTT 4.5.2 «до 10 сентября»; none in KTIS): from three
days before it, a teacher whose plan is not submitted is reminded once by the worker's job;
after it, the deputy sees who is late. A preset without a deadline reminds nobody."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from core import outbox
from core.extensions import db
from core.plugins import hook
from plugins.planning import services
from plugins.planning.tests.helpers import save
from plugins.planning.tests.world import plan_rows
from tests.fixtures import signed_in


def mails(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(outbox.OutboxMessage.recipient, outbox.OutboxMessage.subject)
            .order_by(outbox.OutboxMessage.id))]


def run_job(app) -> int:
    """The worker's scheduled job, as the worker runs it (in a request context)."""
    with app.test_request_context():
        job = next(job for batch in hook().scheduled_jobs() for job in batch
                   if job.name == "planning_remind")
        return job.run()


def at(day: int, month: int = 9) -> datetime:
    return datetime(2026, month, day, 7, 0, tzinfo=UTC)  # 10:00 in Moscow


def test_btt_the_deadline_is_the_tenth_of_september_of_the_plans_year(app, world):
    with app.test_request_context():
        assert services.deadline_rule() == (9, 10)
        assert services.deadline_in(date(2026, 9, 1), (9, 10)) == date(2026, 9, 10)
        assert services.deadline_in(date(2026, 9, 15), (9, 10)) == date(2027, 9, 10)


def test_btt_teachers_whose_plans_are_not_submitted_are_reminded_once(app, world, as_, clock):
    assert save(as_("teacher2"), world.ids["other_load"], plan_rows()).status_code == 200
    as_("teacher2").post(f"/planning/load/{world.ids['other_load']}/submit")
    clock.set(at(6), tick=True)  # four days before: not yet
    assert run_job(app) == 0
    clock.set(at(7), tick=True)  # three days before
    assert run_job(app) == 1
    sent = [(to, subject) for to, subject in mails(app) if "Сдайте КТП" in subject]
    assert sent == [("teacher.p@college.test",
                     "Сдайте КТП до 10.09.2026: ИСП-p1 · ОП.04 Основы алгоритмизации p")]
    clock.set(at(9), tick=True)
    assert run_job(app) == 0  # once per load and deadline
    assert len([s for _t, s in mails(app) if "Сдайте КТП" in s]) == 1


def test_btt_after_the_deadline_the_deputy_sees_who_is_late(app, world, as_, clock):
    assert save(as_("teacher2"), world.ids["other_load"], plan_rows()).status_code == 200
    as_("teacher2").post(f"/planning/load/{world.ids['other_load']}/submit")
    clock.set(at(10, 9).replace(hour=20), tick=True)  # 23:00 on the day itself: not late yet
    on_day = signed_in(app, world.users["deputy"]).get("/planning/?show=late")
    assert "ИСП-p1" not in on_day.get_data(as_text=True)
    clock.set(at(11), tick=True)
    late = signed_in(app, world.users["deputy"]).get("/planning/?show=late").get_data(as_text=True)
    assert late.count("просрочен") == 1 and "ИСП-p1" in late and "ИСП-p2" not in late
    assert "Не сдали в срок <span class=\"badge text-bg-danger\">1</span>" in late


def test_ktis_sets_no_deadline_and_reminds_nobody(ktis, clock):
    app, world = ktis
    for day in (1, 7, 10, 11, 30):
        clock.set(at(day), tick=True)
        assert run_job(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == 0
    page = signed_in(app, world.users["deputy"]).get("/planning/?show=late")
    assert "просрочен" not in page.get_data(as_text=True)


def test_the_home_page_tells_the_deputy_who_is_late_and_the_teacher_what_is_due(app, world,
                                                                                as_, clock):
    clock.set(at(8), tick=True)
    teacher_home = signed_in(app, world.users["teacher"]).get("/").get_data(as_text=True)
    assert "Не отправлено на утверждение: 1 · срок сдачи 10.09.2026" in teacher_home
    assert "Не сдали в срок" not in signed_in(app, world.users["deputy"]).get("/").get_data(
        as_text=True)
    clock.set(at(11), tick=True)
    deputy_home = signed_in(app, world.users["deputy"]).get("/").get_data(as_text=True)
    assert 'href="/planning/?show=late">Не сдали в срок: 2</a>' in deputy_home
