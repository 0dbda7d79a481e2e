"""Forms of the grading pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import DateField, IntegerField


class CorrectionForm(FlaskForm):
    lesson_id = IntegerField(_l("Урок"), validators=[InputRequired(_l("Не указан урок"))])
    student_id = IntegerField(_l("Обучающийся"),
                              validators=[InputRequired(_l("Не указан обучающийся"))])
    new_value = StringField(_l("Новое значение"), validators=[Length(max=20)],
                            description=_l("Пусто — удалить оценку; несколько оценок через «/»"))
    reason = TextAreaField(_l("Причина"), validators=[DataRequired(_l("Укажите причину")),
                                                      Length(max=1000)])


class DecisionForm(FlaskForm):
    decision = HiddenField()
    note = TextAreaField(_l("Комментарий"), validators=[Length(max=1000)])


class ReasonForm(FlaskForm):
    student_id = HiddenField()
    reason = TextAreaField(_l("Причина"), validators=[DataRequired(_l("Укажите причину")),
                                                      Length(max=1000)])


class UnlockForm(FlaskForm):
    """An unlock after finals: why, and the last day the journal stays open."""

    reason = TextAreaField(_l("Причина разблокировки"),
                           validators=[DataRequired(_l("Укажите причину")), Length(max=1000)])
    until = DateField(_l("Открыт по (включительно)"),
                      validators=[InputRequired(_l("Укажите, до какого дня журнал открыт"))])


class SetupForm(FlaskForm):
    """A journal's scale (of its discipline) and forms of certification."""

    scale = SelectField(_l("Шкала оценок дисциплины"), choices=[
        SelectChoice("five", _l("пятибалльная (5, 4, 3, 2)")),
        SelectChoice("pass_fail", _l("зачтено / не зачтено"))])
    kinds = SelectMultipleField(_l("Формы аттестации (кроме итоговой за семестр)"),
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())
