"""Import of a plan from XLSX or CSV in the template: a preview with a row-level report, nothing
saved while any row has a problem (all or nothing), the template and the export readable back."""

from __future__ import annotations

import html
import io
import re

from openpyxl import Workbook, load_workbook

from plugins.planning.tests.helpers import save, topics
from plugins.planning.tests.world import plan_rows

HEADER = ["№", "Раздел", "Тема", "Часы", "Вид занятия", "Самостоятельная работа"]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(count: int = 17) -> list[list]:
    return [[n, "Алгоритмы", f"Тема из файла {n}", 2, "Лекция" if n % 2 else "Практическая работа",
             f"Задача {n}"] for n in range(1, count + 1)]


def upload(client, load_id: int, data: bytes, name: str):
    return client.post(f"/planning/load/{load_id}/import",
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def confirm(client, load_id: int, page: str):
    rows = re.search(r'name="rows" type="hidden" value="([^"]*)"', page)
    assert rows, page
    return client.post(f"/planning/load/{load_id}/import/confirm",
                       data={"rows": html.unescape(rows[1])})


def test_an_xlsx_in_the_template_is_previewed_then_saved(app, world, as_):
    teacher = as_("teacher")
    response = upload(teacher, world.ids["load"], xlsx([HEADER, *good_rows()]), "ктп.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Строк: 17, часов: 34 (в нагрузке — 34)." in page
    assert topics(app, world.ids["load"]) == []  # a preview saves nothing
    assert confirm(teacher, world.ids["load"], page).status_code == 302
    assert topics(app, world.ids["load"])[:2] == ["Тема из файла 1", "Тема из файла 2"]


def test_a_bad_row_names_its_row_and_column_and_nothing_is_saved(app, world, as_):
    teacher = as_("teacher")
    assert save(teacher, world.ids["load"], plan_rows(2)).status_code == 200
    rows = good_rows(5)
    rows[1][3] = "4,5"       # file row 3: hours
    rows[3][4] = "Пикник"    # file row 5: kind of work
    response = upload(teacher, world.ids["load"], xlsx([HEADER, *rows]), "ктп.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ничего не загружено" in page
    report = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", page)
    assert [(row, column) for row, column, _m in report] == [("3", "Часы"), ("5", "Вид занятия")]
    assert "«4,5»" in report[0][2]
    assert 'name="rows"' not in page  # no way to confirm a file with problems
    assert topics(app, world.ids["load"]) == ["Тема 1", "Тема 2"]


def test_a_csv_with_semicolons_is_read_like_the_xlsx(app, world, as_):
    text = "\ufeff" + ";".join(HEADER) + "\n" + "\n".join(
        ";".join(str(value) for value in row) for row in good_rows(3))
    response = upload(as_("teacher"), world.ids["load"], text.encode(), "ктп.csv")
    assert response.status_code == 200
    assert "Строк: 3, часов: 6 (в нагрузке — 34)." in response.get_data(as_text=True)
    assert "В плане 6 ч, в нагрузке — 34 ч" in response.get_data(as_text=True)


def test_a_file_not_in_the_template_is_refused_with_a_reason(world, as_):
    teacher = as_("teacher")
    no_hours = upload(teacher, world.ids["load"], xlsx([["№", "Тема"], [1, "Тема"]]), "a.xlsx")
    assert no_hours.status_code == 422
    assert "В заголовке нет столбцов: Часы" in no_hours.get_data(as_text=True)
    extra = upload(teacher, world.ids["load"], xlsx([[*HEADER, "Оценка"], [1, "", "Т", 2]]),
                   "a.xlsx")
    assert "Неизвестный столбец «Оценка»" in extra.get_data(as_text=True)
    damaged = upload(teacher, world.ids["load"], b"PK\x03\x04not a zip", "a.xlsx")
    assert damaged.status_code == 422
    assert "Файл повреждён" in damaged.get_data(as_text=True)


def test_the_template_and_the_export_are_read_back_by_the_import(app, world, as_):
    teacher = as_("teacher")
    template = load_workbook(io.BytesIO(teacher.get("/planning/template.xlsx").data))
    assert [cell.value for cell in template.active[1]] == [*HEADER, "Неделя"]
    assert "Пояснения" in template.sheetnames
    rows = plan_rows(17)
    rows[0]["topic"] = "=СУММ(A1:A2) не формула"
    assert save(teacher, world.ids["load"], rows).status_code == 200
    exported = teacher.get(f"/planning/load/{world.ids['load']}/export.xlsx").data
    sheet = load_workbook(io.BytesIO(exported)).active
    assert sheet["C2"].value == "'=СУММ(A1:A2) не формула"  # not a formula in Excel
    assert sheet["E3"].value == "Практическая работа"
    response = upload(teacher, world.ids["load"], exported, "export.xlsx")
    assert response.status_code == 200
    assert "Строк: 17, часов: 34" in response.get_data(as_text=True)
    csv = teacher.get(f"/planning/load/{world.ids['load']}/export.csv").get_data(as_text=True)
    assert csv.startswith("\ufeff№;Раздел;Тема;Часы")


def test_a_submitted_plan_is_not_imported_into(app, world, as_):
    teacher = as_("teacher")
    assert save(teacher, world.ids["load"], plan_rows()).status_code == 200
    assert teacher.post(f"/planning/load/{world.ids['load']}/submit").status_code == 302
    response = upload(teacher, world.ids["load"], xlsx([HEADER, *good_rows()]), "ктп.xlsx")
    assert response.status_code == 302
    assert topics(app, world.ids["load"])[0] == "Тема 1"
