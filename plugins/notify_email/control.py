"""Mail of the control of the journal (the control plugin's events, matched by name): a signed
check to the director and to the teachers and curators its remarks concern (a link to it, never
its text), and each teacher's weekly list of their own open gaps (their own journals only)."""

from __future__ import annotations

from flask_babel import gettext as _

from core.events import DomainEvent
from plugins.notify_email.services import link_of, queue_mail, recipients


def on_check_signed(event: DomainEvent) -> None:
    """``control.check.signed``: one mail per recipient, by the check's key."""
    link = link_of(event)
    for user_id, address in recipients(event):
        queue_mail(address, event.key, kind="control", user_id=user_id,
                   subject=_("Справка по итогам проверки: %(title)s", title=event.title),
                   text=_("%(checker)s подписал(а) проверку ведения электронного журнала "
                          "«%(title)s».\n\nОткрыть справку и замечания (после входа в журнал): "
                          "%(url)s", checker=event.checker_name, title=event.title, url=link))


def on_open_gaps(event: DomainEvent) -> None:
    """``control.gaps.weekly``: the teacher's open gaps, once a week."""
    link = link_of(event)
    lines = "\n".join(f"— {line}" for line in event.lines)
    for user_id, address in recipients(event):
        queue_mail(address, event.key, kind="control", user_id=user_id,
                   subject=_("Незаполненное в журнале за %(period)s", period=event.period),
                   text=_("В ваших журналах за %(period)s не заполнено:\n%(lines)s\n\n"
                          "Журнал: %(url)s", period=event.period, lines=lines, url=link))
