"""Import of students and parents from CSV or XLSX: read, check every row, preview, apply.

The flow: ``read_table`` turns the uploaded bytes into header + rows (or a Russian reason why it
cannot); ``plan_import`` checks every value against the database and says what will be created,
updated or left unchanged (``ImportPlan``, with a row-level report of problems); ``apply_plan``
writes a plan without problems in the caller's transaction. Nothing is written while any row
has a problem: the import is all or nothing.

Stable keys: a student is the same student when the record-book number is the same; a parent is
the same parent by e-mail, else by phone, else by full name together with the child.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from xml.parsers import expat

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import func, select

from core import audit
from core.exports import plain_cell
from core.extensions import db
from core.people import xlsx_guard
from core.people.models import (
    Group,
    GroupMembership,
    Guardian,
    Movement,
    Student,
    StudentGuardian,
    full_name,
)

if TYPE_CHECKING:
    from core.people.models import User

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: the template has 20 columns; a value further right is refused, not silently dropped
MAX_COLUMNS = 30
#: cells of a sheet, empty ones with formatting included (a full 5,000 x 30 table fits)
MAX_CELLS = 150_000
#: an XLSX unpacked (a zip bomb is small packed)
MAX_UNPACKED = 40 * 1024 * 1024
CHUNK = 500  # values per IN (...) query, well under every database's limit

#: (key, header, required), in the order of the downloadable template; the headers are part
#: of the file format (Russian, whatever the interface language), so they are not translated
COLUMNS: list[tuple[str, str, bool]] = [
    ("group", "Группа", True),
    ("record_book_no", "Номер зачётной книжки", True),
    ("last_name", "Фамилия", True),
    ("first_name", "Имя", True),
    ("middle_name", "Отчество", False),
    ("birth_date", "Дата рождения", False),
    ("email", "E-mail обучающегося", False),
    ("phone", "Телефон обучающегося", False),
]
PARENT_FIELDS = [
    ("last_name", "Фамилия"), ("first_name", "Имя"), ("middle_name", "Отчество"),
    ("email", "E-mail"), ("phone", "Телефон"), ("relation", "Кем приходится"),
]
for _n in (1, 2):
    for _key, _title in PARENT_FIELDS:
        COLUMNS.append((f"p{_n}_{_key}", f"Родитель {_n}: {_title}", False))

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_RE = re.compile(r"^[А-Яа-яЁёA-Za-z][А-Яа-яЁёA-Za-z' .\-]*$")
STUDENT_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "email", "phone")
GUARDIAN_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is Russian, for the user."""


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "").replace("\ufeff", "").strip().lower().replace("ё", "е"))


def header_keys() -> dict[str, str]:
    """Normalised Russian header -> column key."""
    return {_norm_header(str(title)): key for key, title, _required in COLUMNS}


def template_header() -> list[str]:
    return [str(title) for _key, title, _required in COLUMNS]


