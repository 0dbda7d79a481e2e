"""The academic calendar: years, terms and holidays."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db


class AcademicYear(db.Model):
    __tablename__ = "core_academic_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(20), unique=True)  # «2025/2026»
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    is_current: Mapped[bool] = mapped_column(default=False)

    terms: Mapped[list[Term]] = relationship(
        back_populates="year", order_by="Term.number", cascade="all, delete-orphan"
    )
    holidays: Mapped[list[Holiday]] = relationship(
        back_populates="year", order_by="Holiday.starts_on", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("starts_on < ends_on", name="dates"),)

    def __repr__(self) -> str:
        return f"<AcademicYear {self.title}>"


class Term(db.Model):
    """A certification period: a semester of the academic year."""

    __tablename__ = "core_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("core_academic_year.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    year: Mapped[AcademicYear] = relationship(back_populates="terms")

    __table_args__ = (
        UniqueConstraint("year_id", "number"),
        CheckConstraint("starts_on < ends_on", name="dates"),
    )

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Holiday(db.Model):
    __tablename__ = "core_holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("core_academic_year.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    year: Mapped[AcademicYear] = relationship(back_populates="holidays")
