"""The demo college's people and calendar, made through the ``demo_data`` hook.

Deterministic from ``college.rng``; the academic year is the one containing ``college.today``
(1 September – 30 June, two semesters around the winter holidays). Every demo account has the
password ``DEMO_PASSWORD``, hashed once per load.

What later plugins find in ``college.made``:

- ``"year"``: the current ``AcademicYear``; ``"terms"``: its ``Term`` list (1 and 2 semester);
- ``"departments"``: list of ``Department``; ``"specialties"``: list of ``Specialty``;
- ``"groups"``: list of ``Group`` (8: two specialties × courses 1–4, ordered by specialty, course);
- ``"students_by_group"``: group id -> list of ``Student`` of that group (ordered by name);
- ``"subgroups"``: group id -> list of ``Subgroup`` (for the groups that are split);
- ``"teachers"``: list of ``User`` with the teacher role (curators and commission heads included);
- ``"curators"``: group id -> ``User`` (the group's curator, also a teacher);
- ``"commissions"``: list of ``SubjectCommission``; ``"commission_teachers"``: commission id ->
  list of ``User`` teaching its disciplines (the head first);
- ``"staff"``: ``Role`` -> list of ``User`` for every staff role;
- ``"guardians"``: list of ``Guardian``;
- ``"student_users"`` / ``"parent_users"``: the students and parents who have an account.

The previous academic year, finished (``_make_previous_year``):

- ``"previous_year"``: its ``AcademicYear``; ``"previous_terms"``: its two ``Term``;
- ``"previous_groups"``: the ``Group`` list that studied in it (the current courses 2–4 and
  the graduated groups), by specialty and course; ``"previous_courses"``: group id -> its
  course in that year;
- ``"graduated_groups"``: the groups graduated at its end; ``"graduates_by_group"``: group
  id -> their students (graduated, by name).
"""

from __future__ import annotations

from datetime import date, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from core.auth.passwords import hash_password
from core.calendar.models import AcademicYear, Bell, Holiday, ShortDay, Term
from core.calendar.years import academic_start_year
from core.extensions import db
from core.people.accounts import login_base, transliterate
from core.people.groups import course_in, graduate_groups
from core.people.models import (
    Department,
    Group,
    GroupMembership,
    Guardian,
    Movement,
    RoleAssignment,
    Specialty,
    Student,
    StudentGuardian,
    Subgroup,
    SubgroupMembership,
    SubjectCommission,
    User,
)
from core.people.names import (
    ADULT_FEMALE_NAMES,
    ADULT_MALE_NAMES,
    EMAIL_DOMAINS,
    MALE_NAMES,
    SURNAMES,
    YOUNG_FEMALE_NAMES,
    YOUNG_MALE_NAMES,
    female_surname,
)
from core.people.roles import ROLE_SCOPE, Role, ScopeKind, role_title

DEMO_PASSWORD = "demo2026"
STAFF_MAIL = "spo-demo.ru"

#: (code, name, group prefix, department)
SPECIALTIES = [
    ("15.02.08", "Технология машиностроения", "ТМ", "Механическое отделение"),
    ("09.02.07", "Информационные системы и программирование", "ИСП",
     "Отделение информационных технологий"),
]
COMMISSIONS = [
    "ПЦК общеобразовательных и социально-гуманитарных дисциплин",
    "ПЦК машиностроения и технической механики",
    "ПЦК информатики и программирования",
]
GROUP_SIZES = [26, 25, 24, 25, 27, 26, 24, 23]  # 200 students over the 8 groups
GRADUATE_SIZES = [22, 21]  # last year's graduates of the two specialties
SIBLING_FAMILIES = 10
TWO_PARENT_FAMILIES = 22
ONE_PARENT_FAMILIES = 106  # with the two-parent ones: 150 parents


def demo_password_hash() -> str:
    """The demo password's hash, computed once per app (argon2 is slow on purpose)."""
    cache = current_app.extensions.setdefault("ejournal.demo", {})
    if "hash" not in cache:
        cache["hash"] = hash_password(DEMO_PASSWORD)
    return cache["hash"]


