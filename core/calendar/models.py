"""The academic calendar: years, terms and holidays."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db


class AcademicYear(db.Model):
    __tablename__ = "core_academic_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(20), unique=True)  # «2025/2026»
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    is_current: Mapped[bool] = mapped_column(default=False)
    #: the working mode (BTT 4.1.1): a five- or six-day week (Monday to Friday or Saturday);
    #: None while the mode is not set (a year from before it was kept: every weekday counts)
    week_days: Mapped[int | None]
    #: the timetable alternates числитель (week A, the one the year starts in) and знаменатель
    alternating_weeks: Mapped[bool] = mapped_column(default=False, server_default=false())

    terms: Mapped[list[Term]] = relationship(
        back_populates="year", order_by="Term.number", cascade="all, delete-orphan"
    )
    holidays: Mapped[list[Holiday]] = relationship(
        back_populates="year", order_by="Holiday.starts_on", cascade="all, delete-orphan"
    )

    bells: Mapped[list[Bell]] = relationship(
        back_populates="year", order_by="(Bell.short, Bell.pair_number)",
        cascade="all, delete-orphan")
    short_days: Mapped[list[ShortDay]] = relationship(
        back_populates="year", order_by="ShortDay.on_date", cascade="all, delete-orphan")

    # week_days is 5, 6 or None, checked by ``core.calendar.mode.save_mode`` (a CHECK here would
    # make SQLite rebuild the referenced table in the migration)
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


class Bell(db.Model):
    """A pair's time in the year's bell schedule: the main one, or the shortened one
    (``short``) that the year's shortened days follow."""

    __tablename__ = "core_bell"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("core_academic_year.id"), index=True)
    short: Mapped[bool] = mapped_column(default=False)
    pair_number: Mapped[int]
    starts_at: Mapped[time]
    ends_at: Mapped[time]

    year: Mapped[AcademicYear] = relationship(back_populates="bells")

    __table_args__ = (
        UniqueConstraint("year_id", "short", "pair_number"),
        CheckConstraint("starts_at < ends_at", name="times"),
        CheckConstraint("pair_number BETWEEN 1 AND 8", name="pair"),
    )


class ShortDay(db.Model):
    """A date of the year on which the shortened bell schedule applies (a pre-holiday day)."""

    __tablename__ = "core_short_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("core_academic_year.id"), index=True)
    on_date: Mapped[date]
    title: Mapped[str] = mapped_column(String(120), default="")

    year: Mapped[AcademicYear] = relationship(back_populates="short_days")

    __table_args__ = (UniqueConstraint("year_id", "on_date"),)
