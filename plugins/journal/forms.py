"""Forms of the journal's pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from plugins.journal.models import WORK_TYPES
from plugins.journal.services import MAX_TEXT


class LessonForm(FlaskForm):
    """A lesson's record: what the teacher writes on the day (REQUIREMENTS J3)."""

    date = DateField(_l("Дата"), validators=[InputRequired(_l("Укажите дату занятия"))])
    pair_number = IntegerField(_l("Пара"), validators=[
        InputRequired(_l("Укажите номер пары")),
        NumberRange(1, 8, _l("Номер пары — от 1 до 8"))])
    hours = SelectField(_l("Академических часов"), coerce=int,
                        choices=[SelectChoice(2, "2"), SelectChoice(1, "1")])
    work_type = SelectField(_l("Вид работы"), choices=[SelectChoice(key, title) for key, title in WORK_TYPES.items()])
    topic = TextAreaField(_l("Тема"), validators=[DataRequired(_l("Запишите тему занятия")),
                                                 Length(max=MAX_TEXT)])
    homework = TextAreaField(_l("Домашнее задание / самостоятельная работа"),
                             validators=[Length(max=MAX_TEXT)])
    homework_due = DateField(_l("Срок выполнения"), validators=[Optional()])
    version = HiddenField()
