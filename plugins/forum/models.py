"""Sections, topics, posts, the history of each post (edits, hiding, restoring), attachments,
subscriptions and how far each person has read each topic.

Nothing is deleted: an edit keeps the previous text as a ``PostRevision``, and a moderator hides
a post (with a reason) rather than removing it. A topic keeps its counts and its last post
(``post_count``, ``last_post_id``) so that a list of topics is one query.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.uploads import StoredFile


class Section(db.Model):
    __tablename__ = "forum_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Topic(db.Model):
    __tablename__ = "forum_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("forum_section.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: the title case-folded, for search (SQLite's LIKE folds only Latin letters)
    folded_title: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    pinned: Mapped[bool] = mapped_column(default=False)
    closed: Mapped[bool] = mapped_column(default=False)
    post_count: Mapped[int] = mapped_column(default=0)
    first_post_id: Mapped[int | None]
    last_post_id: Mapped[int | None]
    last_author_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_forum_topic_listing", "section_id", "pinned", "last_post_at"),)


class Post(db.Model):
    __tablename__ = "forum_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topic.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    #: the text case-folded, for search
    folded: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the last edit by its author (the «изменено» marker)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden: Mapped[bool] = mapped_column(default=False)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PostRevision(db.Model):
    """One change of a post: ``kind`` "edit" keeps the text before the edit; "hide" and
    "restore" keep the moderator's reason."""

    __tablename__ = "forum_post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attachment(StoredFile, db.Model):
    """A file of a post, kept in the database (any server behind the balancer hands it out)."""

    __tablename__ = "forum_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id"), index=True)


class Subscription(db.Model):
    """Who is mailed a topic's new posts (its author and those who replied, automatically)."""

    __tablename__ = "forum_subscription"

    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topic.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReadMark(db.Model):
    """How far a person has read a topic: the last post they have seen."""

    __tablename__ = "forum_read"

    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topic.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), primary_key=True, index=True)
    last_post_id: Mapped[int] = mapped_column(default=0)
