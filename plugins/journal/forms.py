"""Forms of the journal's pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import DateField, IntegerField
from core.params import to_id
from plugins.journal.models import DISCIPLINE_KINDS, WORK_KINDS, WORK_TYPES
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
    tasks_done = TextAreaField(_l("Выполненные задания"), validators=[Length(max=MAX_TEXT)],
                               description=_l("Что выполнено на занятии и какого типа задания "
                                              "(например, «упражнения 1–5, тест по теме»)"))
    homework = TextAreaField(_l("Домашнее задание / самостоятельная работа"),
                             validators=[Length(max=MAX_TEXT)])
    homework_due = DateField(_l("Срок выполнения"), validators=[Optional()])
    version = HiddenField()
    #: asked only when the administrator corrects a lesson past its edit window
    correction_reason = TextAreaField(_l("Причина исправления"), validators=[Length(max=1000)])


# --- planning (administration) -------------------------------------------------------------------


def _work_kinds_field(label) -> SelectMultipleField:
    """Checkboxes of the kinds of work; an unknown posted kind is refused by the planning service
    with a Russian reason (not WTForms' English "not a valid choice")."""
    return SelectMultipleField(label, choices=[SelectChoice(k, v) for k, v in WORK_KINDS.items()],
                               validate_choice=False, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput(), validators=[_known_work_kinds])


def _known_work_kinds(form, field) -> None:
    unknown = sorted(set(field.data or []) - set(WORK_KINDS))
    if unknown:
        raise ValidationError(_l("Неизвестный вид работ «%(kind)s»", kind=unknown[0]))


class DisciplineForm(FlaskForm):
    code = StringField(_l("Индекс"), validators=[DataRequired(_l("Укажите индекс («ОП.01»)")),
                                                 Length(max=30)])
    name = StringField(_l("Название"), validators=[DataRequired(_l("Укажите название")),
                                                   Length(max=200)])
    short_name = StringField(_l("Краткое название"), validators=[Length(max=60)])
    kind = SelectField(_l("Вид"), choices=[SelectChoice(k, v) for k, v in DISCIPLINE_KINDS.items()])
    parent_id = SelectField(_l("Профессиональный модуль (для МДК, УП, ПП)"), coerce=to_id)
    commission_id = SelectField(_l("Предметно-цикловая комиссия"), coerce=to_id)
    work_kinds = _work_kinds_field(_l("Виды работ (по умолчанию для нагрузки)"))


class CurriculumForm(FlaskForm):
    group_id = SelectField(_l("Группа"), coerce=to_id)
    term_id = SelectField(_l("Семестр"), coerce=to_id)
    hours = IntegerField(_l("Часов по учебному плану"), validators=[
        InputRequired(_l("Укажите число часов")), NumberRange(0, 2000, _l("От 0 до 2000"))])


class LoadForm(FlaskForm):
    teacher_id = SelectField(_l("Преподаватель"), coerce=to_id)
    group_id = SelectField(_l("Группа"), coerce=to_id)
    subgroup_id = SelectField(_l("Подгруппа"), coerce=to_id)
    discipline_id = SelectField(_l("Дисциплина"), coerce=to_id)
    term_id = SelectField(_l("Семестр"), coerce=to_id)
    hours_per_week = IntegerField(_l("Часов в неделю"), validators=[
        InputRequired(_l("Укажите часы в неделю")), NumberRange(1, 40, _l("От 1 до 40"))])
    hours_total = IntegerField(_l("Часов всего"), validators=[
        InputRequired(_l("Укажите часы всего")), NumberRange(1, 2000, _l("От 1 до 2000"))])
    kinds_from_discipline = BooleanField(_l("Виды работ — как у дисциплины"))
    work_kinds = _work_kinds_field(_l("Виды работ в этом журнале"))


class SlotForm(FlaskForm):
    weekday = SelectField(_l("День недели"), coerce=int)
    pair_number = IntegerField(_l("Пара"), validators=[
        InputRequired(_l("Укажите номер пары")), NumberRange(1, 8, _l("Номер пары — от 1 до 8"))])
    hours = SelectField(_l("Академических часов"), coerce=int,
                        choices=[SelectChoice(2, "2"), SelectChoice(1, "1")])
    valid_from = DateField(_l("Действует с"), validators=[InputRequired(_l("Укажите дату"))])
    valid_to = DateField(_l("по"), validators=[Optional()])
    #: where the year alternates weeks (BTT 4.1.1): every week, числитель or знаменатель
    week = SelectField(_l("Неделя"), choices=[SelectChoice("", _l("каждая")),
                                              SelectChoice("A", _l("числитель")),
                                              SelectChoice("B", _l("знаменатель"))],
                       validators=[Optional()])


class EndSlotForm(FlaskForm):
    last_day = DateField(_l("Последний день"), validators=[InputRequired(_l("Укажите дату"))])


class ChangeForm(FlaskForm):
    slot_id = SelectField(_l("Занятие по расписанию"), coerce=to_id)
    on_date = DateField(_l("Дата"), validators=[InputRequired(_l("Укажите дату"))])
    action = SelectField(_l("Изменение"), choices=[SelectChoice("cancel", _l("Отменить")),
                                                   SelectChoice("move", _l("Перенести"))])
    moved_to_date = DateField(_l("Перенести на дату"), validators=[Optional()])
    moved_to_pair = IntegerField(_l("Пара"), validators=[Optional(), NumberRange(
        1, 8, _l("Номер пары — от 1 до 8"))])
    reason = StringField(_l("Причина"), validators=[DataRequired(_l("Укажите причину")),
                                                    Length(max=300)])
