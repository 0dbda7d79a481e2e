"""Import of students and parents (BTT 4.1.1, KTIS 3.2): preview, row-level report, all or nothing."""

from __future__ import annotations

import io
import resource
import zipfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from core import pending_uploads
from core.calendar.years import default_periods, save_year
from core.extensions import db
from core.pending_uploads import PendingUpload
from core.people import importer
from core.people.groups import GroupData, add_specialty, save_group
from core.people.models import GroupMembership, Guardian, Movement, Student, StudentGuardian
from core.people.roles import Role
from tests.fixtures import count_queries

HEADER = importer.template_header()


def row(group="ТМ-26", book="26-001", last="Смирнова", first="Анна", middle="Сергеевна",
        born="14.03.2010", email="anna@mail.ru", phone="+7 916 123-45-67", parents=()):
    values = [group, book, last, first, middle, born, email, phone]
    for parent in parents:
        values += list(parent)
    return values + [""] * (len(HEADER) - len(values))


MOTHER = ("Смирнова", "Елена", "Викторовна", "e.smirnova@mail.ru", "8 (916) 765-43-21", "мать")


def csv_bytes(rows, delimiter=";", bom=True) -> bytes:
    lines = [delimiter.join(HEADER)] + [delimiter.join(r) for r in rows]
    return (("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode()


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _open_year(code: str, title: str, groups: tuple[tuple[str, int], ...]):
    """The current 2026/2027 year with ``groups`` (name, course) of specialty ``code``, in the
    open request context."""
    starts, ends, terms, holidays = default_periods(2026)
    year = save_year("2026/2027", starts, ends, terms, holidays, make_current=True)
    specialty = add_specialty(code, title, None)
    for name, course in groups:
        save_group(GroupData(name, specialty, course, "очная", 2027 - course, None, year))
    return year


@pytest.fixture
def college(app):
    """A current year with two groups of «15.02.08»."""
    with app.test_request_context():
        year = _open_year("15.02.08", "Технология машиностроения", (("ТМ-26", 1), ("ТМ-25", 2)))
        db.session.commit()
        return {"year_id": year.id, "term_start": year.terms[0].starts_on}


@pytest.fixture
def admin(make_user, login):
    user = make_user("import-admin", roles=[Role.ADMIN])
    login(user)
    return user


def upload(client, data: bytes, filename: str, order_no="№ 215-к"):
    return client.post("/admin/year/import", data={
        "file": (io.BytesIO(data), filename), "order_no": order_no},
        content_type="multipart/form-data")


def confirm(client, app, response):
    html = response.get_data(as_text=True)
    marker = "/admin/year/import/"
    start = html.index(marker) + len(marker)
    token = html[start:html.index("/confirm", start)]
    return client.post(f"/admin/year/import/{token}/confirm"), token


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_csv_with_one_bad_row_imports_nothing_and_names_row_column_reason(app, client, college, admin):
    rows = [row(book="26-001"), row(book="26-002", last="Петров", first="Иван", middle="Олегович",
                                    born="31.02.2010"), row(book="26-003", last="Ким", first="Ли")]
    response = upload(client, csv_bytes(rows), "students.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<td>3</td><td>Дата рождения</td><td>дата не в формате ДД.ММ.ГГГГ: «31.02.2010»</td>" in html
    assert "Ничего не сохранено" in html
    assert "/confirm" not in html
    assert count(app, Student) == 0 and count(app, Movement) == 0


def test_every_bad_value_is_reported_with_its_row_and_column(app, college):
    rows = [row(group="ХХ-99"), row(book="26-002", email="anna@mail", phone="12345"),
            row(book="26-002", last=""), row(book="26-004", parents=[("", "Елена", "", "", "", "мать")])]
    with app.test_request_context():
        plan = importer.plan_import(HEADER, rows, date(2026, 11, 25))
    found = {(p.row, p.column) for p in plan.problems}
    assert (2, "Группа") in found
    assert (3, "E-mail обучающегося") in found and (3, "Телефон обучающегося") in found
    assert (4, "Номер зачётной книжки") in found and (4, "Фамилия") in found
    assert (5, "Родитель 1: Фамилия") in found
    assert not plan.ok


def test_preview_shows_counts_and_confirm_creates_students_parents_movements(app, client, college, admin):
    rows = [row(book="26-001", parents=[MOTHER]),
            row(book="26-002", last="Смирнов", first="Павел", middle="Сергеевич", email="",
                parents=[MOTHER, ("Смирнов", "Сергей", "Павлович", "", "+79035550011", "отец")])]
    response = upload(client, csv_bytes(rows, delimiter=",", bom=False), "students.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert '<td data-count="students_create">2</td>' in html
    assert '<td data-count="parents_create">2</td>' in html
    response, token = confirm(client, app, response)
    assert response.status_code == 302
    with app.app_context():
        students = db.session.scalars(select(Student).order_by(Student.record_book_no)).all()
        assert [s.full_name for s in students] == ["Смирнова Анна Сергеевна", "Смирнов Павел Сергеевич"]
        assert students[0].birth_date == date(2010, 3, 14) and students[0].phone == "+79161234567"
        mother = db.session.scalar(select(Guardian).where(Guardian.email == "e.smirnova@mail.ru"))
        assert {c.record_book_no for c in mother.children} == {"26-001", "26-002"}
        assert len(students[1].guardians) == 2
        memberships = db.session.scalars(select(GroupMembership)).all()
        assert {m.joined_on for m in memberships} == {college["term_start"]}
        movements = db.session.scalars(select(Movement)).all()
        assert {(m.kind, m.order_no) for m in movements} == {("admitted", "№ 215-к")}
        assert not list((Path(app.instance_path) / "imports").glob(f"{token}*"))


def test_reimport_updates_instead_of_duplicating(app, client, college, admin):
    first = [row(book="26-001", parents=[MOTHER]), row(book="26-002", last="Ким", first="Ли")]
    confirm(client, app, upload(client, csv_bytes(first), "a.csv"))
    changed = [row(book="26-001", phone="89160000000", parents=[MOTHER[:4] + ("89161112233", "мать")]),
               row(book="26-002", last="Ким", first="Ли")]
    response = upload(client, csv_bytes(changed), "a.csv")
    html = response.get_data(as_text=True)
    assert '<td data-count="students_update">1</td>' in html
    assert '<td data-count="students_unchanged">1</td>' in html
    assert '<td data-count="parents_update">1</td>' in html
    confirm(client, app, response)
    assert count(app, Student) == 2 and count(app, Guardian) == 1
    assert count(app, GroupMembership) == 2 and count(app, Movement) == 2
    assert count(app, StudentGuardian) == 1
    with app.app_context():
        student = db.session.scalar(select(Student).where(Student.record_book_no == "26-001"))
        assert student.phone == "+79160000000"
        assert student.guardians[0].phone == "+79161112233"


def test_an_empty_cell_on_reimport_keeps_the_recorded_value(app, client, college, admin):
    confirm(client, app, upload(client, csv_bytes([row(book="26-001")]), "a.csv"))
    response = upload(client, csv_bytes([row(book="26-001", email="", phone="", born="")]), "a.csv")
    assert '<td data-count="students_unchanged">1</td>' in response.get_data(as_text=True)
    confirm(client, app, response)
    with app.app_context():
        student = db.session.scalar(select(Student))
        assert (student.email, student.phone) == ("anna@mail.ru", "+79161234567")


def test_parent_without_contacts_is_found_again_by_name_and_child(app, client, college, admin):
    father = ("Ким", "Олег", "", "", "", "отец")
    rows = [row(book="26-002", last="Ким", first="Ли", parents=[father])]
    confirm(client, app, upload(client, csv_bytes(rows), "a.csv"))
    confirm(client, app, upload(client, csv_bytes(rows), "a.csv"))
    assert count(app, Guardian) == 1


def test_student_of_another_group_is_not_silently_moved(app, client, college, admin):
    confirm(client, app, upload(client, csv_bytes([row(book="26-001")]), "a.csv"))
    response = upload(client, csv_bytes([row(group="ТМ-25", book="26-001")]), "a.csv")
    assert response.status_code == 422
    assert "числится в другой группе" in response.get_data(as_text=True)


def test_xlsx_of_1000_students_imports_in_one_transaction_and_fast(make_app, tmp_path):
    """On an app of its own (real commits, not the shared app's savepoints): one COMMIT."""
    from core import migrate
    from core.auth.passwords import hash_password
    from core.people.models import RoleAssignment, User

    own = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'import.sqlite3'}")
    migrate.upgrade(own)
    with own.test_request_context():
        _open_year("09.02.07", "Информационные системы и программирование",
                   (("ИСП-26", 1), ("ИСП-25", 2)))
        admin = User(login="admin", last_name="Соколова", first_name="Ирина",
                     password_hash=hash_password("secret-pass-1"))
        admin.roles.append(RoleAssignment(role=Role.ADMIN, scope_kind="college"))
        db.session.add(admin)
        db.session.commit()
    client = own.test_client()
    assert client.post("/auth/login", data={"login": "admin", "password": "secret-pass-1"}).status_code == 302
    rows = [row(group="ИСП-26" if i % 2 else "ИСП-25", book=f"26-{i:04d}", last="Иванова",
                first="Мария", middle="Петровна", born=date(2009, 1 + i % 12, 1 + i % 28),
                email=f"s{i}@mail.ru", phone=f"+7916{i:07d}",
                parents=[("Иванова", "Ольга", "Ивановна", f"p{i}@mail.ru", f"+7903{i:07d}", "мать")])
            for i in range(1000)]
    data = xlsx_bytes(rows)
    response = upload(client, data, "students.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert '<td data-count="students_create">1000</td>' in response.get_data(as_text=True)
    commits, selects = [], []
    with own.app_context():
        engine = db.engine
    event.listen(engine, "commit", lambda *args: commits.append(1))
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statement.startswith("SELECT") and selects.append(1))
    with count_queries(own) as queries:
        response, _token = confirm(client, own, response)
    assert response.status_code == 302
    assert len(commits) == 1
    assert count(own, Student) == 1000 and count(own, Guardian) == 1000
    assert count(own, Movement) == 1000 and count(own, StudentGuardian) == 1000
    # reads are a few batched queries, not one per row; inserts at most one per object written
    assert len(selects) < 40, len(selects)
    assert queries.count < 7 * 1000, queries.count


@pytest.mark.parametrize("data, filename, message", [
    (b"", "students.csv", "Файл пустой."),
    (b"%PDF-1.4 something", "students.pdf", "Неподдерживаемый тип файла"),
    (b"PK\x03\x04broken", "students.xlsx", "Файл повреждён или это не книга Excel"),
    ("Группа;Фамилия\n".encode("cp1251"), "students.csv", "не в кодировке UTF-8"),
    ("\ufeffГруппа;Фамилия;Имя\n".encode(), "students.csv", "только заголовок"),
    ("\ufeffГруппа;Фамилия;Имя\nТМ-26;Ким;Ли\n".encode(), "students.csv", "нет обязательного столбца"),
])
def test_bad_files_get_a_russian_message_never_a_500(app, client, college, admin, data, filename, message):
    response = upload(client, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, Student) == 0


def test_no_file_chosen_is_a_form_error(client, college, admin):
    response = client.post("/admin/year/import", data={"order_no": ""},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Выберите файл." in response.get_data(as_text=True)


def test_uploaded_file_is_kept_for_its_uploader_only_and_cancel_deletes_it(
        app, client, college, admin, make_user, login):
    response = upload(client, csv_bytes([row()]), "a.csv")
    html = response.get_data(as_text=True)
    start = html.index("/admin/year/import/") + len("/admin/year/import/")
    token = html[start:html.index("/confirm", start)]
    with app.app_context():
        kept = db.session.scalar(select(PendingUpload).where(PendingUpload.token == token))
        assert kept is not None and kept.user_id == admin.id  # in the database: any server
    other = make_user("other-admin", roles=[Role.ADMIN])
    client.post("/auth/logout")
    login(other)
    assert client.post(f"/admin/year/import/{token}/confirm").status_code == 404
    assert client.post("/admin/year/import/..%2F..%2Fetc/confirm").status_code == 404
    client.post("/auth/logout")
    login(admin)
    assert client.post(f"/admin/year/import/{token}/cancel").status_code == 302
    with app.app_context():
        assert pending_uploads.stashed(admin.id, token) is None
    assert count(app, Student) == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_download_has_the_documented_header(app, client, admin, fmt):
    response = client.get(f"/admin/year/import/template.{fmt}")
    assert response.status_code == 200
    with app.test_request_context():
        header, rows = importer.read_table(response.data, f"t.{fmt}")
        plan = importer.plan_import(header, rows, date(2026, 11, 25))
    assert header == HEADER
    # the example row names a group this college has not made: the only problem reported
    assert [(p.row, p.column) for p in plan.problems] == [(2, "Группа")]


def test_non_admin_gets_404(client, make_user, login):
    login(make_user("teacher-x", roles=[Role.TEACHER]))
    assert client.get("/admin/year/import").status_code == 404
    assert client.get("/admin/year/").status_code == 404


# --- limits: what an upload may hold ------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
                '://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                 'Target="{sheet}"/></Relationships>')
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
                 '.org/package/2006/content-types"><Default Extension="rels" ContentType="'
                 'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension='
                 '"xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
                 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '</Types>')


def handmade_xlsx(sheet_data: list[tuple[bytes, int]], dimension: str = "", prolog: bytes = b"",
                  extra: dict[str, bytes] | None = None, sheet: str = "worksheets/sheet1.xml") -> bytes:
    """A workbook written as its XML, as a forger would: the sheet's ``<sheetData>`` is
    ``piece * times`` for each (piece, times), streamed into the zip (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns='
                         f'"{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                         f'2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/>'
                         f'</sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(sheet=sheet))
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        with archive.open(f"xl/{sheet}", "w") as part:
            part.write(prolog + f'<worksheet xmlns="{MAIN_NS}">'.encode())
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            for piece, times in sheet_data:
                block = piece * 10_000
                for _ in range(times // 10_000):
                    part.write(block)
                part.write(piece * (times % 10_000))
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def inline(text: str) -> bytes:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'.encode()


@contextmanager
def memory_grows_at_most(megabytes: int):
    """The process may take ``megabytes`` more address space; past that, MemoryError."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (used + megabytes * 2**20, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;'
          b'&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;'
          b'&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
BOMBS = {
    # the file of the report: 337 KB holding one row of 3 million cells
    "one row of 3 million cells": (
        lambda: handmade_xlsx([(b"<row>", 1), (b"<c><v>1</v></c>", 3_000_000), (b"</row>", 1)],
                              dimension="A1:C1"),
        "Книга Excel в распакованном виде больше 40 МБ"),
    "one row of a million empty cells": (
        lambda: handmade_xlsx([(b"<row>", 1), (b"<c/>", 1_000_000), (b"</row>", 1)]),
        "В строке листа больше 16\u00a0384 ячеек"),
    "160,000 cells in 8,000 rows of 20": (
        lambda: handmade_xlsx([(b"<row>" + b"<c><v>1</v></c>" * 20 + b"</row>", 8_000)]),
        "В листе больше 150\u00a0000 ячеек"),
    "a sheet under a name that is not .xml": (
        lambda: handmade_xlsx([(b"<row>", 1), (b"<c/>", 1_000_000), (b"</row>", 1)],
                              sheet="media/image1.png"),
        "В строке листа больше 16\u00a0384 ячеек"),
    "a million shared strings": (
        lambda: handmade_xlsx([(b'<row><c t="s"><v>0</v></c></row>', 1)], extra={
            "xl/sharedStrings.xml": f'<sst xmlns="{MAIN_NS}">'.encode() + b"<si><t>a</t></si>"
            * 1_000_000 + b"</sst>"}),
        "В листе больше 150\u00a0000 ячеек"),
    "a row numbered past Excel's last": (
        lambda: handmade_xlsx([(b'<row r="1">' + inline("Группа") + b"</row>", 1),
                               (b'<row r="2000000000">' + inline("ТМ-26") + b"</row>", 1)]),
        "Файл повреждён или это не книга Excel"),
    "an entity bomb": (
        lambda: handmade_xlsx([(b"<row>" + b"<c><v>&lol3;</v></c>" * 1000 + b"</row>", 1)],
                              prolog=LAUGHS),
        "Файл повреждён или это не книга Excel"),
}


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_an_xlsx_bomb_gets_422_naming_the_limit_and_takes_no_memory(app, client, college, admin,
                                                                    bomb):
    build, message = BOMBS[bomb]
    data = build()
    assert len(data) < 400_000
    with memory_grows_at_most(300):
        response = upload(client, data, "students.xlsx")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_workbook_with_a_picture_imports(app, client, college, admin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, \
            zipfile.ZipFile(io.BytesIO(xlsx_bytes([row()]))) as made:
        for member in made.infolist():
            archive.writestr(member, made.read(member))
        archive.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    response = upload(client, buffer.getvalue(), "students.xlsx")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]


def test_a_value_beyond_30_columns_is_refused_not_dropped(app, client, college, admin):
    wide = [row() + [""] * 10 + ["лишнее"]]
    far = [row() + [""] * 60 + ["далеко справа"]]
    for data, filename in ((xlsx_bytes(wide), "wide.xlsx"), (csv_bytes(wide), "wide.csv"),
                           (xlsx_bytes(far), "far.xlsx"), (csv_bytes(far), "far.csv")):
        response = upload(client, data, filename)
        assert response.status_code == 422
        assert "Больше 30 столбцов" in response.get_data(as_text=True)
    # empty cells far to the right are no values
    response = upload(client, csv_bytes([row() + [""] * 40]), "trailing.csv")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]


def test_rows_past_the_limit_are_counted_while_reading(app, client, college, admin):
    rows = [row(book=f"26-{i:04d}") for i in range(importer.MAX_ROWS + 1)]
    for data, filename in ((csv_bytes(rows), "long.csv"),
                           (handmade_xlsx([(b"<row>" + inline("Группа") + b"</row>", 1),
                                           (b"<row>" + inline("ТМ-26") + b"</row>", 5001)]),
                            "long.xlsx")):
        response = upload(client, data, filename)
        assert response.status_code == 422
        assert "Больше 5000 строк" in response.get_data(as_text=True)


def test_a_declared_dimension_that_lies_hides_no_rows(app, college):
    """Some programs write ``<dimension ref="A1"/>`` whatever the sheet holds."""
    header = b"<row>" + b"".join(inline(title) for title in HEADER[:4]) + b"</row>"
    student = b"<row>" + b"".join(inline(v) for v in ("ТМ-26", "26-001", "Ким", "Ли")) + b"</row>"
    data = handmade_xlsx([(header, 1), (student, 3)], dimension="A1")
    with app.test_request_context():
        found_header, rows = importer.read_table(data, "students.xlsx")
    assert found_header == HEADER[:4]
    assert rows == [["ТМ-26", "26-001", "Ким", "Ли"]] * 3


def test_a_csv_that_cannot_be_parsed_gets_a_russian_422(app, client, college, admin):
    data = ("\ufeff" + ";".join(HEADER) + '\nТМ-26;"' + "а" * 200_000 + "\n").encode()
    response = upload(client, data, "quote.csv")
    assert response.status_code == 422
    assert "незакрытая кавычка или слишком длинная ячейка" in response.get_data(as_text=True)


@pytest.mark.parametrize("sheet_row", [
    b'<row><c t="s"><v>7</v></c></row>',  # a shared string the book does not have
    b"<row><c><v>not a number</v></c></row>",
])
def test_a_damaged_workbook_gets_a_russian_422(app, client, college, admin, sheet_row):
    response = upload(client, handmade_xlsx([(sheet_row, 1)]), "students.xlsx")
    assert response.status_code == 422
    assert "Файл повреждён или это не книга Excel" in response.get_data(as_text=True)
