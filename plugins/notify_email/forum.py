"""Mail of the staff forum: a new post in a topic reaches each of its subscribers once (the
post's key), with a link to the post, never its text."""

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


def on_forum_post(event: DomainEvent) -> None:
    """``forum.post.created``: one mail per subscriber (the forum leaves out the author)."""
    if not email_on():
        return
    link = link_of(event)
    for user_id, address in recipients(event):
        if user_id == event.author_id or preference(user_id).unsubscribed:
            continue
        queue_mail(address, event.key, kind="forum", user_id=user_id,
                   subject=_("Форум: новое сообщение в теме «%(topic)s»",
                             topic=event.topic_title),
                   text=_("%(author)s ответил(а) в теме «%(topic)s» на форуме сотрудников.\n\n"
                          "Открыть сообщение (после входа в журнал): %(url)s\n\n"
                          "Письма приходят, пока вы подписаны на тему; отписаться можно на её "
                          "странице.", author=event.author_name,
                          topic=event.topic_title, url=link))
