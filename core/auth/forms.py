from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    login = StringField(_l("Логин"), validators=[DataRequired(_l("Введите логин")), Length(max=80)])
    password = PasswordField(_l("Пароль"), validators=[DataRequired(_l("Введите пароль"))])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Текущий пароль"), validators=[DataRequired(_l("Введите текущий пароль"))])
    new = PasswordField(
        _l("Новый пароль"), validators=[DataRequired(_l("Введите новый пароль"))],
        description=_l("Не короче 8 символов; не из самых распространённых паролей; без логина, "
                       "фамилии и имени; не тот, что был раньше."),
    )
    confirm = PasswordField(
        _l("Новый пароль ещё раз"),
        validators=[DataRequired(_l("Повторите новый пароль")),
                    EqualTo("new", _l("Пароли не совпадают"))],
    )
