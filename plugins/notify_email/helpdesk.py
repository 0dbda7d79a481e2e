"""Mail of requests to the administration (the helpdesk's ``helpdesk.request.changed``): the
author learns the new status of their request, with a link to it, never the answer's text."""

from __future__ import annotations

from flask_babel import gettext as _

from core.events import DomainEvent
from plugins.notify_email.services import (
    email_on,
    link_of,
    preference,
    queue_mail,
    recipients,
)


def on_request_changed(event: DomainEvent) -> None:
    """``helpdesk.request.changed``: one mail to the author per step, by the step's key."""
    if not email_on():
        return
    link = link_of(event)
    for user_id, address in recipients(event):
        if preference(user_id).unsubscribed:
            continue
        queue_mail(address, event.key, kind="helpdesk", user_id=user_id,
                   subject=_("Обращение №%(number)s: %(status)s", number=event.number,
                             status=event.status_title),
                   text=_("Администрация изменила статус вашего обращения №%(number)s "
                          "«%(subject)s»: %(status)s.\n\nОткрыть обращение (после входа в "
                          "журнал): %(url)s", number=event.number, subject=event.subject,
                          status=event.status_title, url=link))
