"""The form of an announcement. The audience is chosen from those the author may publish for;
the choice is judged by the service (``core.people.scope``), so a forged one is a 404."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import DateField
from plugins.announcements.models import EVENT, NOTICE
from plugins.announcements.services import MAX_BODY, MAX_PLACE, MAX_TITLE


class AnnouncementForm(FlaskForm):
    kind = SelectField(_l("Вид"), choices=[(NOTICE, _l("Объявление")),
                                           (EVENT, _l("Мероприятие"))], default=NOTICE)
    title = StringField(_l("Заголовок"), validators=[
        DataRequired(message=_l("Укажите заголовок.")),
        Length(max=MAX_TITLE, message=_l("Заголовок — не длиннее %(max)d знаков."))])
    body = TextAreaField(_l("Текст"), description=_l(
        "Можно оформлять: **жирный**, *курсив*, списки, ссылки [текст](https://…)."),
        validators=[Length(max=MAX_BODY, message=_l("Текст — не длиннее %(max)d знаков."))])
    audience = SelectField(_l("Для кого"), choices=[], validate_choice=False,
                           validators=[DataRequired(message=_l("Выберите, для кого объявление."))])
    event_day = DateField(_l("Дата мероприятия"), validators=[Optional()])
    event_time = TimeField(_l("Начало"), validators=[Optional()])
    ends_time = TimeField(_l("Окончание"), validators=[Optional()])
    place = StringField(_l("Место"), validators=[
        Length(max=MAX_PLACE, message=_l("Место — не длиннее %(max)d знаков."))])
    publish_on = DateField(_l("Опубликовать с"), validators=[Optional()],
                           description=_l("Пусто — сразу."))
    expires_on = DateField(_l("Показывать до (включительно)"), validators=[Optional()],
                           description=_l("Пусто — мероприятие снимается после дня его "
                                          "проведения, объявление — через 14 дней."))
    email = BooleanField(_l("Разослать по электронной почте при публикации"))
    version = HiddenField()
