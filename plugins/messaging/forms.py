"""The forms of messages. Recipients are chosen from the address book; the choice is judged by
the service (``core.people.scope``), so a forged one is a 404, not a form error."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from plugins.messaging.services import MAX_BODY, MAX_SUBJECT

FILES_HELP = _l("До 3 файлов по 5 МБ: PDF, JPEG, PNG, DOCX, XLSX или TXT.")


def _body() -> TextAreaField:
    return TextAreaField(_l("Сообщение"), validators=[
        DataRequired(message=_l("Напишите текст сообщения.")),
        Length(max=MAX_BODY, message=_l("Сообщение — не длиннее %(max)d знаков."))])


def _subject() -> StringField:
    return StringField(_l("Тема"), validators=[
        DataRequired(message=_l("Укажите тему сообщения.")),
        Length(max=MAX_SUBJECT, message=_l("Тема — не длиннее %(max)d знаков."))])


class MessageForm(FlaskForm):
    to = SelectField(_l("Кому"), choices=[], validate_choice=False,
                     validators=[DataRequired(message=_l("Выберите, кому написать."))])
    subject = _subject()
    body = _body()
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)


class ReplyForm(FlaskForm):
    body = _body()
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)


class LetterForm(FlaskForm):
    audience = SelectField(_l("Кому"), choices=[], validate_choice=False,
                           validators=[DataRequired(message=_l("Выберите, кому написать."))])
    subject = _subject()
    body = _body()
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)
