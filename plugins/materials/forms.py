"""The form of a material. The lesson is chosen among the load's own (a forged one is a 404 in
the service); the link is checked here too, so that a wrong address is a form error (422)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from core.errors import DomainError
from plugins.materials import services
from plugins.materials.models import KINDS

FILES_HELP = _l("До 5 файлов по 10 МБ: PDF, DOCX, PPTX, XLSX, JPEG, PNG или TXT.")


class MaterialForm(FlaskForm):
    lesson = SelectField(_l("К чему"), choices=[], validate_choice=False)
    kind = SelectField(_l("Вид"), choices=[], validators=[
        DataRequired(message=_l("Выберите вид материала."))])
    title = StringField(_l("Название"), validators=[
        DataRequired(message=_l("Укажите название материала.")),
        Length(max=services.MAX_TITLE, message=_l("Название — не длиннее %(max)d знаков."))])
    description = TextAreaField(
        _l("Описание"), description=_l("Необязательно. Можно **выделять**, делать списки и "
                                       "ссылки (Markdown)."),
        validators=[Length(max=services.MAX_DESCRIPTION,
                           message=_l("Описание — не длиннее %(max)d знаков."))])
    url = StringField(_l("Ссылка"), description=_l("Адрес в интернете (http:// или https://) "
                                                    "— вместо файлов."))
    files = MultipleFileField(_l("Файлы"), description=FILES_HELP)
    remove_files = SelectMultipleField(_l("Убрать файлы"), choices=[], coerce=int,
                                       validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(key, str(title)) for key, title in KINDS.items()]

    def validate_url(self, field) -> None:
        try:
            services.check_link(field.data)
        except DomainError as exc:
            raise ValidationError(exc.message) from None
