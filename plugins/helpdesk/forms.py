"""Forms of the helpdesk: a new request (the fields of each kind), the administration's answer,
the author's reopening, and the order's facts when a movement is applied."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from core.forms import DateField
from core.params import to_id
from core.people.contacts import normalize_email, normalize_phone
from plugins.helpdesk.services import MAX_BODY, MAX_SUBJECT, MOVEMENT_TITLES, valid_incident


def _normalized(normalize):
    def check(form, field):
        try:
            field.data = normalize(field.data) or ""
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
    return check


def _id_or_none(value) -> int | None:
    """A choice of an id: a forged or empty value is no choice (the service names what is
    missing in Russian), not WTForms' English «Invalid Choice»."""
    try:
        return to_id(value)
    except ValueError:
        return None


def _incident(form, field):
    if field.data and not valid_incident(field.data.strip()):
        raise ValidationError(_l("Номер инцидента — от 6 до 32 латинских букв, цифр и дефисов, "
                                 "как на странице ошибки."))


class NewRequestForm(FlaskForm):
    kind = SelectField(_l("Вид обращения"), choices=[], validate_choice=False)
    subject = StringField(_l("Тема"), description=_l("Можно не заполнять: тему подставит вид "
                                                     "обращения."),
                          validators=[Length(max=MAX_SUBJECT, message=_l(
                              "Тема — не длиннее %(max)d знаков."))])
    body = TextAreaField(_l("Текст обращения"), validators=[Length(max=MAX_BODY, message=_l(
        "Текст — не длиннее %(max)d знаков."))])
    incident = StringField(_l("Номер инцидента"), validators=[Optional(), _incident],
                           description=_l("Со страницы ошибки, если она была."))
    phone = StringField(_l("Новый телефон"), validators=[Optional(), Length(max=40, message=_l(
                            "Телефон — не длиннее %(max)d знаков.")), _normalized(normalize_phone)],
                        description=_l("Российский номер, например +7 912 345-67-89"))
    email = StringField(_l("Новая электронная почта"),
                        validators=[Optional(), Length(max=254, message=_l(
                            "Адрес почты — не длиннее %(max)d знаков.")),
                                    _normalized(normalize_email)])
    student_id = SelectField(_l("Обучающийся"), coerce=_id_or_none, validate_choice=False)
    movement = SelectField(_l("Что произошло"), validate_choice=False,
                           choices=[SelectChoice("", "—"),
                                    *(SelectChoice(k, v) for k, v in MOVEMENT_TITLES.items())])
    on_date = DateField(_l("Дата приказа (или ожидаемая)"), validators=[Optional()])
    order_no = StringField(_l("Номер приказа, если известен"), validators=[
        Optional(), Length(max=40, message=_l("Номер приказа — не длиннее %(max)d знаков."))])
    to_group_id = SelectField(_l("В группу (для перевода и восстановления)"), coerce=_id_or_none,
                              validate_choice=False)


class AnswerForm(FlaskForm):
    status = SelectField(_l("Новый статус"), choices=[], validate_choice=False)
    text = TextAreaField(_l("Ответ автору"), validators=[Length(max=MAX_BODY, message=_l(
        "Ответ — не длиннее %(max)d знаков."))],
        description=_l("Обязателен, когда дан ответ; автор получит письмо."))


class ReopenForm(FlaskForm):
    text = TextAreaField(_l("Что осталось нерешённым"), validators=[Length(
        max=MAX_BODY, message=_l("Текст — не длиннее %(max)d знаков."))])


class ApplyForm(FlaskForm):
    """A movement's order as it is carried out (the curator's values prefilled)."""

    on_date = DateField(_l("Дата приказа"), validators=[Optional()])
    order_no = StringField(_l("Номер приказа"), validators=[
        Optional(), Length(max=40, message=_l("Номер приказа — не длиннее %(max)d знаков."))])
    to_group_id = SelectField(_l("Группа (для перевода и восстановления)"), coerce=_id_or_none,
                              validate_choice=False)
