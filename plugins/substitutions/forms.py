"""Forms of the substitution pages (CSRF on every POST)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from core.forms import DateField
from core.params import to_id
from plugins.substitutions.services import KINDS


class SubstitutionForm(FlaskForm):
    absent_id = SelectField(_l("Отсутствующий преподаватель"), coerce=to_id)
    kind = SelectField(_l("Вид замещения"), choices=[SelectChoice(k, v) for k, v in KINDS.items()])
    substitute_id = SelectField(_l("Кто замещает"), coerce=to_id)
    date_from = DateField(_l("С"), validators=[InputRequired(_l("Укажите дату начала"))])
    date_to = DateField(_l("По"), validators=[InputRequired(_l("Укажите дату окончания"))])
    load_id = SelectField(_l("Нагрузка (группа и дисциплина)"), coerce=to_id)
    pairs = StringField(_l("Пары (через запятую; пусто — все)"), validators=[
        Length(max=20), Regexp(r"^[1-8](\s*,\s*[1-8])*$|^$", message=_l("Например: 1, 3"))])
    reason = StringField(_l("Основание (приказ, больничный)"), validators=[Length(max=300)])
