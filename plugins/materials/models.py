"""A material of a teaching load (or of one of its lessons) and its files.

Nothing is deleted: a removed material keeps its row (``deleted_at``, ``deleted_by_id``) and an
audit entry, and is no longer shown or served. A load deleted as entered by mistake takes its
materials with it (``ON DELETE CASCADE``: the journal does not know this plugin).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import UTCDateTime, utcnow
from core.uploads import StoredFile

#: the kinds of material (BTT 4.4.2), in the order the pages list them
KINDS = {
    "guidelines": _l("Методические рекомендации"),
    "tasks": _l("Задания"),
    "literature": _l("Литература"),
}


class Material(db.Model):
    __tablename__ = "materials_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(
        ForeignKey("journal_teaching_load.id", ondelete="CASCADE"), index=True)
    #: the lesson it belongs to; none: the whole discipline's
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("journal_lesson.id"), index=True)
    #: a ``KINDS`` key
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown, shown through ``core.markup.render``
    description: Mapped[str] = mapped_column(Text, default="")
    #: an http(s) address, for a material that is a link rather than files
    url: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    files: Mapped[list[MaterialFile]] = relationship(
        back_populates="material", order_by="MaterialFile.id", lazy="raise")

    @property
    def kind_title(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


class MaterialFile(StoredFile, db.Model):
    """A file of a material, kept in the database like the messages' attachments, so that any
    server behind the balancer hands it out."""

    __tablename__ = "materials_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        ForeignKey("materials_material.id", ondelete="CASCADE"), index=True)

    material: Mapped[Material] = relationship(back_populates="files", lazy="raise")

    @property
    def size_text(self) -> str:
        """«340 КБ», «2,5 МБ»."""
        if self.size < 1024 * 1024:
            return str(_l("%(size)s КБ", size=max(1, round(self.size / 1024))))
        return str(_l("%(size)s МБ", size=f"{self.size / 1024 / 1024:.1f}".replace(".", ",")))
