"""A request the administration has not answered within ``helpdesk.answer_days`` calendar days
after the day it was filed (3 by default and in both presets) is overdue: the administrator's
home page lists it and the menu counts it; a reopened request's term starts again; the policy
key sets the term."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core import policy
from plugins.helpdesk.tests.helpers import change, file

#: Monday 5 October 2026, 12:00 in Moscow
NOON = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")


def _msk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=MOSCOW)


def _badge(page: str) -> str | None:
    found = re.search(r'href="/helpdesk/queue">Обращения <span class="badge[^"]*"[^>]*>(\d+)<',
                      page)
    return found and found.group(1)


def test_overdue_requests_are_on_the_administrators_home_page_and_in_the_menu(
        app, world, as_, clock):
    clock.set(NOON)
    late = file(app, world, "teacher", kind="help", subject="Поданное 1 октября",
                body="…", at=_msk(1, 23))  # 23:00 of 1 October: 2, 3, 4 October have passed
    in_time = file(app, world, "parent", kind="help", subject="Поданное 2 октября",
                   body="…", at=_msk(2, 0, 5))
    answered = file(app, world, "student", kind="help", subject="Отвеченное",
                    body="…", at=_msk(1, 9))
    change(app, world, answered, "answered", "Ответ", at=_msk(2, 9))
    home = as_("admin").get("/").get_data(as_text=True)
    assert "Обращения к администрации" in home
    assert "Ждут ответа: 2." in home and "Просрочено (дольше 3 дн.): 1." in home
    assert f'href="/helpdesk/{late}"' in home and "Поданное 1 октября" in home
    assert f'href="/helpdesk/{in_time}"' not in home and "Отвеченное" not in home
    assert _badge(home) == "1"
    queue = as_("admin").get("/helpdesk/queue").get_data(as_text=True)
    assert queue.count("просрочено</span>") == 1
    director_home = as_("director").get("/").get_data(as_text=True)
    assert "Поданное 1 октября" in director_home
    assert "Обращения к администрации" not in as_("teacher").get("/").get_data(as_text=True)

    clock.set(datetime(2026, 10, 5, 21, 1, tzinfo=UTC))  # 00:01 of 6 October in Moscow
    home = as_("admin").get("/").get_data(as_text=True)
    assert "Просрочено (дольше 3 дн.): 2." in home and _badge(home) == "2"


def test_answering_or_taking_in_work_an_overdue_request(app, world, as_, clock):
    clock.set(NOON)
    late = file(app, world, "teacher", kind="help", body="…", at=_msk(1, 10))
    change(app, world, late, "in_work", at=_msk(5, 11))
    assert "Просрочено" in as_("admin").get("/").get_data(as_text=True)  # in work is still owed
    change(app, world, late, "answered", "Готово", at=_msk(5, 11))
    assert "Обращения к администрации" not in as_("admin").get("/").get_data(as_text=True)


def test_a_reopened_request_has_its_term_again(app, world, as_, clock):
    clock.set(NOON)
    late = file(app, world, "parent", kind="help", body="…", at=_msk(1, 10))
    change(app, world, late, "answered", "Ответ", at=_msk(1, 12))
    assert as_("parent").post(f"/helpdesk/{late}/reopen", data={"text": "Не помогло"}) \
        .status_code == 302
    home = as_("admin").get("/").get_data(as_text=True)
    assert "Ждут ответа: 1." in home and "Просрочено" not in home


def test_the_policy_key_sets_the_term(app, world, as_, clock):
    clock.set(NOON)
    file(app, world, "teacher", kind="help", body="…", at=_msk(1, 10))
    with app.test_request_context():
        policy.set_override("helpdesk.answer_days", 5)
        from core.extensions import db

        db.session.commit()
    home = as_("admin").get("/").get_data(as_text=True)
    assert "Ждут ответа: 1." in home and "Просрочено" not in home
