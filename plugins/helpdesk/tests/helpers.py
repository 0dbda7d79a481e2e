"""Acting on requests of the tests' world through the services, committed."""

from __future__ import annotations

from core.extensions import db
from core.people.models import User
from plugins.helpdesk import services
from plugins.helpdesk.models import HelpRequest


def user(world, key: str) -> User:
    return db.session.get(User, world.id(key))


def file(app, world, who: str, at=None, **draft) -> int:
    with app.test_request_context():
        item = services.file_request(user(world, who), services.Draft(**draft), at=at)
        db.session.commit()
        return item.id


def change(app, world, request_id: int, status: str, text: str = "", who: str = "admin",
           at=None) -> None:
    with app.test_request_context():
        services.change_status(user(world, who), db.session.get(HelpRequest, request_id),
                               status, text, at=at)
        db.session.commit()


def load(app, request_id: int) -> HelpRequest:
    with app.app_context():
        item = db.session.get(HelpRequest, request_id)
        db.session.expunge(item)
        return item
