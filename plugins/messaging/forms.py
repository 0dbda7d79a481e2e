"""The forms of messages. Recipients are chosen from the address book; the choice is judged by
the service (``core.people.scope``), so a forged one is a 404, not a form error."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from core.forms import text_field
from plugins.messaging.services import MAX_BODY, MAX_SUBJECT

FILES_HELP = _l("До 3 файлов по 5 МБ: PDF, JPEG, PNG, DOCX, XLSX или TXT.")


def _body() -> TextAreaField:
    return text_field(_l("Сообщение"), MAX_BODY, _l("Напишите текст сообщения."),
                      _l("Сообщение — не длиннее %(max)d знаков."), area=True)


def _subject() -> StringField:
    return text_field(_l("Тема"), MAX_SUBJECT, _l("Укажите тему сообщения."),
                      _l("Тема — не длиннее %(max)d знаков."))


class ReplyForm(FlaskForm):
    body = _body()
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)


class MessageForm(ReplyForm):
    to = SelectField(_l("Кому"), choices=[], validate_choice=False,
                     validators=[DataRequired(message=_l("Выберите, кому написать."))])
    subject = _subject()


class LetterForm(FlaskForm):
    audience = SelectField(_l("Кому"), choices=[], validate_choice=False,
                           validators=[DataRequired(message=_l("Выберите, кому написать."))])
    subject = _subject()
    body = _body()
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)
