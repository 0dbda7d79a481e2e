"""The rules of a material: a kind of the three, files or a link (never both, never neither),
files within the count, the size and the kinds (by content), links only http(s), the
description's Markdown rendered harmless; the journal's links; the diary's queries."""

from __future__ import annotations

import io

from sqlalchemy import select

from core.extensions import db
from plugins.journal.models import Lesson
from plugins.materials.models import Material
from plugins.materials.tests.helpers import PDF, add, upload
from tests.fixtures import count_queries, signed_in

MB = 1024 * 1024


def post(app, world, data, who: str = "teacher"):
    client = signed_in(app, world.users[who])
    return client.post(f"/materials/loads/{world.ids['load:teacher']}/new", data=data,
                       content_type="multipart/form-data")


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count()).select_from(Material))


def test_each_kind_is_listed_under_its_russian_title_and_another_is_refused(app, world):
    for kind, title in (("guidelines", "Рекомендации А"), ("tasks", "Задания Б"),
                        ("literature", "Учебник В")):
        add(app, world, "teacher", "teacher", kind=kind, title=title)
    page = signed_in(app, world.users["teacher"]).get(
        f"/materials/loads/{world.ids['load:teacher']}").get_data(as_text=True)
    assert page.index("Методические рекомендации") < page.index("Рекомендации А") \
        < page.index("Задания</h2>") < page.index("Задания Б") < page.index("Литература") \
        < page.index("Учебник В")
    before = count(app)
    response = post(app, world, {"kind": "video", "title": "Видео", "url": "https://e.org/"})
    assert response.status_code == 422 and count(app) == before