def make_user(login: str, last: str, first: str, middle: str | None, *roles: Role,
              password: str = DEMO_PASSWORD, scope_id: int | None = None,
              email: str | None = None, phone: str | None = None) -> User:
    """A user holding ``roles`` (each with its usual scope kind and ``scope_id``)."""
    password_hash = demo_password_hash() if password == DEMO_PASSWORD else hash_password(password)
    user = User(login=login, last_name=last, first_name=first, middle_name=middle,
                password_hash=password_hash, email=email, phone=phone)
    for role in roles:
        user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role], scope_id=scope_id))
    db.session.add(user)
    return user


def add_role(user: User, role: Role, scope_id: int | None = None) -> None:
    user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role], scope_id=scope_id))


class _People:
    """Draws names, unique logins, phones and e-mail addresses from the college's random source."""

    def __init__(self, rng):
        self.rng = rng
        self.logins: set[str] = set()
        self.phones: set[str] = set()
        self.emails: set[str] = set()

    def login(self, last: str, first: str, middle: str | None) -> str:
        base, n = login_base(last, first, middle), 1
        candidate = base
        while candidate in self.logins:
            n += 1
            candidate = f"{base}{n}"
        self.logins.add(candidate)
        return candidate

    def phone(self) -> str:
        while True:
            phone = f"+79{self.rng.choice('012356789')}{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def email(self, last: str, first: str, birth_year: int | None = None) -> str:
        local = f"{transliterate(first)}.{transliterate(last)}"
        candidate = local
        while True:
            if birth_year and self.rng.random() < 0.5:
                candidate = f"{candidate}{birth_year % 100:02d}"
            address = f"{candidate}@{self.rng.choice(EMAIL_DOMAINS)}"
            if address not in self.emails:
                self.emails.add(address)
                return address
            candidate = f"{local}{self.rng.randrange(2, 99)}"

    def adult(self, female: bool, surname: str | None = None) -> tuple[str, str, str]:
        last = surname or self.rng.choice(SURNAMES)
        father = self.rng.choice(ADULT_MALE_NAMES)
        if female:
            return female_surname(last), self.rng.choice(ADULT_FEMALE_NAMES), MALE_NAMES[father][1]
        return last, self.rng.choice(ADULT_MALE_NAMES), MALE_NAMES[father][0]


def make_people(college) -> None:
    """Calendar, departments, specialties, staff, groups, students and parents of the demo."""
    rng = college.rng
    people = _People(rng)
    year, terms = _make_year(college.today)
    college.made.update(year=year, terms=terms)
    staff, teachers, commissions, commission_teachers, person = _make_staff(college, people)
    departments, specialties, groups = _make_groups(year)
    for female, department in zip((True, False), departments, strict=True):
        person(female, Role.SUPERVISOR, scope_id=department.id)  # заведующий отделением
    curators = _assign_curators(rng, groups, teachers, commissions)
    db.session.flush()
    for group in groups:
        add_role(curators[group.id], Role.CURATOR, group.id)
    staff[Role.CURATOR] = [curators[g.id] for g in groups]
    students_by_group, families = _make_students(rng, people, groups, year)
    guardians = _make_guardians(rng, people, families)
    subgroups = _split_groups(rng, groups, students_by_group, terms[0].starts_on)
    student_users, parent_users = _make_family_accounts(people, groups, students_by_group)
    _name_the_college(staff[Role.DIRECTOR][0])
    db.session.flush()
    college.made.update(
        departments=departments, specialties=specialties, groups=groups,
        students_by_group=students_by_group, subgroups=subgroups, teachers=teachers,
        curators=curators, commissions=commissions, commission_teachers=commission_teachers,
        staff=staff, guardians=guardians, student_users=student_users, parent_users=parent_users,
    )
    _record_appointments(college)
    _propose_family_changes(college)
    first_curator = curators[groups[0].id]
    plain_teacher = next(t for t in teachers if t not in curators.values()
                         and not t.has_role(Role.COMMISSION_HEAD))
    with db.session.no_autoflush:  # the families were flushed above; what came since waits
        children = dict(db.session.execute(select(StudentGuardian.guardian_id, func.count())
                                           .group_by(StudentGuardian.guardian_id)).all())
    of_two = next((guardian for guardian in guardians if guardian.user is not None
                   and children.get(guardian.id, 0) > 1), None)  # the diary's child switcher shows
    examples = [
        (Role.ADMIN, staff[Role.ADMIN][0]), (Role.DIRECTOR, staff[Role.DIRECTOR][0]),
        (Role.DEPUTY, staff[Role.DEPUTY][0]), (Role.METHODIST, staff[Role.METHODIST][0]),
        (Role.SUPERVISOR, staff[Role.SUPERVISOR][0]),
        (Role.COMMISSION_HEAD, staff[Role.COMMISSION_HEAD][0]),
        (Role.CURATOR, first_curator), (Role.TEACHER, plain_teacher),
        (Role.STUDENT, student_users[0]), (Role.PARENT, parent_users[0]),
    ]
    if of_two is not None and of_two.user is not parent_users[0]:
        examples.append((Role.PARENT, of_two.user))
    for role, user in examples:
        title = role_title(role)
        if role == Role.CURATOR:
            title = f"{title} {groups[0].name}"
        if role == Role.PARENT and of_two is not None and user is of_two.user:
            title = f"{title} (детей: {children[of_two.id]})"
        college.add_login(title, user.login, DEMO_PASSWORD)
    _make_previous_year(college, people)


