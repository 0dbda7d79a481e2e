"""Demo conversations: parents and students with teachers and curators, a message to the
administration, a curator's letter to the group's parents, read by some and answered by one;
some answered in time, some late, one still unanswered past its term, two waiting (one due
tomorrow). Written through the services (the address book of their day), without notifications.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from core.calendar.clock import college_zone
from core.extensions import db
from core.people import scope
from core.people.models import Student
from core.people.roles import Role
from plugins.messaging import letters, services
from plugins.messaging.models import Participant, Thread


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant of a college day, as stored (UTC)."""
    from core.models import utcnow

    local = datetime.combine(day, time(hour, minute), tzinfo=college_zone())
    return local.astimezone(utcnow().tzinfo)


def _contact(books: dict, user, kind: str, on: date):
    """Someone of ``kind`` in the user's address book, or ``None`` (each book read once)."""
    key = (user.id, on)
    if key not in books:
        books[key] = scope.address_book(user, on)
    found = [c for c in books[key].contacts if c.kind == kind]
    return found[0] if found else None


def _user(user_id: int):
    from core.people.models import User

    return db.session.get(User, user_id)


def _conversation(author, to: str, subject: str, body: str, at: datetime, on: date) -> Thread:
    return services.start(author, to, subject, body, at=at, notify=False, on=on)


def _reply(author, thread: Thread, body: str, at: datetime) -> None:
    services.mark_read(author, thread, at - timedelta(minutes=20))
    services.reply(author, thread, body, at=at, notify=False)


