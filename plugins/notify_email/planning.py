"""Mail of the КТП (the planning plugin's ``planning.plan.changed`` and
``planning.plan.reminder``): the teacher learns that their plan was approved or returned (with
the comment) and is reminded before the deadline; each once, by the event's key."""

from __future__ import annotations

from flask_babel import gettext as _

from core.events import DomainEvent
from plugins.notify_email.services import email_on, link_of, queue_mail, recipients


def on_plan_changed(event: DomainEvent) -> None:
    if not email_on():
        return
    link = link_of(event)
    comment = _("\n\nКомментарий: %(comment)s", comment=event.comment) if event.comment else ""
    for user_id, address in recipients(event):
        queue_mail(address, event.key, kind="planning", user_id=user_id,
                   subject=_("КТП «%(journal)s»: %(state)s", journal=event.journal_title,
                             state=event.state_title.lower()),
                   text=_("%(actor)s: календарно-тематический план «%(journal)s» — "
                          "%(state)s.%(comment)s\n\nОткрыть план: %(url)s",
                          actor=event.actor_name, journal=event.journal_title,
                          state=event.state_title.lower(), comment=comment, url=link))


def on_plan_reminder(event: DomainEvent) -> None:
    if not email_on():
        return
    link = link_of(event)
    due = event.deadline.strftime("%d.%m.%Y")
    for user_id, address in recipients(event):
        queue_mail(address, event.key, kind="reminder", user_id=user_id,
                   subject=_("Сдайте КТП до %(date)s: %(journal)s", date=due,
                             journal=event.journal_title),
                   text=_("Календарно-тематический план «%(journal)s» не отправлен на "
                          "утверждение; срок — %(date)s включительно.\n\nОткрыть план: "
                          "%(url)s", journal=event.journal_title, date=due, url=link))
