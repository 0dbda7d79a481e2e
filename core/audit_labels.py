"""What the audit log shows people: each action code's Russian name and an entry's details as
labelled values, from the plugins' ``audit_labels`` hook (each labels its own codes; the core's
are here). A code nobody labelled is shown as it is (tests/test_audit_labels.py keeps that from
happening)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.people.roles import ROLE_TITLES
from core.plugins import hookimpl
from core.plugins.types import AuditLabels

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Detail:
    """One labelled value of an entry's details (``label`` empty for a bare value)."""

    label: str
    text: str


def merged() -> AuditLabels:
    """Every plugin's labels together (read once per app)."""
    cache = current_app.extensions.setdefault("ejournal_audit_labels", {})
    if "labels" not in cache:
        from core.plugins import hook

        together = AuditLabels()
        for labels in hook().audit_labels():
            together.actions.update(labels.actions)
            together.fields.update(labels.fields)
            together.targets.update(labels.targets)
            for key, words in labels.values.items():
                together.values.setdefault(key, {}).update(words)
        cache["labels"] = together
    return cache["labels"]


def action_label(code: str) -> str:
    label = merged().actions.get(code)
    return str(label) if label is not None else code


def target_label(kind: str | None, ident: str | None) -> str:
    if not kind:
        return ""
    name = merged().targets.get(kind)
    name = str(name) if name is not None else kind
    if not ident:
        return name
    return f"{name} № {ident}" if ident.isdigit() else f"{name} {ident}"


def field_label(key: str) -> str:
    label = merged().fields.get(key)
    return str(label) if label is not None else key