# --- reading ----------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (UTF-8, with or without BOM; ``;`` or ``,``) or XLSX file."""
    rows = read_rows(data, filename)
    if len(rows) == 1:
        raise ImportFileError(_("В файле только заголовок, строк с обучающимися нет."))
    return rows[0], rows[1:]


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The non-empty rows (header first) of a CSV or XLSX file within this module's limits,
    each cell plain text; ``ImportFileError`` with a Russian reason if it cannot be read."""
    if not data:
        raise ImportFileError(_("Файл пустой."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Файл больше 5 МБ: разделите его на части."))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or not name:
        rows = _read_csv(data)
    else:
        raise ImportFileError(_("Неподдерживаемый тип файла: загрузите CSV или XLSX."))
    if not rows:
        raise ImportFileError(_("Файл пустой."))
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(_("Файл в кодировке UTF-16: сохраните его как «CSV UTF-8»."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8».")) from None
    if "\x00" in text:
        raise ImportFileError(_("Это не текстовый файл CSV."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return _within_limits([plain_cell(cell.strip()) for cell in row]
                              for row in csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(_("Файл CSV не читается: незакрытая кавычка или слишком длинная "
                                "ячейка.")) from None


#: what openpyxl and zipfile raise on a damaged workbook (RuntimeError: an encrypted member;
#: NotImplementedError: an unknown compression; IndexError: a cell past the shared strings)
DAMAGED = (zipfile.BadZipFile, expat.ExpatError, SyntaxError, KeyError, IndexError, OSError,
           ValueError, TypeError, RuntimeError, NotImplementedError)


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    damaged = _("Файл повреждён или это не книга Excel (XLSX).")
    try:
        xlsx_guard.check(data, xlsx_guard.Limits(unpacked=MAX_UNPACKED, cells=MAX_CELLS))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except xlsx_guard.LimitExceeded as exc:
        raise ImportFileError(_too_large(exc)) from None
    except DAMAGED:
        raise ImportFileError(damaged) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError(_("В книге нет листов."))
        # the declared <dimension> is not trusted (some programs write it wrong); every column
        # is read (the guard has bounded a row's cells) so that a value far to the right is
        # refused, not dropped
        sheet.reset_dimensions()
        return _within_limits([plain_cell(_cell_text(value)) for value in row]
                              for row in sheet.iter_rows(values_only=True))
    except DAMAGED:
        raise ImportFileError(damaged) from None
    finally:
        workbook.close()


def _within_limits(rows) -> list[list[str]]:
    """The rows that hold a value, counted as they are read: at most ``MAX_ROWS`` (and the
    header), ``MAX_COLUMNS`` wide, ``MAX_CELLS`` in all."""
    kept: list[list[str]] = []
    cells = 0
    for row in rows:
        width = len(row)
        while width and not row[width - 1]:
            width -= 1
        if not width:
            continue
        if width > MAX_COLUMNS:
            raise ImportFileError(_("Больше %(n)s столбцов: оставьте только столбцы шаблона.",
                                    n=MAX_COLUMNS))
        cells += width
        if cells > MAX_CELLS:
            raise ImportFileError(_("Больше %(n)s заполненных ячеек: разделите файл на части.",
                                    n=format_number(MAX_CELLS)))
        kept.append(row[:width])
        if len(kept) > MAX_ROWS + 1:
            raise ImportFileError(_("Больше %(n)s строк: разделите файл на части.", n=MAX_ROWS))
    return kept


def _too_large(exc: xlsx_guard.LimitExceeded) -> str:
    if exc.limit == "unpacked":
        return _("Книга Excel в распакованном виде больше %(n)s МБ: разделите файл на части.",
                 n=exc.value // (1024 * 1024))
    if exc.limit == "row_cells":
        return _("В строке листа больше %(n)s ячеек — больше, чем бывает в Excel: файл "
                 "повреждён.", n=format_number(exc.value))
    return _("В листе больше %(n)s ячеек, считая пустые с оформлением: удалите лишнее или "
             "разделите файл на части.", n=format_number(exc.value))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int  # the line in the file (the header is line 1)
    column: str
    reason: str


@dataclass
class ParentRow:
    values: dict[str, str | None]
    relation: str
    guardian: Guardian | None = None
    action: str = "create"  # create | update | unchanged
    changes: dict[str, tuple] = field(default_factory=dict)


@dataclass
class StudentRow:
    line: int
    group: Group
    values: dict[str, object]
    student: Student | None = None
    action: str = "create"
    changes: dict[str, tuple] = field(default_factory=dict)
    #: (parent, how they are related to this student)
    parents: list[tuple[ParentRow, str]] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[StudentRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        result = {"students_create": 0, "students_update": 0, "students_unchanged": 0,
                  "parents_create": 0, "parents_update": 0, "parents_unchanged": 0}
        seen: set[int] = set()
        for row in self.rows:
            result[f"students_{row.action}"] += 1
            for parent, _relation in row.parents:
                if id(parent) in seen:
                    continue
                seen.add(id(parent))
                result[f"parents_{parent.action}"] += 1
        return result


def _title(key: str) -> str:
    return next(str(title) for k, title, _r in COLUMNS if k == key)


def normalize_phone(raw: str) -> str | None:
    """«8 (916) 123-45-67» -> «+79161234567»; ``None`` if it is not a Russian mobile/landline."""
    digits = re.sub(r"\D", "", raw)
    if re.search(r"[^\d\s()+\-]", raw):
        return None
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        return None
    return "+7" + digits


def _parse_date(raw: str) -> date | None:
    try:
        return datetime.strptime(raw, "%d.%m.%Y").date()
    except ValueError:
        return None


def plan_import(header: list[str], rows: list[list[str]], today: date) -> ImportPlan:
    """Check every row against the database; the plan lists what applying it would do."""
    plan = ImportPlan()
    keys = header_keys()
    index: dict[str, int] = {}
    for position, title in enumerate(header):
        norm = _norm_header(title)
        if not norm:
            continue
        key = keys.get(norm)
        if key is None:
            plan.problems.append(Problem(1, str(title), _("неизвестный столбец")))
        elif key in index:
            plan.problems.append(Problem(1, str(title), _("столбец повторяется")))
        else:
            index[key] = position
    for key, title, required in COLUMNS:
        if required and key not in index:
            plan.problems.append(Problem(1, str(title), _("нет обязательного столбца")))
    if plan.problems:
        return plan

    def cell(row: list[str], key: str) -> str:
        position = index.get(key)
        return row[position].strip() if position is not None and position < len(row) else ""

    group_names = {cell(row, "group") for row in rows}
    groups = _load_by(Group, Group.name, group_names)
    book_numbers = {cell(row, "record_book_no") for row in rows}
    students = _load_by(Student, Student.record_book_no, book_numbers)
    current_groups = _current_groups([s.id for s in students.values()])

    seen_books: dict[str, int] = {}
    parent_specs: list[tuple[StudentRow, dict, str, int]] = []
    for offset, row in enumerate(rows):
        line = offset + 2
        problems: list[Problem] = []

        def bad(key: str, reason: str, problems=problems, line=line) -> None:
            problems.append(Problem(line, _title(key), reason))

        group = groups.get(cell(row, "group"))
        if not cell(row, "group"):
            bad("group", _("не заполнено"))
        elif group is None:
            bad("group", _("группы «%(name)s» нет", name=cell(row, "group")))
        elif group.graduated:
            bad("group", _("группа «%(name)s» уже выпущена", name=group.name))
        book = cell(row, "record_book_no")
        if not book:
            bad("record_book_no", _("не заполнено"))
        elif len(book) > 30:
            bad("record_book_no", _("длиннее 30 знаков"))
        elif book in seen_books:
            bad("record_book_no", _("номер уже встречался в строке %(line)s", line=seen_books[book]))
        else:
            seen_books[book] = line
        values: dict[str, object] = {}
        for key in ("last_name", "first_name", "middle_name"):
            text = cell(row, key)
            if not text:
                if key != "middle_name":
                    bad(key, _("не заполнено"))
                values[key] = None
            elif len(text) > 80 or not NAME_RE.match(text):
                bad(key, _("недопустимые символы или слишком длинно"))
            else:
                values[key] = text
        raw_birth = cell(row, "birth_date")
        values["birth_date"] = None
        if raw_birth:
            born = _parse_date(raw_birth)
            if born is None:
                bad("birth_date", _("дата не в формате ДД.ММ.ГГГГ: «%(value)s»", value=raw_birth))
            elif not date(today.year - 80, 1, 1) <= born <= today:
                bad("birth_date", _("невозможная дата рождения: %(value)s", value=raw_birth))
            else:
                values["birth_date"] = born
        values["email"] = _email(cell(row, "email"), lambda reason: bad("email", reason))
        values["phone"] = _phone(cell(row, "phone"), lambda reason: bad("phone", reason))

        parents = []
        for number in (1, 2):
            prefix = f"p{number}_"
            raw = {key: cell(row, prefix + key) for key, _t in PARENT_FIELDS}
            if not any(raw.values()):
                continue
            parent: dict[str, str | None] = {}
            for key in ("last_name", "first_name", "middle_name"):
                text = raw[key]
                if not text:
                    if key != "middle_name":
                        bad(prefix + key, _("не заполнено (остальные поля родителя заполнены)"))
                    parent[key] = None
                elif len(text) > 80 or not NAME_RE.match(text):
                    bad(prefix + key, _("недопустимые символы или слишком длинно"))
                else:
                    parent[key] = text
            parent["email"] = _email(raw["email"], lambda reason, k=prefix + "email": bad(k, reason))
            parent["phone"] = _phone(raw["phone"], lambda reason, k=prefix + "phone": bad(k, reason))
            if len(raw["relation"]) > 40:
                bad(prefix + "relation", _("длиннее 40 знаков"))
            parents.append((parent, raw["relation"]))
        if problems:
            plan.problems.extend(problems)
            continue
        values["record_book_no"] = book
        student = students.get(book)
        item = StudentRow(line=line, group=group, values=values, student=student)
        if student is not None:
            # an empty cell never erases what is recorded (a half-filled file loses nothing)
            item.changes = {key: (getattr(student, key), values[key]) for key in STUDENT_FIELDS
                            if values[key] is not None and getattr(student, key) != values[key]}
            item.action = "update" if item.changes else "unchanged"
            in_group = current_groups.get(student.id)
            if in_group is not None and in_group != group.id:
                plan.problems.append(Problem(line, _title("group"), _(
                    "обучающийся числится в другой группе; перевод оформляется приказом "
                    "в разделе «Движение обучающихся»")))
                continue
        plan.rows.append(item)
        for parent, relation in parents:
            parent_specs.append((item, parent, relation, line))
    if not plan.problems:
        _match_parents(plan, parent_specs)
    return plan


def _email(raw: str, bad) -> str | None:
    if not raw:
        return None
    if len(raw) > 254 or not EMAIL_RE.match(raw):
        bad(_("неверный адрес электронной почты: «%(value)s»", value=raw))
        return None
    return raw.lower()


def _phone(raw: str, bad) -> str | None:
    if not raw:
        return None
    phone = normalize_phone(raw)
    if phone is None:
        bad(_("неверный номер телефона: «%(value)s» (нужно 10 цифр после +7 или 8)", value=raw))
    return phone


def _load_by(model, column, values: set[str]) -> dict:
    values = sorted(v for v in values if v)
    found = {}
    for start in range(0, len(values), CHUNK):
        for obj in db.session.scalars(select(model).where(column.in_(values[start:start + CHUNK]))):
            found[getattr(obj, column.key)] = obj
    return found


def _current_groups(student_ids: list[int]) -> dict[int, int]:
    result = {}
    for start in range(0, len(student_ids), CHUNK):
        for student_id, group_id in db.session.execute(
            select(GroupMembership.student_id, GroupMembership.group_id)
            .where(GroupMembership.student_id.in_(student_ids[start:start + CHUNK]),
                   GroupMembership.left_on.is_(None))
        ):
            result[student_id] = group_id
    return result


def _match_parents(plan: ImportPlan, specs: list[tuple[StudentRow, dict, str, int]]) -> None:
    """Find each parent: by e-mail, else phone, else full name + the child; merge repeats."""
    emails = {p["email"] for _r, p, _rel, _l in specs if p["email"]}
    phones = {p["phone"] for _r, p, _rel, _l in specs if p["phone"]}
    by_email: dict[str, Guardian] = {}
    by_phone: dict[str, Guardian] = {}
    for guardian in _load_many(func.lower(Guardian.email), emails) + _load_many(Guardian.phone, phones):
        if guardian.email:
            by_email.setdefault(guardian.email.lower(), guardian)
        if guardian.phone:
            by_phone.setdefault(guardian.phone, guardian)
    child_ids = [row.student.id for row, *_rest in specs if row.student is not None]
    by_name_child: dict[tuple, Guardian] = {}
    for start in range(0, len(child_ids), CHUNK):
        for guardian, child_id in db.session.execute(
            select(Guardian, StudentGuardian.student_id).join(
                StudentGuardian, StudentGuardian.guardian_id == Guardian.id)
            .where(StudentGuardian.student_id.in_(child_ids[start:start + CHUNK]))
        ):
            by_name_child[(guardian.full_name.lower(), child_id)] = guardian
    # the same parent twice in one file (two children) becomes one ParentRow
    in_file: dict[tuple, ParentRow] = {}
    for row, values, relation, _line in specs:
        name = full_name(values["last_name"], values["first_name"], values["middle_name"]).lower()
        file_key = ("email", values["email"]) if values["email"] else (
            ("phone", values["phone"]) if values["phone"] else ("name", name, row.values.get("record_book_no")))
        parent = in_file.get(file_key)
        if parent is None:
            guardian = None
            if values["email"]:
                guardian = by_email.get(values["email"])
            if guardian is None and values["phone"]:
                guardian = by_phone.get(values["phone"])
            if guardian is None and row.student is not None:
                guardian = by_name_child.get((name, row.student.id))
            parent = ParentRow(values=values, relation=relation, guardian=guardian)
            if guardian is not None:
                parent.changes = {key: (getattr(guardian, key), values[key]) for key in GUARDIAN_FIELDS
                                  if values[key] is not None and getattr(guardian, key) != values[key]}
                parent.action = "update" if parent.changes else "unchanged"
            in_file[file_key] = parent
        row.parents.append((parent, relation))


def _load_many(column, values: set[str]) -> list[Guardian]:
    values = sorted(values)
    found: list[Guardian] = []
    for start in range(0, len(values), CHUNK):
        found.extend(db.session.scalars(select(Guardian).where(column.in_(values[start:start + CHUNK]))))
    return found


# --- applying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]
    links: int


def apply_plan(plan: ImportPlan, joined_on: date, order_no: str,
               actor: User | None = None) -> ImportResult:
    """Write a plan without problems in the current transaction (the caller commits once).

    A new student gets an ``admitted`` movement under ``order_no`` and a membership of their
    group from ``joined_on``; a parent is linked to each child of the file not yet linked.
    """
    if not plan.ok:
        raise ValueError("a plan with problems is never applied")
    counts = plan.counts()
    new_students: list[StudentRow] = []
    for row in plan.rows:
        if row.student is None:
            row.student = Student(record_book_no=_book(row), **{k: row.values[k] for k in STUDENT_FIELDS})
            db.session.add(row.student)
            new_students.append(row)
        elif row.changes:
            for key, (_old, new) in row.changes.items():
                setattr(row.student, key, new)
            audit.record("student.import_update", row.student, actor=actor,
                         before={k: old for k, (old, _new) in row.changes.items()},
                         after={k: new for k, (_old, new) in row.changes.items()})
    parents: dict[int, ParentRow] = {}
    for row in plan.rows:
        for parent, _relation in row.parents:
            parents.setdefault(id(parent), parent)
    for parent in parents.values():
        if parent.guardian is None:
            parent.guardian = Guardian(**{k: parent.values[k] for k in GUARDIAN_FIELDS})
            db.session.add(parent.guardian)
        elif parent.changes:
            for key, (_old, new) in parent.changes.items():
                setattr(parent.guardian, key, new)
            audit.record("guardian.import_update", parent.guardian, actor=actor,
                         before={k: old for k, (old, _new) in parent.changes.items()},
                         after={k: new for k, (_old, new) in parent.changes.items()})
    db.session.flush()
    db.session.add_all(
        GroupMembership(student_id=row.student.id, group_id=row.group.id, joined_on=joined_on)
        for row in new_students
    )
    db.session.add_all(
        Movement(student_id=row.student.id, kind="admitted", on_date=joined_on, order_no=order_no,
                 to_group_id=row.group.id, created_by_id=getattr(actor, "id", None))
        for row in new_students
    )
    existing_links = _existing_links([row.student.id for row in plan.rows])
    links = 0
    for row in plan.rows:
        for parent, relation in row.parents:
            pair = (row.student.id, parent.guardian.id)
            if pair in existing_links:
                continue
            existing_links.add(pair)
            db.session.add(StudentGuardian(student_id=pair[0], guardian_id=pair[1], relation=relation))
            links += 1
    db.session.flush()
    for row in new_students:
        audit.record("student.import_create", row.student, actor=actor,
                     after={"record_book_no": row.student.record_book_no, "group": row.group.name})
    for parent in parents.values():
        if parent.action == "create":
            audit.record("guardian.import_create", parent.guardian, actor=actor,
                         after={"name": parent.guardian.full_name})
    audit.record("people.import", ("Import", None), actor=actor,
                 after={**counts, "links": links, "order_no": order_no, "joined_on": joined_on})
    return ImportResult(counts, links)


def _book(row: StudentRow) -> str:
    return row.values["record_book_no"]


def _existing_links(student_ids: list[int]) -> set[tuple[int, int]]:
    found = set()
    for start in range(0, len(student_ids), CHUNK):
        found.update((a, b) for a, b in db.session.execute(
            select(StudentGuardian.student_id, StudentGuardian.guardian_id)
            .where(StudentGuardian.student_id.in_(student_ids[start:start + CHUNK]))
        ))
    return found
