"""Writing in the forum: sections, topics, replies, edits (the previous text kept), moderation
(hiding with a reason, restoring: kept in the post's history and the audit), pinning and closing,
subscriptions and how far each person has read.

A new post raises ``forum.post.created`` with its topic's subscribers (staff, active, not the
author); the e-mail plugin mails each of them a link, once per post.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from core import audit, events, params, policy, uploads
from core.errors import Conflict, DomainError
from core.extensions import db
from core.models import utcnow
from core.people.models import RoleAssignment, User
from core.people.roles import STAFF
from plugins.forum import rights
from plugins.forum.events import ForumPostCreated
from plugins.forum.models import (
    Attachment,
    Post,
    PostRevision,
    ReadMark,
    Section,
    Subscription,
    Topic,
)

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_REASON = 500
MAX_FILES = 3
MAX_BYTES = 5 * uploads.MB
#: documents and images
KINDS = ("pdf", "docx", "xlsx", "pptx", "txt", "jpg", "jpeg", "png")


def clean_title(value: str | None) -> str:
    return " ".join(params.required_text(
        value, MAX_TITLE, _("Укажите название."),
        _("Название — не длиннее %(count)s знаков.", count=MAX_TITLE)).split())


def clean_body(value: str | None) -> str:
    return params.required_text(
        value, MAX_BODY, _("Напишите текст сообщения."),
        _("Сообщение — не длиннее %(count)s знаков.", count=MAX_BODY))


def clean_reason(value: str | None) -> str:
    return " ".join(params.required_text(
        value, MAX_REASON, _("Укажите причину."),
        _("Причина — не длиннее %(count)s знаков.", count=MAX_REASON)).split())


def check_files(files) -> list[uploads.Upload]:
    """A post's files: at most three, 5 MB each, documents and images (``core.uploads``)."""
    return uploads.check(files, max_files=MAX_FILES, max_bytes=MAX_BYTES, kinds=KINDS,
                         too_many=_("К сообщению можно приложить не больше %(count)s файлов.",
                                    count=MAX_FILES))


def _refused(reason: str) -> DomainError:
    return DomainError(reason, 403)


# --- sections and topics ------------------------------------------------------------------------


def create_section(user: User, title: str, description: str = "") -> Section:
    """A new section, by a moderator (the director or the administrator)."""
    if not rights.may_moderate(user):
        raise _refused(_("Разделы форума создают директор и администратор."))
    description = " ".join((description or "").split())
    if len(description) > 500:
        raise DomainError(_("Описание — не длиннее %(count)s знаков.", count=500))
    position = (db.session.scalar(select(Section.position).order_by(Section.position.desc())
                                  .limit(1)) or 0) + 1
    section = Section(title=clean_title(title), description=description, position=position)
    db.session.add(section)
    db.session.flush()
    audit.record("forum.section.create", section, after={"title": section.title}, actor=user)
    return section


def open_topic(user: User, section: Section, title: str, body: str, files=(),
               at: datetime | None = None) -> Topic:
    """A new topic with its first post; its author is subscribed."""
    if not rights.may_open_topics(user):
        raise _refused(_("Темы на форуме открывает директор (и те, кому это разрешено "
                         "положением колледжа)."))
    title, body = clean_title(title), clean_body(body)
    checked = check_files(files)
    at = at or utcnow()
    topic = Topic(section_id=section.id, title=title, folded_title=title.casefold(),
                  author_id=user.id, created_at=at, last_post_at=at)
    db.session.add(topic)
    db.session.flush()
    post = _add_post(user, topic, body, checked, at)
    topic.first_post_id = post.id
    audit.record("forum.topic.open", topic, after={"title": title}, actor=user)
    return topic


def _add_post(user: User, topic: Topic, body: str, checked, at: datetime) -> Post:
    post = Post(topic_id=topic.id, author_id=user.id, body=body, folded=body.casefold(),
                created_at=at)
    db.session.add(post)
    db.session.flush()
    uploads.store(Attachment, checked, at, post_id=post.id)
    topic.post_count += 1
    topic.last_post_id, topic.last_author_id, topic.last_post_at = post.id, user.id, at
    subscribe(user, topic, at)
    mark_read(user, topic, post.id)
    return post


def reply(user: User, topic: Topic, body: str, files=(), at: datetime | None = None,
          notify: bool = True) -> Post:
    """A reply in an open topic; its author is subscribed, the other subscribers told."""
    if not rights.may_see(user):
        raise _refused(_("Форум — для сотрудников колледжа."))
    if topic.closed:
        raise Conflict(_("Тема закрыта: новые сообщения в ней не пишутся."))
    body = clean_body(body)
    checked = check_files(files)
    at = at or utcnow()
    post = _add_post(user, topic, body, checked, at)
    audit.record("forum.post.create", post, actor=user)
    if notify:
        _announce(user, topic, post)
    return post


def subscriber_ids(topic: Topic, except_id: int) -> list[int]:
    """The topic's subscribers who are active staff, but ``except_id``."""
    staff = select(RoleAssignment.user_id).where(RoleAssignment.role.in_([str(r) for r in STAFF]))
    return list(db.session.scalars(
        select(Subscription.user_id).join(User, User.id == Subscription.user_id)
        .where(Subscription.topic_id == topic.id, Subscription.user_id != except_id,
               User.active.is_(True), User.id.in_(staff)).order_by(Subscription.user_id)))


