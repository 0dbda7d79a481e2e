"""The demo college's journals: disciplines of both specialties, a teaching load for every group
in the current term, the weekly timetable and the lessons up to today with topics and homework.

Adds to ``college.made``: ``"disciplines"`` (code -> Discipline), ``"loads"`` (list of
TeachingLoad) and ``"lessons_by_load"`` (load id -> list of ``api.LessonInfo``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select

from core.calendar.clock import college_zone
from core.calendar.models import AcademicYear, Term
from core.extensions import db
from plugins.journal import api, services
from plugins.journal.models import Discipline, Lesson, LessonHistory, TeachingLoad, TimetableSlot

#: (code, name, kind, commission index, hours per week, specialty code or None for both,
#:  topics in course order)
DISCIPLINES = [
    ("ОУД.01", "Русский язык", "general", 0, 2, None,
     ["Фонетика и орфоэпия", "Лексика и фразеология", "Морфемика и словообразование",
      "Имя существительное", "Имя прилагательное", "Глагол и его формы", "Причастный оборот",
      "Деепричастный оборот", "Сложносочинённое предложение", "Сложноподчинённое предложение",
      "Пунктуация в сложном предложении", "Стили речи"]),
    ("ОУД.04", "Математика", "general", 0, 2, None,
     ["Действительные числа", "Степени и корни", "Логарифмы", "Тригонометрические функции",
      "Производная функции", "Применение производной", "Первообразная и интеграл",
      "Векторы в пространстве", "Многогранники", "Тела вращения", "Элементы комбинаторики",
      "Элементы теории вероятностей"]),
    ("ОГСЭ.03", "Иностранный язык в профессиональной деятельности", "discipline", 0, 2, None,
     ["Профессия и карьера", "Рабочее место", "Деловая переписка", "Техническая документация",
      "Телефонные переговоры", "Презентация продукта", "Совещание", "Инструкции и руководства"]),
    ("ОП.01", "Инженерная графика", "discipline", 1, 2, "15.02.08",
     ["Форматы и основные надписи", "Геометрические построения", "Проекционное черчение",
      "Аксонометрические проекции", "Разрезы и сечения", "Резьбовые соединения",
      "Эскизы деталей", "Сборочный чертёж", "Деталирование сборочного чертежа"]),
    ("МДК.01.01", "Технологические процессы изготовления деталей машин", "mdk", 1, 4,
     "15.02.08",
     ["Точность обработки", "Припуски на обработку", "Выбор заготовки", "Базирование деталей",
      "Обработка валов", "Обработка отверстий", "Обработка зубчатых колёс",
      "Технологический маршрут", "Нормирование операций", "Технологическая документация"]),
    ("ОП.04", "Основы алгоритмизации и программирования", "discipline", 2, 4, "09.02.07",
     ["Понятие алгоритма", "Линейные алгоритмы", "Ветвления", "Циклы с условием",
      "Циклы со счётчиком", "Массивы", "Строки", "Подпрограммы", "Рекурсия", "Файлы",
      "Сортировка и поиск"]),
    ("МДК.01.01", "Разработка программных модулей", "mdk", 2, 4, "09.02.07",
     ["Жизненный цикл ПО", "Модульное программирование", "Объектно-ориентированный подход",
      "Классы и объекты", "Наследование", "Исключения", "Коллекции", "Модульное тестирование",
      "Отладка программ", "Документирование кода"]),
]

#: the kinds of work of each discipline's journals, (code, name) -> WORK_KINDS keys; a load may
#: declare its own (see ``OWN_WORK_KINDS``)
DISCIPLINE_WORK_KINDS = {
    ("ОУД.01", "Русский язык"): "written,control",
    ("ОУД.04", "Математика"): "written,control,practical",
    ("ОГСЭ.03", "Иностранный язык в профессиональной деятельности"): "written,practical",
    ("ОП.01", "Инженерная графика"): "control,practical",
    ("МДК.01.01", "Технологические процессы изготовления деталей машин"):
        "control,laboratory,practical",
    ("ОП.04", "Основы алгоритмизации и программирования"): "written,control,laboratory,practical",
    ("МДК.01.01", "Разработка программных модулей"): "control,laboratory,practical",
}
#: a journal that differs from its discipline: the first group's mathematics has no practical work
OWN_WORK_KINDS = {("ОУД.04", "Математика"): "written,control"}

WORK_CYCLE = ["lecture", "lecture", "practical", "lecture", "laboratory", "practical", "lecture",
              "control"]
HOMEWORK = ["Конспект темы, вопросы 1–5", "Решить задачи № 3–7", "Подготовить сообщение",
            "Выполнить упражнение по образцу", "Повторить материал лекции", ""]


def _current_term(college):
    terms = college.made.get("terms") or []
    for term in terms:
        if term.starts_on <= college.today <= term.ends_on:
            return term
    return terms[0] if terms else None


def make_journals(college) -> None:
    term = _current_term(college)
    groups = college.made.get("groups")
    if term is None or not groups:
        raise RuntimeError("the journal's demo needs the core's demo year, terms and groups")
    rng = college.rng
    commissions = college.made["commissions"]
    by_commission = college.made["commission_teachers"]
    disciplines: dict[tuple[str, str], Discipline] = {}
    for code, name, kind, commission, *_ in DISCIPLINES:
        found = Discipline(code=code, name=name, kind=kind,
                           commission_id=commissions[commission].id,
                           work_kinds=DISCIPLINE_WORK_KINDS.get((code, name), ""))
        db.session.add(found)
        disciplines[(code, name)] = found
    db.session.flush()

    loads: list[TeachingLoad] = []
    lessons_by_load: dict[int, list[api.LessonInfo]] = {}
    weekday_pairs: dict[int, set[tuple[int, int]]] = {}
    alternated = False
    for group in groups:
        busy = weekday_pairs.setdefault(group.id, set())
        for code, name, _kind, commission, per_week, specialty, topics in DISCIPLINES:
            if specialty is not None and group.specialty.code != specialty:
                continue
            teachers = by_commission[commissions[commission].id]
            teacher = teachers[(group.id + len(topics)) % len(teachers)]
            load = TeachingLoad(teacher_id=teacher.id, group_id=group.id,
                                discipline_id=disciplines[(code, name)].id, term_id=term.id,
                                hours_per_week=per_week, hours_total=per_week * 17,
                                work_kinds=OWN_WORK_KINDS.get((code, name))
                                if group is groups[0] else None)
            db.session.add(load)
            db.session.flush()
            loads.append(load)
            for _ in range(per_week // 2):  # a pair is two academic hours
                slot = next((w, p) for w, p in _free_slots(rng) if (w, p) not in busy)
                busy.add(slot)
                db.session.add(TimetableSlot(load_id=load.id, weekday=slot[0], pair_number=slot[1],
                                             hours=2, valid_from=term.starts_on))
            if group is groups[0] and per_week >= 4 and not alternated:
                _alternate(load, busy)
                alternated = True
            db.session.flush()
            info = api.get_load(load.id)
            services.lessons_from_timetable(info, term.starts_on,
                                            min(college.today, term.ends_on))
            _fill_lessons(load.id, topics, rng, college.today)
            lessons_by_load[load.id] = api.lessons(info)
    college.made["disciplines"] = {code: d for (code, _name), d in disciplines.items()}
    college.made["loads"] = loads
    college.made["lessons_by_load"] = lessons_by_load


def _alternate(load: TeachingLoad, busy: set[tuple[int, int]]) -> None:
    """Where the year alternates weeks (BTT 4.1.1), one pair of ``load`` is held at one time in
    a числитель week and at another in a знаменатель week (the same hours a week on average):
    its last weekly slot becomes the числитель's, a free fifth pair the знаменатель's."""
    db.session.flush()
    slot = db.session.scalars(select(TimetableSlot).where(TimetableSlot.load_id == load.id)
                              .order_by(TimetableSlot.id.desc())).first()
    year_alternates = db.session.scalar(select(AcademicYear.alternating_weeks).join(Term).where(
        Term.id == load.term_id))
    if slot is None or not year_alternates:
        return
    weekday = next(w for w in range(1, 6) if (w, 5) not in busy)
    busy.add((weekday, 5))
    slot.week = "A"
    db.session.add(TimetableSlot(load_id=load.id, weekday=weekday, pair_number=5, hours=2,
                                 valid_from=slot.valid_from, week="B"))


def _free_slots(rng) -> list[tuple[int, int]]:
    slots = [(weekday, pair) for weekday in range(1, 6) for pair in range(1, 5)]
    rng.shuffle(slots)
    return slots


def _fill_lessons(load_id: int, topics: list[str], rng, today) -> None:
    """Topics, types of work and homework, as the teacher recorded them on each day; a few of
    the last week's lessons are left unfilled, as happens in a real college."""
    rows = db.session.query(Lesson).filter(Lesson.load_id == load_id).order_by(Lesson.date).all()
    for number, lesson in enumerate(rows):
        if lesson.date > today - timedelta(days=2) and rng.random() < 0.3:
            continue  # not filled yet: the control reports will find it
        topic = topics[number % len(topics)]
        part = number // len(topics) + 1
        lesson.topic = topic if part == 1 else f"{topic} (занятие {part})"
        lesson.work_type = WORK_CYCLE[number % len(WORK_CYCLE)]
        homework = rng.choice(HOMEWORK)
        lesson.homework = homework
        lesson.homework_due = lesson.date + timedelta(days=7) if homework else None
        _date_filling(lesson, today)
    db.session.flush()


