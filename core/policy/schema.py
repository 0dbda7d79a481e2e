"""The typed schema of policy values: every rule that differs between colleges (REQUIREMENTS §4).

Plugins add keys through the ``policy_schema`` hook. A preset file is checked against the schema
at start-up: an unknown key or a value of the wrong type stops the app naming the file and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import StartupError

#: value kinds a policy key may have
KINDS = ("bool", "int", "str", "list[str]", "tiers", "dict[str,float]")


@dataclass(frozen=True)
class PolicyKey:
    """One policy value: ``key`` is ``section.name`` as written in the preset's TOML."""

    key: str
    kind: str
    default: Any
    title: str
    help: str = ""
    choices: tuple[str, ...] = ()

    def title_of(self, value: Any) -> str:
        """How a person reads a value of a ``choices`` key («каждый семестр» for ``term``)."""
        return CHOICE_TITLES.get(value, str(value))

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown policy kind {self.kind!r} for {self.key}")

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    def check(self, value: Any) -> str | None:
        """Return a Russian description of what is wrong with ``value``, or ``None``."""
        expected = KIND_TITLES[self.kind]
        if not _matches(self.kind, value):
            return f"ожидается {expected}, получено {value!r}"
        if self.choices and value not in self.choices:
            return f"допустимые значения: {', '.join(self.choices)}; получено {value!r}"
        if self.kind == "tiers":
            froms = [tier["hours_from"] for tier in value]
            if froms != sorted(set(froms)):
                return "пороги hours_from должны возрастать"
        return None


CHOICE_TITLES = {
    "curator": "руководитель группы",
    "administrator": "администратор",
    "term": "каждый семестр",
    "year": "каждый учебный год",
    "none": "не составляется",
    "monthly": "ежемесячно",
}

KIND_TITLES = {
    "bool": "true или false",
    "int": "целое число",
    "str": "строка",
    "list[str]": "список строк",
    "tiers": "список таблиц {hours_from = N, count = M}",
    "dict[str,float]": "таблица «имя = число»",
}


def _matches(kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "dict[str,float]":
        return isinstance(value, dict) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
        )
    if kind == "tiers":
        return isinstance(value, list) and all(
            isinstance(t, dict)
            and set(t) == {"hours_from", "count"}
            and all(isinstance(t[k], int) and not isinstance(t[k], bool) and t[k] >= 0 for k in t)
            for t in value
        )
    return False


CORE_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey("grades.min_marks", "tiers", [{"hours_from": 1, "count": 3}],
              "Минимум текущих оценок до аттестации",
              "По недельной нагрузке: с hours_from часов в неделю нужно count оценок."),
    PolicyKey("grades.min_marks_required_kinds", "list[str]", [],
              "Виды работ, оценки за которые обязательны до аттестации"),
    PolicyKey("grades.lock_after_finals", "bool", True,
              "Запрет правки периода преподавателем после итоговых оценок"),
    PolicyKey("journal.edit_grace_days", "int", 0,
              "Сколько дней после дня занятия преподаватель правит запись без корректировки"),
    PolicyKey("journal.backdating_allowed", "bool", False,
              "Разрешено вносить записи задним числом без корректировки"),
    PolicyKey("people.contact_editor", "str", "curator",
              "Кто правит данные обучающихся и родителей", choices=("curator", "administrator")),
    PolicyKey("people.students_may_change_password", "bool", True,
              "Обучающиеся могут менять свой пароль"),
    PolicyKey("people.curator_title", "str", "куратор группы", "Название руководителя группы"),
    PolicyKey("control.supervisor_check_days", "int", 0,
              "Контроль куратором курса, раз в N дней (0 — не установлен)"),
    PolicyKey("control.deputy_check_days", "int", 7,
              "Контроль заместителем директора, раз в N дней"),
    PolicyKey("control.methodist_check_days", "int", 0,
              "Контроль учебно-методической службой, раз в N дней (0 — не установлен)"),
    PolicyKey("control.term_end_check", "bool", False,
              "Тщательная проверка журнала в конце семестра"),
    PolicyKey("control.report_results_to_director", "bool", False,
              "Результаты проверок докладываются директору письменно и показываются педагогам"),
    PolicyKey("archive.period", "str", "term", "Архивирование журнала",
              choices=("term", "year")),
    PolicyKey("archive.journal_retention_years", "int", 5, "Срок хранения журналов, лет"),
    PolicyKey("archive.statement_retention_years", "int", 25,
              "Срок хранения сводных ведомостей, лет"),
    PolicyKey("messaging.answer_days", "int", 0,
              "Срок ответа родителям, дней (0 — не установлен)"),
    PolicyKey("reports.activity_report", "str", "none", "Отчёт об активности пользователей",
              choices=("none", "monthly")),
    PolicyKey("reports.progress_periods", "list[str]", ["term"],
              "Отчёты об успеваемости: за какие периоды"),
    PolicyKey("notify.channels", "list[str]", ["email"], "Каналы уведомления родителей"),
    PolicyKey("notify.sms_new_marks", "bool", False, "SMS о новых оценках"),
    PolicyKey("notify.email_failing_or_absent", "bool", False,
              "Письмо родителям неуспевающих и пропускающих"),
    PolicyKey("notify.period_report_sms", "bool", False, "Отчёт за период родителям по SMS"),
    PolicyKey("notify.digest_weekday", "int", 5,
              "День недельной сводки родителям (1 — понедельник … 7 — воскресенье)"),
)

PRESET_META_KEYS = {"name": str, "title": str, "plugins": list}


def validate_values(
    source: str, data: dict[str, Any], keys: dict[str, PolicyKey], skip_sections: set[str]
) -> dict[str, Any]:
    """Check a preset's sections against ``keys`` and return the flat ``{key: value}`` map.

    Sections in ``skip_sections`` belong to installed plugins that are not enabled and are
    ignored. ``source`` names the file in error messages.
    """
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section == "preset" or section in skip_sections:
            continue
        if not isinstance(table, dict):
            raise StartupError(f"{source}: «{section}» должен быть таблицей [{section}]")
        for name, value in table.items():
            key = f"{section}.{name}"
            spec = keys.get(key)
            if spec is None:
                raise StartupError(f"{source}: неизвестный ключ «{key}»")
            problem = spec.check(value)
            if problem:
                raise StartupError(f"{source}: ключ «{key}»: {problem}")
            values[key] = value
    return values