def _record_appointments(college) -> None:
    """The orders of 31 August putting the staff in their roles (BTT 4.7.2: by the director;
    where the policy says so, entered by the administrator), and an
    earlier one that ended: the roles are held from the order's day (undated if the demo is
    loaded for a day still to come)."""
    from datetime import datetime, time, timedelta

    from core.calendar.clock import college_today, college_zone
    from core.people.appointments import appointer_role
    from core.people.models import Appointment

    year, staff = college.made["year"], college.made["staff"]
    signer = staff[appointer_role()][0]  # the director in BTT, the administrator in KTIS
    day = year.starts_on - timedelta(days=1)
    signed = datetime.combine(day, time(10, 0), tzinfo=college_zone())
    number = iter(range(101, 200))

    def put(user, role, scope_id=None, starts_on=day, ends_on=None, note=""):
        held = next((a for a in user.roles if a.role == role and a.scope_id == scope_id), None)
        if held is not None and starts_on <= college_today():  # a demo dated ahead keeps it
            held.starts_on, held.ends_on = starts_on, ends_on
        db.session.add(Appointment(
            user_id=user.id, role=str(role), scope_kind=str(ROLE_SCOPE[role]), scope_id=scope_id,
            starts_on=starts_on, ends_on=ends_on, order_no=f"{next(number)}-к", note=note,
            created_by_id=signer.id, created_at=signed))

    for role in (Role.DEPUTY, Role.METHODIST):
        put(staff[role][0], role)
    for supervisor in staff[Role.SUPERVISOR]:
        put(supervisor, Role.SUPERVISOR, next(
            a.scope_id for a in supervisor.roles if a.role == Role.SUPERVISOR))
    for head in staff[Role.COMMISSION_HEAD]:
        scope_id = next(a.scope_id for a in head.roles if a.role == Role.COMMISSION_HEAD)
        put(head, Role.COMMISSION_HEAD, scope_id)
    for group in college.made["groups"][:4]:
        put(college.made["curators"][group.id], Role.CURATOR, group.id)
    substitute = next(t for t in college.made["teachers"]
                      if not any(a.role != Role.TEACHER for a in t.roles))
    spring = year.starts_on.replace(year=year.starts_on.year - 1) + timedelta(days=200)
    put(substitute, Role.METHODIST, starts_on=spring, ends_on=spring + timedelta(days=27),
        note="на время отпуска заведующей учебно-методической службой")


