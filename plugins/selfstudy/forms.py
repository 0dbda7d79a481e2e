"""The forms of self-study: a task (the teacher), a hand-in (the student), a mark (the
teacher). The services check everything again (a forged lesson or student is a 404 there)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from core.forms import DateField
from plugins.selfstudy import files, services
from plugins.selfstudy.models import CONSULTATIONS

FILES_HELP = _l("До 3 файлов по 10 МБ: PDF, DOCX, PPTX, XLSX, JPEG, PNG или TXT.")


class TaskForm(FlaskForm):
    lesson = SelectField(_l("Занятие"), choices=[], validate_choice=False)
    title = StringField(_l("Задание"), validators=[
        DataRequired(message=_l("Укажите, что задано.")),
        Length(max=services.MAX_TITLE, message=_l("Задание — не длиннее %(max)d знаков."))])
    description = TextAreaField(
        _l("Описание"), description=_l("Необязательно: порядок выполнения, требования к "
                                       "ответу (Markdown)."),
        validators=[Length(max=services.MAX_DESCRIPTION,
                           message=_l("Описание — не длиннее %(max)d знаков."))])
    due_on = DateField(_l("Срок сдачи"), validators=[
        DataRequired(message=_l("Укажите срок сдачи."))])
    individual = BooleanField(_l("Индивидуальное задание (только выбранным обучающимся)"))
    students = SelectMultipleField(_l("Обучающиеся"), choices=[], coerce=int,
                                   validate_choice=False)
    consultation = SelectField(_l("Консультация"), choices=[])
    consultation_day = DateField(_l("День консультации"), validators=[Optional()])
    consultation_time = TimeField(_l("Время консультации"), validators=[Optional()])
    consultation_place = StringField(
        _l("Ссылка или аудитория"),
        description=_l("Для дистанционной — ссылка (http:// или https://), для очной — "
                       "аудитория."),
        validators=[Length(max=services.MAX_PLACE,
                           message=_l("Место или ссылка — не длиннее %(max)d знаков."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation.choices = [("", _l("не назначена"))] + [
            (key, title) for key, title in CONSULTATIONS.items()]


class HandInForm(FlaskForm):
    text = TextAreaField(_l("Ответ"), description=_l("Необязательно, до %(max)s знаков.",
                                                     max=files.MAX_TEXT))
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)


class MarkForm(FlaskForm):
    value = StringField(_l("Оценка"), validators=[DataRequired(message=_l("Укажите оценку."))])
    lesson = SelectField(_l("В клетку занятия"), choices=[], validate_choice=False)
    mark_type = SelectField(_l("Вид оценки"), choices=[], description=_l(
        "На занятии, вид работы которого задаёт вид оценки (контрольная, лабораторная), "
        "оценка получит его."))
