"""Typed forms built from the policy and settings schemas."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from core.forms import IntegerField
from core.policy.schema import PolicyKey


def policy_field(spec: PolicyKey):
    """The form field that edits one policy value of its kind."""
    if spec.kind == "bool":
        return BooleanField(spec.title)
    if spec.kind == "int":
        return IntegerField(spec.title, validators=[InputRequired(_("Введите целое число"))])
    if spec.kind == "str" and spec.choices:
        return SelectField(spec.title, choices=[SelectChoice(c, spec.title_of(c)) for c in spec.choices])
    if spec.kind == "str":
        return StringField(spec.title, validators=[InputRequired(_("Заполните поле"))])
    return TextAreaField(spec.title, validators=[Optional()], description=_help_for(spec.kind))


def _help_for(kind: str) -> str:
    return {
        "list[str]": "Значения через запятую",
        "tiers": "Пороги «часов в неделю: оценок» через запятую, например «1: 3, 2: 5»",
        "dict[str,float]": "Пары «имя: число» через запятую, например «oral: 1, control: 2»",
    }[kind]


def format_value(kind: str, value: Any) -> Any:
    """The text a form shows for ``value`` of ``kind``."""
    if kind == "list[str]":
        return ", ".join(value)
    if kind == "tiers":
        return ", ".join(f"{t['hours_from']}: {t['count']}" for t in value)
    if kind == "dict[str,float]":
        return ", ".join(f"{k}: {v:g}" for k, v in value.items())
    return value


def parse_value(kind: str, raw: Any) -> Any:
    """Turn form data back into a value of ``kind``; raise ``ValueError`` with a Russian reason."""
    if kind in ("bool", "int", "str"):
        return raw
    text = (raw or "").strip()
    items = [part.strip() for part in text.split(",") if part.strip()]
    if kind == "list[str]":
        return items
    pairs = []
    for item in items:
        name, sep, number = item.partition(":")
        if not sep:
            raise ValueError(f"«{item}»: ожидается пара «имя: число»")
        pairs.append((name.strip(), number.strip()))
    if kind == "tiers":
        try:
            return [{"hours_from": int(a), "count": int(b)} for a, b in pairs]
        except ValueError:
            raise ValueError("пороги и количества должны быть целыми числами") from None
    try:
        return {name: float(number) for name, number in pairs}
    except ValueError:
        raise ValueError("значения должны быть числами") from None


class PolicyValueForm(FlaskForm):
    """Built per key in the view: ``make_policy_form(spec)``."""


def make_policy_form(spec: PolicyKey, value: Any) -> FlaskForm:
    """A form for one key; on POST it reads the request, otherwise it shows ``value``."""
    form_class = type("PolicyForm", (PolicyValueForm,), {"value": policy_field(spec)})
    return form_class(data={"value": format_value(spec.kind, value)})
