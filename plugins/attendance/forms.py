"""Forms of the attendance pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from core.forms import DateField, IntegerField
from core.params import to_id
from plugins.attendance.rules import REASONS

REASON_CHOICES = [SelectChoice(key, title) for key, title in REASONS.items()]
# a family reports why a child was away; calling the reason «неуважительная» is the college's
FAMILY_REASON_CHOICES = [choice for choice in REASON_CHOICES if choice.value != "invalid"]


class ReasonForm(FlaskForm):
    """The curator's reason over a date range (a sick note covers every lesson in it)."""

    student_id = SelectField(_l("Обучающийся"), coerce=to_id)
    date_from = DateField(_l("С"), validators=[InputRequired(_l("Укажите дату начала"))])
    date_to = DateField(_l("По"), validators=[InputRequired(_l("Укажите дату окончания"))])
    reason = SelectField(_l("Причина"), choices=REASON_CHOICES)
    document = StringField(_l("Документ (номер и даты справки)"), validators=[Length(max=200)])
    comment = StringField(_l("Комментарий"), validators=[Length(max=1000)])


class ReportForm(FlaskForm):
    """A parent's report of the reason of an absence."""

    date_from = DateField(_l("С"), validators=[InputRequired(_l("Укажите дату начала"))])
    date_to = DateField(_l("По"), validators=[InputRequired(_l("Укажите дату окончания"))])
    reason = SelectField(_l("Причина"), choices=FAMILY_REASON_CHOICES)
    comment = TextAreaField(_l("Что случилось"), validators=[
        DataRequired(_l("Опишите причину пропуска")), Length(max=1000)])


class CorrectionForm(FlaskForm):
    """A correction of a past lesson's attendance mark, with its reason (filed by whoever could
    write the cell on the day)."""

    lesson_id = IntegerField(_l("Занятие"), validators=[InputRequired(_l("Не указано занятие"))])
    student_id = IntegerField(_l("Обучающийся"),
                              validators=[InputRequired(_l("Не указан обучающийся"))])
    value = StringField(_l("Отметка"), validators=[Length(max=10)],
                        description=_l("«н» — отсутствовал всё занятие, «н1» — 1 час, «оп10» — "
                                       "опоздал на 10 минут; пусто — присутствовал"))
    reason = TextAreaField(_l("Причина исправления"), validators=[
        DataRequired(_l("Укажите причину")), Length(max=300)])


class DecisionForm(FlaskForm):
    decision = HiddenField()
    comment = StringField(_l("Комментарий для родителя"), validators=[Length(max=1000)])


class CorrectionDecisionForm(FlaskForm):
    """A decider's approval or rejection of a correction (a rejection needs a note)."""

    decision = HiddenField()
    note = StringField(_l("Комментарий"), validators=[Length(max=1000)])