def _text(key: str, value: Any) -> str:
    from core.calendar.clock import college_time

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, str):
        word = merged().values.get(key, {}).get(value)
        if word is not None:
            return str(word)
        if _ISO_TIME.match(value):
            try:
                return college_time(datetime.fromisoformat(value)).strftime("%d.%m.%Y %H:%M")
            except ValueError:
                return value
        if _ISO_DAY.match(value):
            try:
                return datetime.strptime(value, "%Y-%m-%d").strftime("%d.%m.%Y")
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {_text(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(f"({_text(key, v)})" if isinstance(v, dict) else _text(key, v)
                         for v in value)
    return str(value)


def details(value: Any) -> list[Detail]:
    """A stored ``before``/``after`` as labelled values: a dict's keys labelled, a list's or a
    bare value's items as they read."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [Detail(field_label(k), _text(k, v)) for k, v in value.items()]
    return [Detail("", _text("", value))]


@hookimpl
def audit_labels():
    return AuditLabels(
        actions={
            "audit.keyed": _l("Начало цепочки журнала с ключом"),
            "audit.anchor": _l("Отметка журнала аудита во внешнем файле"),
            "auth.login": _l("Вход в систему"),
            "auth.login_failed": _l("Неудачная попытка входа"),
            "auth.logout": _l("Выход из системы"),
            "auth.password_change": _l("Смена пароля"),
            "year.save": _l("Учебный год сохранён"),
            "year.current": _l("Текущий учебный год выбран"),
            "year.open_next": _l("Открыт следующий учебный год"),
            "year.mode": _l("Режим работы учебного года изменён"),
            "people.appointment.create": _l("Назначение на должность"),
            "people.appointment.revoke": _l("Назначение отменено"),
            "people.role.end": _l("Назначение окончено"),
            "people.family.add": _l("Родитель (законный представитель) добавлен"),
            "people.family.edit": _l("Данные родителя изменены"),
            "people.family.remove": _l("Связь с родителем снята"),
            "people.family.propose": _l("Предложено изменение данных родителей"),
            "people.family.apply": _l("Изменения данных родителей внесены"),
            "people.family.return": _l("Изменения данных родителей возвращены"),
            "outbox.resend": _l("Сообщение отправлено повторно"),
            "people.account.password_reset": _l("Пароль сброшен, выданы новые данные входа"),
            "people.account.create": _l("Выданы данные для входа"),
            "people.account.deactivate": _l("Учётная запись отключена"),
            "people.account.reactivate": _l("Учётная запись включена"),
            "people.staff.create": _l("Сотрудник добавлен"),
            "people.staff.edit": _l("Данные сотрудника изменены"),
            "people.contacts.edit": _l("Контакты изменены"),
            "people.import": _l("Импорт контингента"),
            "people.group.data_check": _l("Просмотр проверки данных группы"),
            "people.group.roster": _l("Просмотр списка группы"),
            "people.group.curator": _l("Назначен классный руководитель"),
            "people.student.view": _l("Просмотр карточки обучающегося"),
            "people.student.transferred": _l("Приказ: перевод обучающегося"),
            "people.student.leave": _l("Приказ: академический отпуск"),
            "people.student.returned": _l("Приказ: восстановление из отпуска"),
            "people.student.expelled": _l("Приказ: отчисление"),
            "people.student.graduated": _l("Приказ: выпуск"),
            "student.import_create": _l("Импорт: обучающийся добавлен"),
            "student.import_update": _l("Импорт: данные обучающегося обновлены"),
            "guardian.import_create": _l("Импорт: родитель добавлен"),
            "guardian.import_update": _l("Импорт: данные родителя обновлены"),
            "group.create": _l("Группа создана"),
            "group.update": _l("Группа изменена"),
            "group.curator": _l("Классный руководитель группы изменён"),
            "group.split": _l("Группа разделена на подгруппы"),
            "department.create": _l("Отделение создано"),
            "specialty.create": _l("Специальность создана"),
            "retention.person.reduce": _l("Персональные данные обезличены по сроку хранения"),
            "retention.outbox.purge": _l("Старые сообщения удалены по сроку хранения"),
            "policy.override": _l("Правило изменено"),
            "policy.reset": _l("Правило возвращено к пресету"),
            "setting.change": _l("Настройка изменена"),
            "setting.reset": _l("Настройка сброшена"),
        },
        fields={
            "status": _l("Статус"), "state": _l("Состояние"), "value": _l("Значение"),
            "count": _l("Сколько"), "comment": _l("Комментарий"), "reason": _l("Причина"),
            "text": _l("Текст"), "title": _l("Название"), "name": _l("Имя"),
            "kind": _l("Вид"), "type": _l("Тип"), "role": _l("Роль"), "login": _l("Логин"),
            "group_id": _l("Группа (№)"), "group": _l("Группа"), "curator_id":
            _l("Классный руководитель (№)"), "student_id": _l("Обучающийся (№)"),
            "term_id": _l("Период (№)"), "year_id": _l("Учебный год (№)"), "id": _l("№"),
            "date": _l("Дата"), "start": _l("С"), "end": _l("По"), "until": _l("До"),
            "starts_on": _l("Начало"), "ends_on": _l("Конец"), "valid_to": _l("Действует до"),
            "joined_on": _l("Зачислен с"), "order_no": _l("Номер приказа"),
            "record_book_no": _l("Номер зачётной книжки"), "rows": _l("Строк"),
            "shown": _l("Показано"), "hours": _l("Часов"), "number": _l("Номер"),
            "key": _l("Ключ"), "code": _l("Код"), "label": _l("Подпись"), "body": _l("Текст"),
            "subject": _l("Тема"), "error": _l("Ошибка"), "period": _l("Период"),
            "removed": _l("Удалено"), "rows_removed": _l("Удалено строк"),
            "jobs_removed": _l("Удалено задач"), "bodies_emptied": _l("Очищено текстов"),
            "finished_before": _l("Завершённые до"), "locked_until": _l("Заблокирован до"),
            "hidden": _l("Скрыто"), "format": _l("Формат"), "report": _l("Отчёт"),
            "path": _l("Файл"), "email": _l("Письмо"), "item": _l("Пункт"),
            "how": _l("Как"), "for": _l("Для кого"), "incident": _l("Инцидент"),
            "manifest_sha256": _l("Контрольная сумма описи"), "course": _l("Курс"),
            "courses": _l("Курсы"), "date_from": _l("С"), "date_to": _l("По"),
            "lessons": _l("Занятий"), "pinned": _l("Закреплена"), "closed": _l("Закрыта"),
        },
        targets={
            "User": _l("Пользователь"), "Student": _l("Обучающийся"), "Group": _l("Группа"),
            "Guardian": _l("Родитель"), "Setting": _l("Настройка"), "Department":
            _l("Отделение"), "Specialty": _l("Специальность"), "AcademicYear":
            _l("Учебный год"), "OutboxMessage": _l("Сообщение"),
        },
        values={
            "status": {"pending": _l("ожидает"), "accepted": _l("принято"),
                       "approved": _l("одобрено"), "rejected": _l("отклонено"),
                       "studying": _l("учится"), "leave": _l("в академическом отпуске"),
                       "expelled": _l("отчислен"), "graduated": _l("выпущен"),
                       "sent": _l("отправлено"), "failed": _l("не отправлено")},
            "role": {str(role): title for role, title in ROLE_TITLES.items()},
        },
    )