def _propose_family_changes(college) -> None:
    """Where the administrator keeps the parents' data (KTIS 3.12), the first group's curator
    has proposed two changes after the monthly check."""
    from core.people.models import FamilyChange
    from core.policy import policy_value

    if policy_value("people.contact_editor") != "administrator":
        return
    group = college.made["groups"][0]
    curator = college.made["curators"][group.id]
    students = college.made["students_by_group"][group.id]
    first = next(s for s in students if s.guardians)
    guardian = first.guardians[0]
    db.session.add_all([
        FamilyChange(group_id=group.id, student_id=first.id, guardian_id=guardian.id,
                     kind="edit", proposed_by_id=curator.id, reason="сменила номер телефона",
                     data={"last_name": guardian.last_name, "first_name": guardian.first_name,
                           "middle_name": guardian.middle_name, "relation": "мать",
                           "phone": "+79135550101", "email": guardian.email}),
        FamilyChange(group_id=group.id, student_id=students[-1].id, kind="add",
                     proposed_by_id=curator.id, reason="",
                     data={"last_name": students[-1].last_name, "first_name": "Андрей",
                           "middle_name": "Петрович", "relation": "отец",
                           "phone": "+79135550102", "email": None}),
    ])


def _make_previous_year(college, people: _People) -> None:
    """The academic year before the current one, finished whatever today is: the groups of
    courses 2–4 studied in it one course lower, and the two groups of its 4th course graduated
    on its last day by the graduation order, as the year opening does (their curators keep the
    group for the statements' signatures but no longer hold the curator's role)."""
    current = college.made["year"]
    start = current.starts_on.year - 1
    year, terms = _academic_year(start, current=False)
    db.session.flush()
    curators = set(college.made["curators"].values())
    free = [t for t in college.made["teachers"]
            if t not in curators and not t.has_role(Role.COMMISSION_HEAD)]
    graduated = []
    for (_code, _name, prefix, _dep), specialty, curator in zip(
            SPECIALTIES, college.made["specialties"], college.rng.sample(free, len(SPECIALTIES)),
            strict=True):
        admitted = start - (specialty.courses - 1)
        graduated.append(Group(name=f"{prefix}-{admitted % 100:02d}", specialty=specialty,
                               course=specialty.courses, form_of_study="очная", year=year,
                               admission_year=admitted, curator=curator))
    db.session.add_all(graduated)
    db.session.flush()
    graduates, _families = _make_students(college.rng, people, graduated, year,
                                          sizes=GRADUATE_SIZES, sibling_families=0)
    db.session.flush()
    graduate_groups(graduated, year.ends_on, f"№ 96-к от {year.ends_on:%d.%m.%Y}", actor=None)
    promoted = [g for g in college.made["groups"] if g.admission_year <= start]
    studied = sorted([*promoted, *graduated],
                     key=lambda g: (g.specialty_id, course_in(g, year), g.name))
    college.made.update(
        previous_year=year, previous_terms=terms, previous_groups=studied,
        previous_courses={g.id: course_in(g, year) for g in studied},
        graduated_groups=graduated, graduates_by_group=graduates,
    )


def _name_the_college(director: User) -> None:
    """The names printed on statements and the journal's title page."""
    from core import settings

    settings.put("college.name", "ГБПОУ «Демонстрационный технический колледж»")
    settings.put("college.director", director.short_name)
    settings.put("college.address", "г. Приморск, ул. Учебная, д. 1")


def _make_year(today: date) -> tuple[AcademicYear, list[Term]]:
    year, terms = _academic_year(academic_start_year(today), current=True)
    # a shortened day in the week the demo opens on (its Friday), for the diary and the journal
    friday = today - timedelta(days=today.weekday()) + timedelta(days=4)
    if year.starts_on <= friday <= year.ends_on and friday not in {
            d.on_date for d in year.short_days}:
        year.short_days.append(ShortDay(on_date=friday, title="День самоуправления"))
    return year, terms


#: the demo college's bells (BTT 4.1.1): six pairs with a long break after the second, and the
#: shortened schedule of pre-holiday days (pairs of 70 minutes)
DEMO_BELLS = [((8, 30), (10, 0)), ((10, 10), (11, 40)), ((12, 20), (13, 50)),
              ((14, 0), (15, 30)), ((15, 40), (17, 10)), ((17, 20), (18, 50))]