def make_conversations(college) -> None:
    parents = college.made.get("parent_users") or []
    students = college.made.get("student_users") or []
    if not parents or not students:
        return
    rng = random.Random(2026 + 17)  # its own stream: the other plugins' demo stays as it was
    books: dict[tuple[int, date], scope.AddressBook] = {}
    today = college.today

    def day(ago: int) -> date:
        return today - timedelta(days=ago)

    deputy = college.made["staff"][Role.DEPUTY][0]
    # the curator of the first parent's child: a group whose families have accounts
    home = _contact(books, parents[0], "curator", today)
    if home is None:
        return
    group_id, curator = home.group_id, _user(home.user_id)

    # a parent asks a teacher about a mark; the teacher answers the next day (in time)
    parent = parents[0]
    teacher = _contact(books, parent, "teacher", day(10))
    if teacher is not None:
        child = db.session.get(Student, teacher.student_id)
        thread = _conversation(parent, f"user:{teacher.user_id}", "Оценка за контрольную работу",
                               f"Здравствуйте! {child.first_name} получил(а) «3» за контрольную "
                               f"по дисциплине «{teacher.discipline}». Можно ли исправить "
                               "оценку и когда?", _at(day(10), 19, 40), day(10))
        _reply(_user(teacher.user_id), thread, "Добрый день! Да, исправить можно: приходите "
               "на консультацию во вторник после 4-й пары, тему дам заранее.",
               _at(day(9), 13, 5))
        services.mark_read(parent, thread, _at(day(9), 20, 12))

    # a few parents of the demo (an address book each costs queries: not all of them)
    pool = parents[1:]
    rng.shuffle(pool)
    others = [p for p in pool[:3] if _contact(books, p, "curator", day(9))]
    # parents write to the curator: one answered three days late, one still waiting (3 days)
    if others:
        late_parent = others[0]
        to = _contact(books, late_parent, "curator", day(9))
        thread = _conversation(late_parent, f"user:{to.user_id}", "Пропуски по болезни",
                               "Здравствуйте! Сын болел с понедельника по среду, справку из "
                               "поликлиники принесёт в пятницу. Отметьте, пожалуйста, пропуски "
                               "как уважительные.", _at(day(9), 8, 15), day(9))
        _reply(_user(to.user_id), thread, "Здравствуйте! Справку получила, пропуски отмечены "
               "как по болезни. Извините за долгий ответ.", _at(day(3), 16, 30))
    own_group = sorted({c.user_id for c in scope.family_contacts({group_id}, today, ("parent",))}
                       - {parents[0].id})
    if own_group:
        _conversation(_user(own_group[0]), f"user:{curator.id}", "Родительское собрание",
                      "Добрый день! Можно ли подключиться к собранию онлайн? Я в командировке "
                      "до конца месяца.", _at(today, 8, 50), today)

    # a parent's question left unanswered past its term
    if len(others) > 1:
        unanswered = others[1]
        to = _contact(books, unanswered, "teacher", day(8))
        if to is not None:
            _conversation(unanswered, f"user:{to.user_id}", "Задолженность по лабораторной",
                          "Здравствуйте! Подскажите, пожалуйста, как дочери сдать "
                          f"лабораторную работу по дисциплине «{to.discipline}», пропущенную "
                          "по болезни?", _at(day(8), 18, 0), day(8))

    # the administration, as a role: the deputy director answers in two days
    if len(parents) > 2:
        thread = _conversation(parents[2], "role:administration", "Справка об обучении",
                               "Здравствуйте! Нужна справка об обучении для органов соцзащиты. "
                               "Как её получить?", _at(day(5), 11, 20), day(5))
        _reply(deputy, thread, "Здравствуйте! Справка будет готова в четверг, её можно забрать "
               "в учебной части (каб. 105) с 9:00 до 16:00.", _at(day(3), 10, 0))

    # a student asks a teacher two days ago: due tomorrow, the reminder goes out today
    student = students[0]
    to = _contact(books, student, "teacher", day(2))
    if to is not None:
        _conversation(student, f"user:{to.user_id}", "Вопрос по курсовой работе",
                      "Здравствуйте! Можно ли взять тему курсовой про базы данных для "
                      "библиотеки колледжа?", _at(day(2), 21, 10), day(2))

    # a teacher writes first; the parent answers, the teacher closes the matter
    teacher_side = [p for p in pool[3:5] if _contact(books, p, "teacher", day(6))]
    if teacher_side:
        family = teacher_side[0]
        to = _contact(books, family, "teacher", day(6))
        child = db.session.get(Student, to.student_id)
        thread = _conversation(_user(to.user_id), f"user:{family.id}", "Пропуски занятий",
                               f"Здравствуйте! {child.first_name} пропустил(а) три занятия "
                               f"по дисциплине «{to.discipline}» на этой неделе. Всё ли в "
                               "порядке?", _at(day(6), 15, 0), day(6))
        _reply(family, thread, "Здравствуйте! Были семейные обстоятельства, с понедельника "
               "будет на занятиях. Спасибо, что сообщили.", _at(day(6), 20, 45))
        _reply(_user(to.user_id), thread, "Спасибо за ответ! Задания за пропущенные занятия "
               "— в дневнике.", _at(day(5), 9, 30))

    # the curator's letter to the group's parents: some have read it, one answered
    letter = letters.send(curator, f"group:{group_id}:parents",
                          "Родительское собрание в четверг",
                          "Уважаемые родители! Приглашаю вас на родительское собрание в "
                          "четверг в 18:00, кабинет 204. Повестка: итоги первого семестра, "
                          "практика, экзамены.", at=_at(day(4), 12, 0), notify=False, on=day(4))
    copies = list(db.session.scalars(select(Thread).where(Thread.letter_id == letter.id)
                                     .order_by(Thread.id)))
    recipients = dict(db.session.execute(
        select(Participant.thread_id, Participant.user_id)
        .where(Participant.thread_id.in_([t.id for t in copies]),
               Participant.user_id != curator.id)).all())
    for number, copy in enumerate(copies):
        reader = _user(recipients[copy.id])
        if number % 3 != 2:  # two of three have read it
            services.mark_read(reader, copy, _at(day(4), 18 + number % 4, 10 + number))
        if number == 0:
            _reply(reader, copy, "Спасибо, придём вдвоём.", _at(day(3), 19, 0))
            _reply(curator, copy, "Ждём вас!", _at(day(3), 20, 15))
