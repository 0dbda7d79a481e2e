"""Hook implementations of the archive: its policy keys (the period and the retention terms),
the rule freezing archived periods, the worker task writing an archive, the menu item of the
administrator's archive page and the demo's archived year."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl

PERIODS = ("term", "year")


@hookimpl
def policy_schema():
    from core.policy.schema import PolicyKey

    return [
        PolicyKey("archive.period", "str", "term",
                  str(_l("Когда журнал архивируется: по окончании каждого семестра или учебного "
                         "года")),
                  str(_l("Архив закрывает администратор; архивный период доступен только для "
                         "чтения.")),
                  choices=PERIODS,
                  labels=(("term", str(_l("каждый семестр"))),
                          ("year", str(_l("каждый учебный год"))))),
        PolicyKey("archive.journal_retention_years", "int", 5,
                  str(_l("Сколько лет хранятся журналы в архиве")),
                  str(_l("После этого срока подробные данные и файлы журналов удаляются с "
                         "актом об уничтожении."))),
        PolicyKey("archive.statement_retention_years", "int", 25,
                  str(_l("Сколько лет хранятся сводные ведомости в архиве"))),
    ]


@hookimpl(tryfirst=True)
def policy_rules(action, user, target, at, policy):
    """An archived period is read-only for everyone (``freeze.FROZEN``); only the
    administrator files a correction there (``lesson.correct``). Asked first: of the refusals
    of an archived lesson (its window, a lock after finals) this one says what is final."""
    from plugins.archive import freeze

    return freeze.decide(action, user, target)


@hookimpl(tryfirst=True)
def policy_rules_many(action, user, targets, at, policy):
    """``policy_rules`` of a page's lessons in one pass."""
    from plugins.archive import freeze

    return freeze.decide_many(action, user, targets)


@hookimpl
def permissions():
    """The administrator closes periods and reads the archive (REQUIREMENTS §1: archives)."""
    from core.people.roles import Role
    from core.plugins.types import Permission
    from plugins.archive.views import MANAGE

    return [Permission(MANAGE, frozenset({Role.ADMIN}),
                       str(_l("Закрывать периоды и сдавать журнал в архив, читать архив")))]


@hookimpl
def admin_links(user):
    from core.people.permissions import can
    from core.plugins.types import NavItem
    from plugins.archive.views import MANAGE

    if not can(user, MANAGE):
        return []
    return [NavItem(_l("Архив журналов"), "archive.index", order=700)]


@hookimpl
def worker_tasks():
    from core.plugins.types import WorkerTask
    from plugins.archive import closing, writer

    return [WorkerTask(closing.TASK, writer.write_period)]


@hookimpl
def event_handlers():
    """A correction taking effect in an archived period becomes an addendum, in its
    transaction (a rollback leaves no addendum row)."""
    from core.plugins.types import EventHandler
    from plugins.archive import addenda
    from plugins.journal.events import CorrectionApplied

    return [EventHandler(CorrectionApplied, addenda.on_correction, phase="in_transaction")]


@hookimpl
def demo_data(college):
    from plugins.archive.demo import archive_previous_year

    archive_previous_year(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the archive plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "archive.frozen": _l("Периоды закрыты для изменений перед архивом"),
        "archive.close": _l("Период закрыт"),
        "archive.archived": _l("Журнал сдан в архив"),
        "archive.failed": _l("Сдача в архив не удалась"),
        "archive.addendum": _l("Дополнение к архиву"),
        "archive.purge": _l("Архив удалён по сроку хранения"),
        "archive.file.download": _l("Файл архива скачан"),
    }, fields={
    }, targets={
        "ArchivedPeriod": _l("Архивный период"),
        "ArchiveFile": _l("Файл архива"),
        "ArchiveAddendum": _l("Дополнение к архиву"),
    }, values={"state": {"closing": _l("закрывается"), "archived": _l("в архиве"), "failed": _l("не сдан")}})
