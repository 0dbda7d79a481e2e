"""The notification preferences form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField

DAYS = [(0, _l("не присылать")), (1, _l("в понедельник")), (2, _l("во вторник")),
        (3, _l("в среду")), (4, _l("в четверг")), (5, _l("в пятницу")), (6, _l("в субботу")),
        (7, _l("в воскресенье"))]


class PreferenceForm(FlaskForm):
    digest_weekday = SelectField(_l("Еженедельная сводка по электронной почте"), coerce=int,
                                 choices=[SelectChoice(day, title) for day, title in DAYS])
    alerts = BooleanField(_l("Сразу сообщать о пропусках и неудовлетворительных оценках"))
    sms = BooleanField(_l("SMS об оценках"))
    messages = SelectField(_l("Письмо о новом сообщении в журнале"), choices=[
        SelectChoice("all", _l("о каждом сообщении")),
        SelectChoice("personal", _l("только о личной переписке, не о рассылках")),
        SelectChoice("none", _l("не присылать"))])
    messages_sms = BooleanField(_l("SMS о новых сообщениях (по тем же правилам)"))
