"""Hook implementations of the forecast: its policy key."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [PolicyKey("forecast.visible_to_families", "bool", False,
                      str(_l("Обучающиеся и родители видят прогноз итоговых оценок в дневнике")),
                      str(_l("Ожидаемая итоговая оценка с диапазоном, риск «2» или «н/а» и "
                             "причины; преподаватель, классный руководитель и заместитель "
                             "директора видят прогноз всегда")))]
