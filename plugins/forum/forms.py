"""The forum's forms; what they carry is judged again by the services (rights, limits)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.forms import text_field
from plugins.forum.services import MAX_BODY, MAX_REASON, MAX_TITLE

FILES_HELP = _l("До 3 файлов по 5 МБ: PDF, DOCX, XLSX, PPTX, TXT, JPEG или PNG.")
FORMAT_HELP = _l("Можно оформлять: **жирный**, *курсив*, списки, > цитата, ссылки "
                 "[текст](https://…).")


def _body() -> TextAreaField:
    return text_field(_l("Сообщение"), MAX_BODY, _l("Напишите текст сообщения."),
                      _l("Сообщение — не длиннее %(max)d знаков."), area=True,
                      description=FORMAT_HELP)


def _title(label) -> StringField:
    return text_field(label, MAX_TITLE, _l("Укажите название."),
                      _l("Название — не длиннее %(max)d знаков."))


class SectionForm(FlaskForm):
    title = _title(_l("Название раздела"))
    description = StringField(_l("Описание"), validators=[
        Length(max=500, message=_l("Описание — не длиннее %(max)d знаков."))])


class ReplyForm(FlaskForm):
    body = _body()
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)


class TopicForm(ReplyForm):
    title = _title(_l("Тема"))


class EditForm(FlaskForm):
    body = _body()


class HideForm(FlaskForm):
    reason = StringField(_l("Причина"), validators=[
        DataRequired(message=_l("Укажите причину.")),
        Length(max=MAX_REASON, message=_l("Причина — не длиннее %(max)d знаков."))])