def test_files_within_the_limits_by_content(app, world):
    ok = post(app, world, {"kind": "guidelines", "title": "Пять файлов",
                           "files": [upload(f"f{i}.pdf") for i in range(5)]})
    assert ok.status_code == 302
    cases = (
        ([upload(f"f{i}.pdf") for i in range(6)], "не больше 5 файлов"),
        ([upload("big.pdf", PDF + b"0" * (10 * MB))], "больше 10 МБ"),
        ([upload("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100)], "не похоже на PDF"),
        ([upload("run.exe", PDF)], "такого типа приложить нельзя"),
        ([upload("empty.pdf", b"")], "пустой"),
    )
    before = count(app)
    for files, message in cases:
        response = post(app, world, {"kind": "tasks", "title": "Файлы", "files": files})
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True), message
    assert count(app) == before


def test_ten_megabytes_five_times_fit_the_request(app, world):
    big = PDF + b"0" * (10 * MB - len(PDF))
    response = post(app, world, {"kind": "tasks", "title": "Большие файлы",
                                 "files": [upload(f"b{i}.pdf", big) for i in range(5)]})
    assert response.status_code == 302


def test_a_material_is_files_or_a_link(app, world):
    before = count(app)
    both = post(app, world, {"kind": "literature", "title": "Учебник", "url": "https://e.org/",
                             "files": [upload()]})
    assert both.status_code == 422 and "что-то одно" in both.get_data(as_text=True)
    neither = post(app, world, {"kind": "literature", "title": "Учебник"})
    assert neither.status_code == 422
    assert "Приложите файл или укажите ссылку." in neither.get_data(as_text=True)
    assert count(app) == before


def test_only_http_links_are_kept_and_they_open_safely(app, world):
    before = count(app)
    for url in ("javascript:alert(1)", "JavaScript:alert(document.cookie)",
                "data:text/html,<script>alert(1)</script>", "ftp://files.example.org/a.pdf",
                "vbscript:msgbox", "https://", "http://exa mple.org/", "//example.org/a"):
        response = post(app, world, {"kind": "literature", "title": "Ссылка", "url": url})
        assert response.status_code == 422, url
        page = response.get_data(as_text=True)
        assert "invalid-feedback" in page, url
    assert count(app) == before
    response = post(app, world, {"kind": "literature", "title": "ЭБС",
                                 "url": "https://urait.ru/book/123?from=college"})
    assert response.status_code == 302
    page = signed_in(app, world.users["student"]).get(response.headers["Location"]).get_data(
        as_text=True)
    assert ('<a class="material-link" href="https://urait.ru/book/123?from=college" '
            'target="_blank" rel="noopener noreferrer">') in page


def test_a_script_in_the_description_or_title_is_harmless(app, world):
    material = add(app, world, "teacher", "teacher", title="<script>alert('t')</script>",
                   description="**Важно**\n\n<script>alert('d')</script>\n\n"
                               "[клик](javascript:alert(1)) <img src=x onerror=alert(2)>")
    for url in (f"/materials/{material}", f"/materials/loads/{world.ids['load:teacher']}"):
        page = signed_in(app, world.users["parent"]).get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "onerror=alert" not in page.replace(
            "onerror=alert(2)&gt;", "")
        assert 'href="javascript:' not in page and "<img" not in page
    page = signed_in(app, world.users["parent"]).get(f"/materials/{material}").get_data(
        as_text=True)
    assert "<strong>Важно</strong>" in page and "&lt;script&gt;" in page


def test_the_journal_links_the_load_s_and_the_lesson_s_materials(app, world):
    material = add(app, world, "teacher", "teacher", lesson=True, kind="tasks",
                   title="Практическая работа 3")
    add(app, world, "teacher", "teacher", title="Рекомендации")
    teacher = signed_in(app, world.users["teacher"])
    grid = teacher.get(f"/journal/load/{world.ids['load:teacher']}").get_data(as_text=True)
    assert "Материалы (2)" in grid and f"/materials/loads/{world.ids['load:teacher']}" in grid
    lesson = teacher.get(f"/journal/lessons/{world.ids['lesson:teacher']}").get_data(
        as_text=True)
    assert "Задания: «Практическая работа 3»" in lesson and f"/materials/{material}" in lesson
    assert "Прикрепить материал к занятию" in lesson
    curator = signed_in(app, world.users["curator"]).get(
        f"/journal/lessons/{world.ids['lesson:teacher']}").get_data(as_text=True)
    assert "Практическая работа 3" in curator and "Прикрепить материал" not in curator
    form = teacher.get(f"/materials/loads/{world.ids['load:teacher']}/new"
                       f"?lesson={world.ids['lesson:teacher']}").get_data(as_text=True)
    assert f'<option selected value="{world.ids["lesson:teacher"]}">' in form


def test_a_lesson_of_another_load_is_a_404(app, world):
    response = post(app, world, {"kind": "tasks", "title": "Чужое занятие",
                                 "lesson": str(world.ids["lesson:teacher2"]),
                                 "url": "https://e.org/"})
    assert response.status_code == 404


def test_the_diary_query_count_does_not_grow_with_materials(app, world):
    student = signed_in(app, world.users["parent"])
    url = f"/diary/students/{world.ids['petrov']}?week=2026-10-05"

    def queries() -> int:
        student.get(url)
        with count_queries(app) as counter:
            assert student.get(url).status_code == 200
        return counter.count

    add(app, world, "teacher", "teacher", lesson=True, title="Первый")
    add(app, world, "teacher", "teacher", title="Курс")
    before = queries()
    with app.app_context():
        db.session.add(Lesson(load_id=world.ids["load:teacher"], date=world.today,
                              pair_number=5, topic="Ещё занятие"))
        db.session.commit()
        extra = db.session.scalar(select(Lesson.id).where(Lesson.pair_number == 5,
                                                         Lesson.load_id == world.ids["load:teacher"]))
    world.ids["lesson:extra"] = extra
    for number in range(4):
        add(app, world, "teacher", "teacher", lesson=True, title=f"Ещё {number}",
            files=[upload(f"f{number}.pdf"), upload(f"g{number}.pdf", io.BytesIO(PDF).read())])
        add(app, world, "english", "english", lesson=True, title=f"English {number}",
            url=f"https://e.org/{number}")
        add(app, world, "teacher", "teacher", title=f"Курс {number}", url="https://e.org/")
    page = student.get(url).get_data(as_text=True)
    assert "Ещё 3" in page and "English 3" in page and "Курс 3" in page
    assert queries() == before


def test_a_material_s_request_may_be_larger_than_the_site_s_but_not_without_bound(app, world):
    teacher = signed_in(app, world.users["teacher"])

    def too_large(url: str, size: int):
        return teacher.post(url, data=b"x", content_type="multipart/form-data; boundary=x",
                            environ_overrides={"CONTENT_LENGTH": str(size)})

    new = f"/materials/loads/{world.ids['load:teacher']}/new"
    response = too_large(new, 52 * MB)
    assert response.status_code == 413 and "51 МБ" in response.get_data(as_text=True)
    response = too_large("/messages/new", 20 * MB)  # elsewhere the site's own limit holds
    assert response.status_code == 413 and "16 МБ" in response.get_data(as_text=True)
