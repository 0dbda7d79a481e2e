"""What a specialty's final attestation draws on: its demonstration exam and its ВКР, each tied
to the disciplines (ПМ, МДК, practices) whose results — finals, qualification exams, course
works — forecast each student's readiness (BTT 2.9, KTIS 2.9)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models import UTCDateTime, utcnow

DEMO_EXAM, THESIS = "demo_exam", "thesis"
#: the parts of the state final attestation (ГИА) of СПО
ATTESTATIONS = {
    DEMO_EXAM: _l("Демонстрационный экзамен"),
    THESIS: _l("Выпускная квалификационная работа (ВКР)"),
}


class AttestationTie(db.Model):
    """A discipline (``journal_discipline``) the demonstration exam or the ВКР of a specialty
    draws on; a ПМ brings its МДК and practices with it."""

    __tablename__ = "forecast_attestation_tie"

    id: Mapped[int] = mapped_column(primary_key=True)
    specialty_id: Mapped[int] = mapped_column(ForeignKey("core_specialty.id"), index=True)
    #: ``ATTESTATIONS`` key
    attestation: Mapped[str] = mapped_column(db.String(20))
    discipline_id: Mapped[int] = mapped_column(ForeignKey("journal_discipline.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("specialty_id", "attestation", "discipline_id"),)
