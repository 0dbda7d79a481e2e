"""Forms of the grading pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
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


class FlagForm(FlaskForm):
    """A student's or parent's report that a mark is wrong (BTT 4.3.2)."""

    comment = TextAreaField(_l("Что не так с оценкой"), validators=[
        DataRequired(_l("Напишите, что не так с оценкой")),
        Length(max=1000, message=_l("Не больше 1000 символов"))],
        render_kw={"maxlength": 1000, "rows": 4})


class FlagAnswerForm(FlaskForm):
    """The answer to a flag: keep the mark with a comment, or correct it with a reason."""

    answer = RadioField(_l("Ответ"), choices=[
        SelectChoice("kept", _l("Оценка верна: оставить её")),
        SelectChoice("corrected", _l("Оценка ошибочна: исправить"))],
        validators=[InputRequired(_l("Выберите ответ"))])
    new_value = StringField(_l("Новое значение ячейки"), validators=[Length(max=20)],
                            description=_l("Для исправления: пусто — удалить оценку; несколько "
                                           "оценок через «/»"))
    comment = TextAreaField(_l("Комментарий или причина исправления"), validators=[
        DataRequired(_l("Напишите комментарий или причину исправления")),
        Length(max=1000, message=_l("Не больше 1000 символов"))],
        render_kw={"maxlength": 1000, "rows": 3})
