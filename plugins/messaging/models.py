"""Conversations, their messages, who read which message when, attachments and letters to many.

A conversation (``Thread``) is between its participants; one addressed to a role
(``to_role = "administration"``) is read and answered by whoever holds the role, and the first of
them to answer joins it (``taken_by_id``). A letter to many is one ``Letter`` and a conversation
per recipient, so that each answers privately. Nothing is ever deleted here: messages are kept for
the archive's retention.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.uploads import StoredFile


class Letter(db.Model):
    """A letter to the parents (or students) of a group, a course or the whole college."""

    __tablename__ = "messaging_letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: "parents" or "students"
    audience: Mapped[str] = mapped_column(String(10))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("core_group.id"))
    #: a course of the whole college (with no group); neither: the whole college
    course: Mapped[int | None]
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Thread(db.Model):
    __tablename__ = "messaging_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    #: written to a role as a whole ("administration"), not to a person
    to_role: Mapped[str | None] = mapped_column(String(20), index=True)
    #: the role's member who answered first and now keeps the conversation
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_letter.id"), index=True)
    message_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Participant(db.Model):
    __tablename__ = "messaging_participant"

    thread_id: Mapped[int] = mapped_column(ForeignKey("messaging_thread.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), primary_key=True, index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Message(db.Model):
    """A message; a family's one that waits for staff (the answer rule, BTT 3.8) keeps its
    deadline and how it was answered."""

    __tablename__ = "messaging_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("messaging_thread.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    #: subject and body case-folded, for search (SQLite's LIKE folds only Latin letters)
    folded: Mapped[str] = mapped_column(Text, default="")
    #: a copy of a letter to many: the letter's attachments are its own
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_letter.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    awaits_answer: Mapped[bool] = mapped_column(default=False)
    #: the last day of the answer (the policy's ``messaging.answer_days``); none without a rule
    due_on: Mapped[date | None]
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    #: "reply", or "not_needed" (staff closed it without a reply)
    answer_kind: Mapped[str] = mapped_column(String(10), default="")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_messaging_message_waiting", "awaits_answer", "answered_at"),)


class Receipt(db.Model):
    """Who read a message, when (the first time)."""

    __tablename__ = "messaging_receipt"

    message_id: Mapped[int] = mapped_column(ForeignKey("messaging_message.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attachment(StoredFile, db.Model):
    """A file of a message (or of a letter, shared by its copies), kept in the database like the
    reports' files, so that any server behind the balancer hands it out."""

    __tablename__ = "messaging_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_message.id"),
                                                   index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("messaging_letter.id"), index=True)