def _date_filling(lesson: Lesson, today) -> None:
    """When the lesson was recorded: opened in the morning of its day and filled then, or (about
    one lesson in eight, chosen by its id so the demo's random draws stay as they were) filled
    a day or three later, as its history shows (the usage monitoring counts both)."""
    zone = college_zone()
    lesson.created_at = datetime.combine(lesson.date, time(8, 20), zone).astimezone(UTC)
    late = lesson.id * 7919 % 100 < 12
    filled_on = lesson.date + timedelta(days=1 + lesson.id % 3)
    if late and filled_on <= today:
        db.session.add(LessonHistory(
            lesson_id=lesson.id, changed_by_id=lesson.taught_by_id, field="topic",
            old_value="", new_value=lesson.topic,
            changed_at=datetime.combine(filled_on, time(19, 40), zone).astimezone(UTC)))


# --- the previous academic year, finished ------------------------------------------------------


def make_previous_journals(college) -> None:
    """The previous year's journals, complete: a load of every discipline of the specialty for
    each group that studied then, in both terms, with the same teachers; the weekly timetable of
    each term; and every lesson of it (holidays skipped) with its topic, type and homework.

    Adds to ``college.made``: ``"previous_loads"`` (list of ``api.LoadInfo``) and
    ``"previous_lessons_by_load"`` (load id -> list of ``api.LessonInfo``)."""
    terms = college.made.get("previous_terms")
    groups = college.made.get("previous_groups")
    if not terms or not groups:
        return
    rng = college.rng
    commissions = college.made["commissions"]
    by_commission = college.made["commission_teachers"]
    disciplines = {(d.code, d.name): d for d in db.session.scalars(select(Discipline))}
    made: list[tuple[TeachingLoad, list[str]]] = []
    slots: list[tuple[TeachingLoad, TimetableSlot]] = []
    for group in groups:
        for term in terms:
            busy: set[tuple[int, int]] = set()
            for code, name, _kind, commission, per_week, specialty, topics in DISCIPLINES:
                if specialty is not None and group.specialty.code != specialty:
                    continue
                teachers = by_commission[commissions[commission].id]
                load = TeachingLoad(teacher_id=teachers[(group.id + len(topics)) % len(teachers)].id,
                                    group_id=group.id,
                                    discipline_id=disciplines[(code, name)].id, term_id=term.id,
                                    hours_per_week=per_week, hours_total=per_week * 17)
                for _ in range(per_week // 2):  # a pair is two academic hours
                    slot = next(s for s in _free_slots(rng) if s not in busy)
                    busy.add(slot)
                    slots.append((load, TimetableSlot(weekday=slot[0], pair_number=slot[1],
                                                      hours=2, valid_from=term.starts_on,
                                                      valid_to=term.ends_on)))
                made.append((load, topics))
    db.session.add_all(load for load, _topics in made)
    db.session.flush()
    for load, slot in slots:
        slot.load_id = load.id
    db.session.add_all(slot for _load, slot in slots)
    db.session.flush()
    _previous_lessons(college, made)


def previous_journals(college) -> list[
        tuple[api.LoadInfo, list[api.RosterStudent], list[api.LessonInfo]]]:
    """Last year's journals as ``make_previous_journals`` made them, for the other plugins'
    demo data: each load with its roster and its lessons by date; none when the demo has no
    previous year."""
    lessons = college.made.get("previous_lessons_by_load", {})
    return [(load, api.roster(load), lessons[load.id])
            for load in college.made.get("previous_loads") or []]


def _previous_lessons(college, made: list[tuple[TeachingLoad, list[str]]]) -> None:
    """Every timetabled lesson of the loads (one bulk insert), recorded in full: a finished
    year's journal has no lesson without its topic."""
    year = college.made["previous_year"]
    holidays = [(h.starts_on, h.ends_on) for h in year.holidays]
    infos = api.loads(TeachingLoad.id.in_([load.id for load, _t in made]))
    planned = services.timetable_of(infos, year.starts_on, year.ends_on)
    rows: list[dict] = []
    numbers: dict[tuple[int, int], int] = {}  # (group, discipline) -> lessons so far this year
    for load, topics in sorted(made, key=lambda m: (m[0].term_id, m[0].id)):
        for day, pair, hours in planned[load.id]:
            if any(first <= day <= last for first, last in holidays):
                continue
            key = (load.group_id, load.discipline_id)
            number = numbers.get(key, 0)
            numbers[key] = number + 1
            topic, part = topics[number % len(topics)], number // len(topics) + 1
            homework = college.rng.choice(HOMEWORK)
            rows.append({
                "load_id": load.id, "date": day, "pair_number": pair, "hours": hours,
                "topic": topic if part == 1 else f"{topic} (занятие {part})",
                "work_type": WORK_CYCLE[number % len(WORK_CYCLE)], "homework": homework,
                "homework_due": day + timedelta(days=7) if homework else None,
                "taught_by_id": load.teacher_id, "version": 1,
                "created_at": datetime.combine(day, time(9, 0), tzinfo=UTC)})
    if rows:
        db.session.execute(insert(Lesson.__table__), rows)
    lessons_by_load: dict[int, list[api.LessonInfo]] = {info.id: [] for info in infos}
    for lesson in api.lessons_of(set(lessons_by_load), year.starts_on, year.ends_on):
        lessons_by_load[lesson.load_id].append(lesson)
    college.made["previous_loads"] = infos
    college.made["previous_lessons_by_load"] = lessons_by_load