DEMO_SHORT_BELLS = [((8, 30), (9, 40)), ((9, 50), (11, 0)), ((11, 30), (12, 40)),
                    ((12, 50), (14, 0)), ((14, 10), (15, 20)), ((15, 30), (16, 40))]


def _working_mode(year: AcademicYear, start: int) -> None:
    """A five-day week whose timetable alternates числитель and знаменатель, the bells, and the
    shortened day before the winter holidays."""
    year.week_days, year.alternating_weeks = 5, True
    for short, bells in ((False, DEMO_BELLS), (True, DEMO_SHORT_BELLS)):
        for number, (starts, ends) in enumerate(bells, start=1):
            year.bells.append(Bell(short=short, pair_number=number, starts_at=time(*starts),
                                   ends_at=time(*ends)))
    eve = date(start, 12, 28)
    while eve.isoweekday() > 5:
        eve -= timedelta(days=1)
    year.short_days.append(ShortDay(on_date=eve, title="Предпраздничный день"))


def _academic_year(start: int, current: bool) -> tuple[AcademicYear, list[Term]]:
    """The academic year beginning in September of ``start``: two semesters around the winter
    holidays and the November holiday."""
    year = AcademicYear(title=f"{start}/{start + 1}", starts_on=date(start, 9, 1),
                        ends_on=date(start + 1, 6, 30), is_current=current)
    year.terms = [
        Term(number=1, title="1 семестр", starts_on=date(start, 9, 1), ends_on=date(start, 12, 28)),
        Term(number=2, title="2 семестр", starts_on=date(start + 1, 1, 12),
             ends_on=date(start + 1, 6, 30)),
    ]
    year.holidays = [
        Holiday(title="Зимние каникулы", starts_on=date(start, 12, 29), ends_on=date(start + 1, 1, 11)),
        Holiday(title="Праздничные дни", starts_on=date(start, 11, 4), ends_on=date(start, 11, 4)),
    ]
    _working_mode(year, start)
    db.session.add(year)
    return year, list(year.terms)


def _make_staff(college, people: _People):
    rng = college.rng
    staff: dict[Role, list[User]] = {role: [] for role in Role if role not in (Role.STUDENT, Role.PARENT)}

    def person(female: bool, *roles: Role, login: str | None = None, scope_id=None) -> User:
        last, first, middle = people.adult(female)
        if login is None:
            login = people.login(last, first, middle)
        else:
            people.logins.add(login)
        user = make_user(login, last, first, middle, *roles, scope_id=scope_id,
                         email=f"{login.replace('.', '_')}@{STAFF_MAIL}", phone=people.phone())
        for role in roles:
            staff[role].append(user)
        return user

    person(True, Role.ADMIN, login="admin")
    person(False, Role.DIRECTOR, login="director")
    person(True, Role.DEPUTY, login="deputy")
    person(True, Role.METHODIST, login="methodist")
    commissions = [SubjectCommission(name=name) for name in COMMISSIONS]
    db.session.add_all(commissions)
    db.session.flush()
    teachers: list[User] = []
    commission_teachers: dict[int, list[User]] = {}
    for commission in commissions:
        head = person(rng.random() < 0.6, Role.TEACHER)
        add_role(head, Role.COMMISSION_HEAD, commission.id)
        staff[Role.COMMISSION_HEAD].append(head)
        teachers.append(head)
        commission_teachers[commission.id] = [head]
    for n in range(21):
        teacher = person(rng.random() < 0.65, Role.TEACHER)
        teachers.append(teacher)
        commission_teachers[commissions[n % len(commissions)].id].append(teacher)
    db.session.flush()
    for commission in commissions:
        commission.head_id = commission_teachers[commission.id][0].id
    return staff, teachers, commissions, commission_teachers, person


