"""Forms of the people pages: contacts, movement orders, staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from core.forms import DateField
from core.params import to_id
from core.people.contacts import normalize_email, normalize_phone
from core.people.models import Movement


def _phone(form, field):
    try:
        field.data = normalize_phone(field.data)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def _email(form, field):
    try:
        field.data = normalize_email(field.data)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class ContactForm(FlaskForm):
    phone = StringField(_l("Телефон"), validators=[Optional(strip_whitespace=False), Length(max=40),
                                                   _phone],
                        description=_l("Российский номер, например +7 912 345-67-89"))
    email = StringField(_l("Электронная почта"), validators=[Optional(), Length(max=254), _email])


class MovementForm(FlaskForm):
    kind = SelectField(_l("Приказ"))
    on_date = DateField(_l("Дата"), validators=[InputRequired(_l("Укажите дату"))])
    order_no = StringField(_l("Номер приказа"), validators=[DataRequired(_l("Укажите номер приказа")),
                                                           Length(max=40)])
    to_group = SelectField(_l("Группа (для перевода и восстановления)"), coerce=to_id,
                           validate_choice=False)
    note = TextAreaField(_l("Примечание"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, v) for k, v in Movement.KINDS.items() if k != "admitted"]


class FamilyAccountsForm(FlaskForm):
    students = SelectMultipleField(_l("Обучающиеся"), coerce=to_id, validate_choice=False)
    guardians = SelectMultipleField(_l("Родители"), coerce=to_id, validate_choice=False)


class StaffForm(FlaskForm):
    login = StringField(_l("Логин"), validators=[DataRequired(_l("Введите логин")), Length(max=80)])
    last_name = StringField(_l("Фамилия"), validators=[DataRequired(_l("Введите фамилию")),
                                                       Length(max=80)])
    first_name = StringField(_l("Имя"), validators=[DataRequired(_l("Введите имя")), Length(max=80)])
    middle_name = StringField(_l("Отчество"), validators=[Optional(), Length(max=80)])
    email = StringField(_l("Электронная почта"), validators=[Optional(), Length(max=254), _email])
    phone = StringField(_l("Телефон"), validators=[Optional(), Length(max=40), _phone])
    roles = SelectMultipleField(_l("Роли"), validate_choice=False)

    def validate_roles(self, field):
        known = {value for value, _title in field.choices}
        if any(value not in known for value in field.data or ()):
            raise ValidationError(_l("Выберите роли из списка."))
    department = SelectField(_l("Отделение (для куратора курса)"), coerce=to_id)
    commission = SelectField(_l("ПЦК (для руководителя ПЦК)"), coerce=to_id)
    group = SelectField(_l("Группа (для классного руководителя)"), coerce=to_id)


class ActiveForm(FlaskForm):
    active = BooleanField(_l("Учётная запись действует"))


class AppointmentForm(FlaskForm):
    user = SelectField(_l("Сотрудник"), coerce=to_id,
                       validators=[DataRequired(_l("Выберите сотрудника"))])
    role = SelectField(_l("Роль"), validators=[DataRequired(_l("Выберите роль"))])
    department = SelectField(_l("Отделение (для куратора курса)"), coerce=to_id)
    commission = SelectField(_l("ПЦК (для руководителя ПЦК)"), coerce=to_id)
    group = SelectField(_l("Группа (для руководителя группы)"), coerce=to_id)
    starts_on = DateField(_l("С даты"), validators=[InputRequired(_l("Укажите дату начала"))])
    ends_on = DateField(_l("По дату (необязательно)"), validators=[Optional()])
    order_no = StringField(_l("Номер приказа"), validators=[
        DataRequired(_l("Укажите номер приказа")), Length(max=40)])
    note = StringField(_l("Примечание"), validators=[Optional(), Length(max=500)])


class RevokeForm(FlaskForm):
    last_day = DateField(_l("Последний день"), validators=[InputRequired(_l("Укажите дату"))])
    reason = StringField(_l("Основание (приказ или причина)"), validators=[
        DataRequired(_l("Укажите основание")), Length(max=500)])


class GuardianForm(FlaskForm):
    last_name = StringField(_l("Фамилия"), validators=[DataRequired(_l("Введите фамилию")),
                                                       Length(max=80)])
    first_name = StringField(_l("Имя"), validators=[DataRequired(_l("Введите имя")),
                                                    Length(max=80)])
    middle_name = StringField(_l("Отчество"), validators=[Optional(), Length(max=80)])
    relation = StringField(_l("Кем приходится"), validators=[Optional(), Length(max=40)],
                           description=_l("мать, отец, опекун…"))
    phone = StringField(_l("Телефон"), validators=[Optional(strip_whitespace=False),
                                                   Length(max=40), _phone],
                        description=_l("Российский номер, например +7 912 345-67-89"))
    email = StringField(_l("Электронная почта"), validators=[Optional(), Length(max=254), _email])
    create_account = BooleanField(_l("Выдать логин родителю"))
    reason = StringField(_l("Причина изменения"), validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Причина"), validators=[DataRequired(_l("Укажите причину")),
                                                    Length(max=500)])