def _announce(author: User, topic: Topic, post: Post) -> None:
    events.emit(ForumPostCreated(
        post_id=post.id, topic_id=topic.id, topic_title=topic.title, author_id=author.id,
        author_name=author.short_name, recipient_ids=tuple(subscriber_ids(topic, author.id)),
        endpoint="forum.post", values={"post_id": post.id}, key=f"forum-post:{post.id}"))


def _set_flag(user: User, topic: Topic, flag: str, value: bool, action: str,
              refusal: str) -> None:
    """Set the topic's ``flag`` ("pinned", "closed"), audited as ``action``; only those who
    open topics may (else ``refusal``)."""
    if not rights.may_manage_topics(user):
        raise _refused(refusal)
    if getattr(topic, flag) != value:
        audit.record(action, topic, before={flag: getattr(topic, flag)}, after={flag: value},
                     actor=user)
        setattr(topic, flag, value)


def set_pinned(user: User, topic: Topic, pinned: bool) -> None:
    _set_flag(user, topic, "pinned", pinned, "forum.topic.pin",
              _("Закреплять темы могут те, кто их открывает."))


def set_closed(user: User, topic: Topic, closed: bool) -> None:
    _set_flag(user, topic, "closed", closed, "forum.topic.close",
              _("Закрывать темы могут те, кто их открывает."))


# --- editing and moderation ---------------------------------------------------------------------


def edit(user: User, post: Post, body: str, at: datetime | None = None) -> Post:
    """The author's edit within the window (``forum.post.edit``, refused with the policy's
    reason: 409 after the window); the previous text is kept in the post's history."""
    at = at or utcnow()
    decision = policy.check("forum.post.edit", user, post, at)
    if not decision:
        raise DomainError(decision.reason, decision.status)
    body = clean_body(body)
    if body == post.body:
        return post
    db.session.add(PostRevision(post_id=post.id, kind="edit", body=post.body, actor_id=user.id,
                                at=at))
    audit.record("forum.post.edit", post, before={"body": post.body}, after={"body": body},
                 actor=user)
    post.body, post.folded, post.edited_at = body, body.casefold(), at
    return post


def hide(user: User, post: Post, reason: str, at: datetime | None = None) -> None:
    """A moderator hides a post: staff see «Сообщение скрыто модератором: причина»."""
    if not rights.may_moderate(user):
        raise _refused(_("Скрывать сообщения могут директор и администратор."))
    reason = clean_reason(reason)
    if post.hidden:
        raise Conflict(_("Сообщение уже скрыто."))
    at = at or utcnow()
    db.session.add(PostRevision(post_id=post.id, kind="hide", reason=reason, actor_id=user.id,
                                at=at))
    audit.record("forum.post.hide", post, after={"hidden": True}, note=reason, actor=user)
    post.hidden, post.hidden_reason, post.hidden_by_id, post.hidden_at = True, reason, user.id, at


def restore(user: User, post: Post, reason: str = "", at: datetime | None = None) -> None:
    """A moderator shows a hidden post again; the hiding stays in its history."""
    if not rights.may_moderate(user):
        raise _refused(_("Возвращать сообщения могут директор и администратор."))
    if not post.hidden:
        raise Conflict(_("Сообщение не скрыто."))
    reason = " ".join((reason or "").split())[:MAX_REASON]
    at = at or utcnow()
    db.session.add(PostRevision(post_id=post.id, kind="restore", reason=reason,
                                actor_id=user.id, at=at))
    audit.record("forum.post.restore", post, before={"hidden": True, "reason": post.hidden_reason},
                 after={"hidden": False}, note=reason or None, actor=user)
    post.hidden, post.hidden_reason, post.hidden_by_id, post.hidden_at = False, "", None, None


# --- subscriptions and reading ------------------------------------------------------------------


def _insert_ignoring_duplicates(model, values: dict) -> None:
    """Insert a row unless it is there (two tabs at once)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


def is_subscribed(user: User, topic: Topic) -> bool:
    return db.session.get(Subscription, (topic.id, user.id)) is not None


def subscribe(user: User, topic: Topic, at: datetime | None = None) -> None:
    _insert_ignoring_duplicates(Subscription, {"topic_id": topic.id, "user_id": user.id,
                                               "created_at": at or utcnow()})


def unsubscribe(user: User, topic: Topic) -> None:
    found = db.session.get(Subscription, (topic.id, user.id))
    if found is not None:
        db.session.delete(found)


def mark_read(user: User, topic: Topic, post_id: int | None) -> None:
    """Move the user's marker in ``topic`` up to ``post_id`` (never back)."""
    if not post_id:
        return
    _insert_ignoring_duplicates(ReadMark, {"topic_id": topic.id, "user_id": user.id,
                                           "last_post_id": 0})
    db.session.execute(update(ReadMark).where(
        ReadMark.topic_id == topic.id, ReadMark.user_id == user.id,
        ReadMark.last_post_id < post_id).values(last_post_id=post_id)
        .execution_options(synchronize_session=False))