def _make_groups(year: AcademicYear):
    departments, specialties, groups = [], [], []
    start = year.starts_on.year
    for code, name, prefix, department_name in SPECIALTIES:
        department = Department(name=department_name)
        specialty = Specialty(code=code, name=name, department=department, courses=4)
        db.session.add_all([department, specialty])
        departments.append(department)
        specialties.append(specialty)
        for course in range(1, 5):
            admitted = start - (course - 1)
            groups.append(Group(name=f"{prefix}-{admitted % 100:02d}", specialty=specialty,
                                course=course, form_of_study="очная", year=year,
                                admission_year=admitted))
    db.session.add_all(groups)
    db.session.flush()
    return departments, specialties, groups


def _assign_curators(rng, groups, teachers, commissions) -> dict[int, User]:
    """Curators are teachers who are not commission heads; one group each."""
    candidates = [t for t in teachers if not any(a.role == Role.COMMISSION_HEAD for a in t.roles)]
    chosen = rng.sample(candidates, len(groups))
    curators = {}
    for group, curator in zip(groups, chosen, strict=True):
        group.curator = curator
        curators[group.id] = curator
    return curators


def _make_students(rng, people: _People, groups: list[Group], year: AcademicYear,
                   sizes: list[int] = GROUP_SIZES, sibling_families: int = SIBLING_FAMILIES):
    """Students in families: some families have two children here (in groups of other courses)."""
    slots = [(group, n) for group, size in zip(groups, sizes, strict=True) for n in range(size)]
    rng.shuffle(slots)
    families: list[dict] = []
    used = [False] * len(slots)
    # sibling families first: the second child is in a group of another course
    for i in range(len(slots)):
        if len(families) >= sibling_families:
            break
        if used[i]:
            continue
        for j in range(i + 1, len(slots)):
            if not used[j] and abs(slots[j][0].course - slots[i][0].course) >= 1:
                used[i] = used[j] = True
                families.append({"slots": [slots[i], slots[j]]})
                break
    families += [{"slots": [slot]} for k, slot in enumerate(slots) if not used[k]]
    students_by_group: dict[int, list[Student]] = {g.id: [] for g in groups}
    counters = {g.id: 0 for g in groups}
    for family in families:
        surname = rng.choice(SURNAMES)
        father_first = rng.choice(ADULT_MALE_NAMES)
        family.update(surname=surname, father_first=father_first, children=[])
        for group, _n in family["slots"]:
            female = rng.random() < (0.25 if group.specialty.code == "15.02.08" else 0.4)
            first = rng.choice(YOUNG_FEMALE_NAMES if female else YOUNG_MALE_NAMES)
            last = female_surname(surname) if female else surname
            middle = MALE_NAMES[father_first][1 if female else 0]
            # a student starts at 15–16 after the 9th grade, one year older each course
            born_from = date(group.admission_year - 16, 9, 1)
            birth = born_from + timedelta(days=rng.randrange(365))
            counters[group.id] += 1
            prefix = group.name.split("-")[0]
            student = Student(
                record_book_no=f"{prefix}-{group.admission_year % 100:02d}-{counters[group.id]:03d}",
                last_name=last, first_name=first, middle_name=middle, birth_date=birth,
                email=people.email(last, first, birth.year) if rng.random() < 0.7 else None,
                phone=people.phone() if rng.random() < 0.9 else None,
            )
            db.session.add(student)
            family["children"].append(student)
            students_by_group[group.id].append(student)
    db.session.flush()
    for group in groups:
        students_by_group[group.id].sort(key=lambda s: (s.last_name, s.first_name))
        admitted_on = date(group.admission_year, 9, 1)
        order = f"№ {100 + group.id * 7}-к от 25.08.{group.admission_year}"
        for student in students_by_group[group.id]:
            db.session.add(GroupMembership(student_id=student.id, group_id=group.id,
                                           joined_on=admitted_on))
            db.session.add(Movement(student_id=student.id, kind="admitted", on_date=admitted_on,
                                    order_no=order, to_group_id=group.id))
    return students_by_group, families


