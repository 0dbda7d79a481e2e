"""The typed schema of policy values: every rule that differs between colleges (REQUIREMENTS §4).

Plugins add keys through the ``policy_schema`` hook. A preset file is checked against the schema
at start-up: an unknown key or a value of the wrong type stops the app naming the file and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import StartupError
from core.people.roles import ROLE_TITLES, Role

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
    #: ``(value, title)`` pairs: how a person reads the values (or a list's items, a table's
    #: names) of this key, beside the shared ``CHOICE_TITLES``
    labels: tuple[tuple[str, Any], ...] = ()

    def title_of(self, value: Any) -> str:
        """How a person reads a value of a ``choices`` key («администратор» for
        ``administrator``), an item of a list or a name of a table («лабораторная работа»)."""
        label = dict(self.labels).get(value)
        return str(label) if label is not None else CHOICE_TITLES.get(value, str(value))

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
        if self.kind == "int" and value < 0:
            return f"ожидается число не меньше 0, получено {value!r}"
        if self.choices:
            items = value if self.kind == "list[str]" else [value]
            wrong = [item for item in items if item not in self.choices]
            if wrong:
                return f"допустимые значения: {', '.join(self.choices)}; получено {wrong[0]!r}"
        if self.kind == "tiers":
            froms = [tier["hours_from"] for tier in value]
            if froms != sorted(set(froms)):
                return "пороги hours_from должны возрастать"
        return None


CHOICE_TITLES = {
    "curator": "руководитель группы",
    "administrator": "администратор",
    "director": "директор",
    "email": "электронная почта",
    "sms": "SMS",
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


#: the roles a preset may let see personal data besides the curator and the administration
CONTACT_ROLES = (str(Role.SUPERVISOR), str(Role.COMMISSION_HEAD), str(Role.TEACHER))

#: the keys the core itself reads; a plugin declares the keys it enforces (``policy_schema``)
CORE_KEYS: tuple[PolicyKey, ...] = (
    PolicyKey("people.contact_editor", "str", "curator",
              "Кто правит данные обучающихся и родителей",
              "Контакты и родителей (законных представителей) обучающегося: добавить, изменить, "
              "убрать с указанием причины. Если правит администратор, руководитель группы "
              "при ежемесячной проверке предлагает изменения списком, администратор "
              "применяет его целиком", choices=("curator", "administrator")),
    PolicyKey("people.appointed_by", "str", "administrator",
              "Кто назначает сотрудников на роли приказом",
              "Заместитель директора, учебно-методическая служба, куратор курса, руководитель "
              "ПЦК, руководитель группы: с даты приказа, с его номером. Учётные записи "
              "создаёт администратор", choices=("director", "administrator")),
    PolicyKey("people.students_may_change_password", "bool", True,
              "Обучающиеся могут менять свой пароль"),
    PolicyKey("people.contacts_roles", "list[str]", [],
              "Кто ещё видит дату рождения и контакты обучающихся и родителей",
              "Руководитель группы видит их у обучающихся своей группы, администрация — у всех, "
              "названные роли — у обучающихся, которых видят сами. Остальным видны Ф. И. О., "
              "группа и подгруппа",
              choices=CONTACT_ROLES, labels=tuple((role, ROLE_TITLES[Role(role)])
                                                  for role in CONTACT_ROLES)),
    PolicyKey("people.curator_title", "str", "куратор группы", "Название руководителя группы"),
    PolicyKey("notify.channels", "list[str]", ["email"], "Каналы уведомления родителей",
              "Называются на листках с логином и паролем; канал работает, если включён его "
              "плагин"),
    PolicyKey("notify.outbox_body_days", "int", 180,
              "Сколько дней хранится текст отправленных уведомлений",
              "Потом в журнале отправки остаются адресат, тема, время и результат"),
    PolicyKey("notify.delivery_log_days", "int", 1095,
              "Сколько дней хранятся записи журнала отправки уведомлений"),
    PolicyKey("people.leaver_data_years", "int", 1,
              "Через сколько лет после ухода удаляются контакты, дата рождения и логин",
              "Обучающихся после отчисления или выпуска, их родителей, когда ушли все их дети, "
              "сотрудников после отключения учётной записи; Ф. И. О. остаются в хранимых "
              "ведомостях, переписке и журнале аудита"),
)

PRESET_META_KEYS = {"name": str, "title": str, "plugins": list, "planned": list}


def validate_values(
    source: str,
    data: dict[str, Any],
    keys: dict[str, PolicyKey],
    skip_sections: set[str],
    skip_keys: set[str] = frozenset(),
    planned: set[str] = frozenset(),
) -> dict[str, Any]:
    """Check a preset's sections against ``keys`` and return the flat ``{key: value}`` map.

    Sections in ``skip_sections`` and keys in ``skip_keys`` belong to installed plugins that are
    not enabled and are ignored. A section the preset lists as ``planned`` (the rules of a plugin
    still to come) is ignored while no plugin declares a key of it: nothing enforces it, so it is
    neither checked nor shown. Any other unknown key stops the start-up, so typos are caught.
    ``source`` names the file in error messages.
    """
    known_sections = {spec.section for spec in keys.values()}
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section == "preset" or section in skip_sections:
            continue
        if section in planned and section not in known_sections:
            continue
        if not isinstance(table, dict):
            raise StartupError(f"{source}: «{section}» должен быть таблицей [{section}]")
        for name, value in table.items():
            key = f"{section}.{name}"
            spec = keys.get(key)
            if spec is None:
                if key in skip_keys:
                    continue
                raise StartupError(f"{source}: неизвестный ключ «{key}»")
            problem = spec.check(value)
            if problem:
                raise StartupError(f"{source}: ключ «{key}»: {problem}")
            values[key] = value
    return values
