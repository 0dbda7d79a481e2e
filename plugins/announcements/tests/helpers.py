"""Publishing announcements in the tests' world through the pages and the services."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.people.models import User
from plugins.announcements import services
from plugins.announcements.models import Announcement


def form(audience: str, title: str = "Родительское собрание", **fields) -> dict:
    data = {"kind": "notice", "title": title, "body": "Приходите, пожалуйста.",
            "audience": audience}
    data.update(fields)
    return data


def event_form(audience: str, title: str = "Родительское собрание", day: str = "2026-10-08",
               at: str = "18:00", **fields) -> dict:
    fields.setdefault("place", "Кабинет 214")
    return form(audience, title, kind="event", event_day=day, event_time=at, **fields)


def publish(app, world, who: str, audience: str, title: str = "Объявление", **fields) -> int:
    """``who`` publishes through the service (committed); the announcement's id."""
    draft = services.Draft(kind=fields.pop("kind", "notice"), title=title,
                           body=fields.pop("body", "Текст"), audience=audience, **fields)
    with app.test_request_context():
        item = services.publish(db.session.get(User, world.id(who)), draft)
        db.session.commit()
        return item.id


def created_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def titles(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Announcement.title).order_by(Announcement.id)))
