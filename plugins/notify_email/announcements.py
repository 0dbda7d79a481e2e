"""Mail of a published announcement (the announcements plugin's ``announcement.published``):
one mail per recipient account with an address, by the announcement's key, with its title and a
link that opens it after sign-in; never its text, which stays in the journal. Addresses are read
for all recipients at once (a college-wide announcement reaches hundreds)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.events import DomainEvent
from core.extensions import db
from plugins.notify_email.models import Preference
from plugins.notify_email.services import (
    addresses_of,
    email_on,
    link_of,
    public_url,
    queue_mail,
)


def addresses(user_ids) -> dict[int, str]:
    """Where mail to each active account that has not unsubscribed goes
    (``services.addresses_of``), in four queries whatever their number."""
    found = addresses_of(user_ids)
    unsubscribed = set(db.session.scalars(select(Preference.user_id).where(
        Preference.user_id.in_(list(found)), Preference.unsubscribed.is_(True))))
    return {user_id: address for user_id, address in found.items()
            if user_id not in unsubscribed}


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
