"""The register of substitutions (журнал учёта замещений)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow


class Substitution(db.Model):
    """Teacher ``absent_id`` is replaced from ``date_from`` to ``date_to`` in the lessons of their
    timetable (one load or all; some pairs or all). Kinds: "replacement" (the substitute fills
    the absent teacher's journal), "other_discipline" (the substitute teaches their own
    discipline in the slot), "merged" (the group joins another group's lesson), "cancelled"
    (the lessons are not held, perhaps moved). A withdrawn record keeps its row."""

    __tablename__ = "substitutions_substitution"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    absent_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    load_id: Mapped[int | None] = mapped_column(ForeignKey("journal_teaching_load.id"))
    pairs: Mapped[str] = mapped_column(String(20), default="")  # "1,3"; "" for every pair
    date_from: Mapped[date]
    date_to: Mapped[date]
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def pair_numbers(self) -> set[int]:
        return {int(p) for p in self.pairs.split(",") if p.strip().isdigit()}
