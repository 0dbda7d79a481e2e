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
