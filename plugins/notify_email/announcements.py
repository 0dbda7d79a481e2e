"""Mail of a published announcement (the announcements plugin's ``announcement.published``):
one mail per recipient account with an address, by the announcement's key, with its title and a
link that opens it after sign-in; never its text, which stays in the journal. Addresses are read
for all recipients at once (a college-wide announcement reaches hundreds)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.events import DomainEvent
from core.extensions import db
from core.people.models import Guardian, Student, User
from plugins.notify_email.models import Preference
from plugins.notify_email.services import email_on, link_of, public_url, queue_mail


def addresses(user_ids) -> dict[int, str]:
    """Where mail to each active account goes, as ``services.address_of`` decides it (the
    guardian's record, else the student's, else the account's own), in three queries."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    found: dict[int, str] = {}
    for query in (select(Guardian.user_id, Guardian.email).where(Guardian.user_id.in_(ids)),
                  select(Student.user_id, Student.email).where(Student.user_id.in_(ids)),
                  select(User.id, User.email).where(User.id.in_(ids), User.active.is_(True))):
        for user_id, email in db.session.execute(query):
            if email and user_id not in found:
                found[user_id] = email
    active = set(db.session.scalars(select(User.id).where(User.id.in_(ids),
                                                          User.active.is_(True))))
    unsubscribed = set(db.session.scalars(select(Preference.user_id).where(
        Preference.user_id.in_(ids), Preference.unsubscribed.is_(True))))
    return {user_id: found[user_id] for user_id in ids
            if user_id in found and user_id in active and user_id not in unsubscribed}


def on_announcement(event: DomainEvent) -> None:
    """``announcement.published``: one mail per recipient account, by the announcement's key."""
    if not email_on():
        return
    link = link_of(event)
    subject = (_("Мероприятие: %(title)s", title=event.title) if event.kind == "event"
               else _("Объявление: %(title)s", title=event.title))
    lines = [_("В электронном журнале опубликовано объявление «%(title)s».", title=event.title)]
    if event.when:
        lines.append(_("Когда: %(when)s", when=event.when))
    if event.place:
        lines.append(_("Где: %(place)s", place=event.place))
    lines += ["", _("Открыть (после входа в журнал): %(url)s", url=link), "",
              _("Настройки уведомлений: %(url)s", url=public_url("notify_email.preferences"))]
    text = "\n".join(lines)
    for user_id, address in addresses(event.recipient_ids).items():
        queue_mail(address, event.key, kind="announcement", user_id=user_id,
                   subject=subject, text=text)
