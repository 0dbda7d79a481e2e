"""Mail of the early warning (the forecast plugin's event, matched by name): each curator's
weekly list of their group's students at risk, with a link to the page."""

from __future__ import annotations

from flask_babel import gettext as _

from core.events import DomainEvent
from plugins.notify_email.services import link_of, queue_mail, recipients


def on_weekly_warnings(event: DomainEvent) -> None:
    """``forecast.warnings.weekly``: the curator's list, once a week."""
    link = link_of(event)
    lines = "\n".join(f"— {line}" for line in event.lines)
    for user_id, address in recipients(event):
        queue_mail(address, event.key, kind="forecast", user_id=user_id,
                   subject=_("Группа %(group)s: обучающиеся в зоне риска на %(day)s",
                             group=event.group, day=event.day),
                   text=_("В группе %(group)s на %(day)s в зоне риска:\n%(lines)s\n\n"
                          "Раннее предупреждение (после входа в журнал): %(url)s",
                          group=event.group, day=event.day, lines=lines, url=link))
