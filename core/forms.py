"""Helpers for views that change something through a form, and the bounded fields every form
uses for numbers and dates (a value the database or the calendar cannot hold is a form error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import wtforms
from flask import flash
from flask_babel import gettext as _
from wtforms.validators import DataRequired, Length

from core.errors import DomainError, NotFound
from core.extensions import db
from core.params import CALENDAR_MESSAGE, in_calendar

#: PostgreSQL's ``integer``, the type of every column a form's number is stored in
MAX_INT = 2**31 - 1

T = TypeVar("T")


def attempt(change: Callable[[], T], field: Any = None, *,
            outside_is_404: bool = False) -> tuple[bool, T | None]:
    """Run ``change`` and commit it: ``(True, its result)``. A refusal (``DomainError``) rolls
    back everything and puts its Russian reason on the form ``field`` (flashed when there is no
    field): ``(False, None)``. Nothing is half-saved either way.

    ``outside_is_404``: a ``NotFound`` (an object outside the user's scope) is raised again after
    the rollback, so it is answered 404 instead of a message that would tell the object exists.
    """
    try:
        result = change()
    except DomainError as exc:
        db.session.rollback()
        if outside_is_404 and isinstance(exc, NotFound):
            raise
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            flash(exc.message, "danger")
        return False, None
    db.session.commit()
    return True, result


def page_status(*forms: Any) -> int:
    """422 when a posted form was refused (so that clients and tests see it), else 200."""
    return 422 if any(form is not None and form.errors for form in forms) else 200


def text_field(label: Any, max_length: int, empty: Any, too_long: Any, *, area: bool = False,
               description: Any = "") -> wtforms.Field:
    """A required text input (a text area when ``area``) of at most ``max_length`` characters,
    with the form's messages when empty (``empty``) or too long (``too_long``, ``%(max)d``)."""
    kind = wtforms.TextAreaField if area else wtforms.StringField
    return kind(label, description=description, validators=[
        DataRequired(message=empty),
        Length(max=max_length, message=too_long)])


class IntegerField(wtforms.IntegerField):
    """WTForms' ``IntegerField``, refusing a number beyond the database's ``integer``."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not -MAX_INT <= self.data <= MAX_INT:
            self.data = None
            raise ValueError(_("Слишком большое число"))


class DateField(wtforms.DateField):
    """WTForms' ``DateField``, refusing a date outside 1900–2200 (``core.params``)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            try:
                in_calendar(self.data)
            except ValueError:
                self.data = None
                raise ValueError(str(CALENDAR_MESSAGE)) from None


class TimeField(wtforms.TimeField):
    """WTForms' ``TimeField`` (an ``<input type="time">``), accepting «08:30» or «08:30:00»,
    with a Russian message for anything else."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Время — часы и минуты, например 08:30")) from None