def _make_guardians(rng, people: _People, families: list[dict]) -> list[Guardian]:
    """150 parents; a few with missing or malformed contacts for the curator's monthly check."""
    order = list(range(len(families)))
    rng.shuffle(order)
    two = set(order[:TWO_PARENT_FAMILIES])
    one = set(order[TWO_PARENT_FAMILIES:TWO_PARENT_FAMILIES + ONE_PARENT_FAMILIES])
    guardians: list[Guardian] = []
    links: list[tuple[Student, Guardian, str]] = []
    for index, family in enumerate(families):
        if index not in two and index not in one:
            continue
        surname = family["surname"]
        mother_last, mother_first, mother_middle = people.adult(True, surname)
        parents = []
        if index in two or rng.random() < 0.82:
            parents.append(("мать", mother_last, mother_first, mother_middle))
        if index in two or not parents:
            father_middle = MALE_NAMES[rng.choice(ADULT_MALE_NAMES)][0]
            parents.append(("отец", surname, family["father_first"], father_middle))
        for relation, last, first, middle in parents:
            guardian = Guardian(last_name=last, first_name=first, middle_name=middle,
                                email=people.email(last, first), phone=people.phone())
            guardians.append(guardian)
            for child in family["children"]:
                links.append((child, guardian, relation))
    # doubtful contacts for the data check: missing phone, missing e-mail, malformed ones
    for guardian in guardians[5:11]:
        guardian.phone = None
    for guardian in guardians[20:25]:
        guardian.email = None
    for guardian in guardians[40:44]:
        guardian.email = guardian.email.replace("@", "@@") if guardian.email else None
    for guardian in guardians[60:63]:
        guardian.phone = guardian.phone[:8] if guardian.phone else None
    guardians[80].email, guardians[80].phone = None, None
    db.session.add_all(guardians)
    db.session.flush()
    db.session.add_all(StudentGuardian(student_id=child.id, guardian_id=guardian.id, relation=relation)
                       for child, guardian, relation in links)
    return guardians


def _split_groups(rng, groups, students_by_group, from_date: date) -> dict[int, list[Subgroup]]:
    """The two IT groups of courses 1 and 2 learn a foreign language in two subgroups."""
    subgroups: dict[int, list[Subgroup]] = {}
    for group in groups:
        if not group.name.startswith("ИСП") or group.course > 2:
            continue
        parts = [Subgroup(group_id=group.id, label="Иностранный язык", number=n) for n in (1, 2)]
        db.session.add_all(parts)
        db.session.flush()
        members = students_by_group[group.id]
        half = (len(members) + 1) // 2
        for position, student in enumerate(members):
            db.session.add(SubgroupMembership(student_id=student.id,
                                              subgroup_id=parts[0 if position < half else 1].id,
                                              from_date=from_date))
        subgroups[group.id] = parts
    return subgroups


def _make_family_accounts(people: _People, groups, students_by_group):
    """Accounts for the students of three groups and for their parents with a valid e-mail."""
    chosen = [g for g in groups if (g.name.startswith("ИСП") and g.course <= 2)
              or (g.name.startswith("ТМ") and g.course == 2)]
    student_users, parent_users = [], []
    seen_guardians: set[int] = set()
    for group in chosen:
        for student in students_by_group[group.id]:
            user = _family_user(people, student, Role.STUDENT, ScopeKind.SELF)
            student.user = user
            student_users.append(user)
            for guardian in student.guardians:
                if guardian.id in seen_guardians or not guardian.email or "@@" in guardian.email:
                    continue
                seen_guardians.add(guardian.id)
                guardian.user = _family_user(people, guardian, Role.PARENT, ScopeKind.CHILD)
                parent_users.append(guardian.user)
    return student_users, parent_users


def _family_user(people: _People, person, role: Role, scope: ScopeKind) -> User:
    user = User(login=people.login(person.last_name, person.first_name, person.middle_name),
                last_name=person.last_name, first_name=person.first_name,
                middle_name=person.middle_name, email=person.email, phone=person.phone,
                password_hash=demo_password_hash())
    user.roles.append(RoleAssignment(role=role, scope_kind=scope, scope_id=None))
    db.session.add(user)
    return user
