"""Forms of the КТП's pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length

from core.params import to_id


class ActionForm(FlaskForm):
    """Submit or approve: the version of the plan the user saw."""

    version = HiddenField()


class ReturnForm(FlaskForm):
    version = HiddenField()
    comment = TextAreaField(_l("Что исправить"), validators=[Length(max=2000)])


class CopyForm(FlaskForm):
    source_id = SelectField(_l("Скопировать план из"), coerce=to_id, validate_choice=False)


class UploadForm(FlaskForm):
    file = FileField(_l("Файл XLSX или CSV по шаблону"))


class ConfirmForm(FlaskForm):
    #: the checked rows of the preview, as JSON; checked again when saved
    rows = HiddenField()
