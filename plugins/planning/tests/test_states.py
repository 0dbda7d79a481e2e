"""A plan's states: the teacher submits it; those the preset names (BTT: the deputy; KTIS: the
methodological service and the deputy) approve it or return it with a comment; its hours must
add up before it is approved; every change is audited and the teacher is told by mail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import outbox
from core.audit import AuditEntry
from core.extensions import db
from plugins.journal.models import CurriculumHours
from plugins.planning.models import Transition
from plugins.planning.tests.helpers import save, state, version
from plugins.planning.tests.world import plan_rows
from tests.fixtures import signed_in
from tests.mail import deliver, text_and_link


def submitted(app, world, as_, rows=None):
    teacher = as_("teacher")
    assert save(teacher, world.ids["load"], rows or plan_rows()).status_code == 200
    teacher.post(f"/planning/load/{world.ids['load']}/submit")
    assert state(app, world.ids["load"]) == "submitted"
    return teacher


def test_btt_the_deputy_approves_a_plan_whose_hours_add_up(app, world, as_):
    submitted(app, world, as_)
    deputy = as_("deputy")
    page = deputy.get(f"/planning/load/{world.ids['load']}").get_data(as_text=True)
    assert 'id="approve-plan"' in page and "disabled" not in page.split('id="approve-plan"')[1][:40]
    response = deputy.post(f"/planning/load/{world.ids['load']}/approve", follow_redirects=True)
    assert "План утверждён." in response.get_data(as_text=True)
    assert state(app, world.ids["load"]) == "approved"


@pytest.mark.parametrize("who", ["methodist", "director", "teacher", "teacher2"])
def test_btt_no_one_but_the_deputy_approves(app, world, as_, who):
    submitted(app, world, as_)
    client = as_(who)
    response = client.post(f"/planning/load/{world.ids['load']}/approve")
    assert response.status_code in (302, 404)
    assert state(app, world.ids["load"]) == "submitted"
    page = client.get(f"/planning/load/{world.ids['load']}")
    assert 'id="approve-plan"' not in page.get_data(as_text=True)


def test_ktis_the_methodological_service_and_the_deputy_approve(ktis):
    app, world = ktis
    for approver in ("methodist", "deputy"):
        teacher = signed_in(app, world.users["teacher"])
        if state(app, world.ids["load"]) == "approved":
            signed_in(app, world.users["deputy"]).post(
                f"/planning/load/{world.ids['load']}/return", data={"comment": "Ещё раз"})
        assert save(teacher, world.ids["load"], plan_rows(),
                    version(app, world.ids["load"])).status_code == 200
        teacher.post(f"/planning/load/{world.ids['load']}/submit")
        signed_in(app, world.users[approver]).post(f"/planning/load/{world.ids['load']}/approve")
        assert state(app, world.ids["load"]) == "approved", approver
    teacher.post(f"/planning/load/{world.ids['load']}/return", data={"comment": "Сам себе"})
    signed_in(app, world.users["director"]).post(
        f"/planning/load/{world.ids['load']}/return", data={"comment": "Директор"})
    assert state(app, world.ids["load"]) == "approved"


def test_the_hours_rule_blocks_approval_until_the_plan_adds_up(app, world, as_):
    submitted(app, world, as_, plan_rows(16))  # 32 h against the load's 34
    deputy = as_("deputy")
    page = deputy.get(f"/planning/load/{world.ids['load']}").get_data(as_text=True)
    assert "В плане 32 ч, в нагрузке — 34 ч" in page
    listing = deputy.get("/planning/?show=mismatch").get_data(as_text=True)
    assert "32 / 34 / 34" in listing
    response = deputy.post(f"/planning/load/{world.ids['load']}/approve", follow_redirects=True)
    assert "Часы не сходятся: В плане 32 ч, в нагрузке — 34 ч" in response.get_data(as_text=True)
    assert state(app, world.ids["load"]) == "submitted"


def test_the_curriculum_hours_must_equal_the_loads_too(app, world, as_):
    submitted(app, world, as_)
    with app.app_context():
        row = db.session.scalar(select(CurriculumHours))
        row.hours = 36
        db.session.commit()
    response = as_("deputy").post(f"/planning/load/{world.ids['load']}/approve",
                                  follow_redirects=True)
    assert "В нагрузке 34 ч, по учебному плану — 36 ч" in response.get_data(as_text=True)
    assert state(app, world.ids["load"]) == "submitted"


def test_a_returned_plan_carries_the_comment_and_opens_for_the_teacher_again(app, world, as_):
    teacher = submitted(app, world, as_)
    assert save(teacher, world.ids["load"], plan_rows(3)).status_code == 409  # submitted: fixed
    deputy = as_("deputy")
    empty = deputy.post(f"/planning/load/{world.ids['load']}/return", data={"comment": " "},
                        follow_redirects=True)
    assert "Напишите, что исправить в плане" in empty.get_data(as_text=True)
    assert state(app, world.ids["load"]) == "submitted"
    deputy.post(f"/planning/load/{world.ids['load']}/return",
                data={"comment": "Добавьте практические работы"})
    assert state(app, world.ids["load"]) == "returned"
    page = teacher.get(f"/planning/load/{world.ids['load']}").get_data(as_text=True)
    assert "Добавьте практические работы" in page and 'id="ktp-editor"' in page
    assert save(teacher, world.ids["load"], plan_rows(17), version(app, world.ids["load"])
                ).status_code == 200


def test_every_transition_is_audited_and_kept_in_the_plans_history(app, world, as_):
    submitted(app, world, as_)
    deputy = as_("deputy")
    deputy.post(f"/planning/load/{world.ids['load']}/return", data={"comment": "Недели"})
    with app.app_context():
        moves = [(t.from_state, t.to_state, t.comment) for t in db.session.scalars(
            select(Transition).order_by(Transition.id))]
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("planning.%")).order_by(AuditEntry.id)))
    assert moves == [("draft", "submitted", ""), ("submitted", "returned", "Недели")]
    assert actions == ["planning.rows.save", "planning.plan.submitted", "planning.plan.returned"]


def test_the_teacher_is_mailed_when_the_plan_is_approved_or_returned(mail_app, smtp, clock):
    from plugins.planning.tests.conftest import NOON
    from plugins.planning.tests.world import build

    clock.set(NOON, tick=True)
    world = build(mail_app, prefix="m")
    inbox, _port = smtp
    teacher = signed_in(mail_app, world.users["teacher"])
    assert save(teacher, world.ids["load"], plan_rows()).status_code == 200
    teacher.post(f"/planning/load/{world.ids['load']}/submit")
    deputy = signed_in(mail_app, world.users["deputy"])
    deputy.post(f"/planning/load/{world.ids['load']}/return", data={"comment": "Уточните темы"})
    teacher.post(f"/planning/load/{world.ids['load']}/submit",
                 data={"version": version(mail_app, world.ids["load"])})
    deputy.post(f"/planning/load/{world.ids['load']}/approve")
    with mail_app.app_context():
        queued = list(db.session.scalars(select(outbox.OutboxMessage.subject).where(
            outbox.OutboxMessage.recipient == "teacher.m@college.test")
            .order_by(outbox.OutboxMessage.id)))
    title = "ИСП-m1 · ОП.04 Основы алгоритмизации m"
    assert queued == [f"КТП «{title}»: возвращён на доработку", f"КТП «{title}»: утверждён"]
    deliver(mail_app)
    assert [to for to, _mail in inbox.messages] == [["teacher.m@college.test"]] * 2
    text, link = text_and_link(inbox.messages[0][1], "Задание 1")
    assert "Комментарий: Уточните темы" in text
    assert link.endswith(f"/planning/load/{world.ids['load']}")
