"""Demo forum: three sections, topics opened by the director over the past weeks, answered by
teachers, curators and a deputy; one topic pinned, one closed. Written through the services,
without notifications."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from core import markup
from core.people.roles import Role
from plugins.forum import services

SECTIONS = (
    ("Учебный процесс", "Расписание, журнал, промежуточная аттестация, практика."),
    ("Методическая работа", "КТП, фонды оценочных средств, открытые занятия, ПЦК."),
    ("Воспитательная работа", "Классные часы, мероприятия, работа с родителями."),
)

#: (section, days ago, title, text, pinned, closed, replies: (who, hours later, text or
#: (a line of the director's to quote, text)))
TOPICS = (
    (0, 20, "Заполнение электронного журнала в день занятия",
     "Коллеги, напоминаю: по положению об электронном журнале оценки и пропуски вносятся **в "
     "день проведения занятия**. Исправления после этого дня — только через заявку с "
     "причиной.\n\nВопросы по работе журнала пишите в этой теме.", True, False,
     (("teacher", 3, "Понятно. А если пара заканчивается в 20:10 — успеваем до полуночи?"),
      ("deputy", 5, "Да, день занятия — по времени колледжа, до 23:59."),
      ("curator", 26, "Спасибо, довели до сведения всех преподавателей группы."))),
    (0, 9, "Подготовка к промежуточной аттестации за 1 семестр",
     "До конца месяца прошу проверить, у всех ли обучающихся набрано **минимальное количество "
     "оценок**: 3 при нагрузке 1 час в неделю, 5 — при 2 часах и более.\n\n- списки "
     "неуспевающих — кураторам групп;\n- графики пересдач — в учебную часть.", False, False,
     (("teacher2", 2, "По МДК.01.01 у двух студентов не хватает практических работ, "
                      "назначил консультацию на четверг."),
      ("teacher", 26, ("списки неуспевающих — кураторам групп;",
                       "Отправил кураторам списки по своим дисциплинам.")))),
    (1, 14, "Фонды оценочных средств: единая форма",
     "Предлагаю обсудить единую форму ФОС для всех ПЦК. Образец приложу после обсуждения; "
     "жду предложений по структуре.", False, False,
     (("head", 4, "Предлагаю взять за основу форму ПЦК информационных технологий: паспорт, "
                  "критерии оценки, комплект заданий."),
      ("teacher", 30, "Поддерживаю. Важно, чтобы критерии были одинаковыми для экзамена и "
                      "дифференцированного зачёта."))),
    (1, 30, "Открытые занятия в ноябре", "График открытых занятий утверждён, тема закрыта.",
     False, True, (("teacher2", 6, "Записался на 18 ноября, МДК.02.01."),)),
    (2, 5, "Классные часы по профилактике правонарушений",
     "Коллеги-кураторы, до пятницы проведите классные часы по профилактике правонарушений и "
     "отметьте это в плане воспитательной работы.", False, False,
     (("curator", 7, "Провели во вторник, приглашали инспектора ПДН."),)),
)


def _at(day: date, hour: int) -> datetime:
    local = datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
    return local.astimezone(UTC)


def _people(college) -> dict[str, object]:
    staff = college.made.get("staff") or {}
    teachers = college.made.get("teachers") or []
    curators = list((college.made.get("curators") or {}).values())
    plain = [t for t in teachers if t not in curators and not t.has_role(Role.COMMISSION_HEAD)]
    found = {"director": (staff.get(Role.DIRECTOR) or [None])[0],
             "deputy": (staff.get(Role.DEPUTY) or [None])[0],
             "head": (staff.get(Role.COMMISSION_HEAD) or [None])[0],
             "curator": curators[0] if curators else None,
             "teacher": plain[0] if plain else None,
             "teacher2": plain[1] if len(plain) > 1 else None}
    return {key: user for key, user in found.items() if user is not None}


def make_forum(college) -> None:
    people = _people(college)
    director = people.get("director")
    if director is None:
        return
    sections = [services.create_section(director, title, description)
                for title, description in SECTIONS]
    for index, ago, title, body, pinned, closed, replies in TOPICS:
        start = _at(college.today - timedelta(days=ago), 9)
        topic = services.open_topic(director, sections[index], title, body, at=start)
        for who, hours, text in replies:
            author = people.get(who)
            if author is not None:
                if isinstance(text, tuple):
                    text = markup.quote(text[0], director.short_name) + text[1]
                services.reply(author, topic, text, at=start + timedelta(hours=hours),
                               notify=False)
        topic.pinned, topic.closed = pinned, closed
