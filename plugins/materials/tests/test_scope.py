"""Who sees a load's materials: its students (of its subgroup, for a subgroup's load) and their
parents in the diary and by the link, staff who read its journal on its page; everyone else a
404 for the page and the file, and nothing in the diary. Who adds and changes them."""

from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.materials.models import Material
from plugins.materials.tests.helpers import add, file_id, upload
from tests.fixtures import signed_in

WEEK = "2026-10-05"


def diary(client, world, student: str) -> str:
    response = client.get(f"/diary/students/{world.ids[student]}?week={WEEK}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_load_s_materials_reach_its_students_and_parents_only(app, world):
    lesson_material = add(app, world, "teacher", "teacher", lesson=True, kind="tasks",
                          title="Задачи к занятию по циклам")
    whole = add(app, world, "teacher", "teacher", title="Рекомендации по курсу алгоритмизации")
    the_file = file_id(app, lesson_material)
    for who, student in (("student", "petrov"), ("parent", "petrov"), ("student2", "smirnova"),
                         ("parent2", "smirnova")):
        client = signed_in(app, world.users[who])
        page = diary(client, world, student)
        assert "Задачи к занятию по циклам" in page, who
        assert f"/materials/{lesson_material}" in page
        assert "Рекомендации по курсу алгоритмизации" in page  # the discipline's, under the week
        assert client.get(f"/materials/files/{the_file}").status_code == 200
        assert client.get(f"/materials/{whole}").status_code == 200
        assert client.get(f"/materials/loads/{world.ids['load:teacher']}").status_code == 200
    for who, student in (("student3", "fedorova"), ("parent3", "orlov"), ("parent", "fedorova")):
        client = signed_in(app, world.users[who])
        if who != "parent":  # the parent of both: Фёдорова's diary shows none of ИСП-21's
            assert client.get(f"/materials/files/{the_file}").status_code == 404, who
            assert client.get(f"/materials/{lesson_material}").status_code == 404, who
            assert client.get(f"/materials/loads/{world.ids['load:teacher']}").status_code == 404
        page = diary(client, world, student)
        assert "Задачи к занятию по циклам" not in page
        assert "Рекомендации по курсу" not in page


def test_a_subgroup_s_materials_reach_only_that_subgroup(app, world):
    material = add(app, world, "english", "english", lesson=True, title="Vocabulary list")
    the_file = file_id(app, material)
    petrov = signed_in(app, world.users["student"])
    assert "Vocabulary list" in diary(petrov, world, "petrov")
    assert petrov.get(f"/materials/files/{the_file}").status_code == 200
    for who in ("student2", "parent2"):  # Смирнова is not in the English subgroup
        client = signed_in(app, world.users[who])
        assert "Vocabulary list" not in diary(client, world, "smirnova")
        assert client.get(f"/materials/files/{the_file}").status_code == 404
        assert client.get(f"/materials/{material}").status_code == 404


def test_staff_who_read_the_journal_see_the_materials_others_get_404(app, world):
    material = add(app, world, "teacher", "teacher", title="Рекомендации")
    the_file = file_id(app, material)
    load_page = f"/materials/loads/{world.ids['load:teacher']}"
    for who in ("teacher", "curator", "admin", "director", "methodist"):
        client = signed_in(app, world.users[who])
        assert client.get(load_page).status_code == 200, who
        assert client.get(f"/materials/files/{the_file}").status_code == 200, who
    for who in ("teacher2", "english", "curator2"):
        client = signed_in(app, world.users[who])
        assert client.get(load_page).status_code == 404, who
        assert client.get(f"/materials/files/{the_file}").status_code == 404, who


def test_a_teacher_of_another_load_cannot_add_the_administration_can(app, world):
    url = f"/materials/loads/{world.ids['load:teacher']}/new"
    data = {"kind": "guidelines", "title": "Чужой материал", "url": "https://example.org/"}
    for who in ("teacher2", "english", "curator", "student", "parent"):
        client = signed_in(app, world.users[who])
        assert client.get(url).status_code == 404, who
        assert client.post(url, data=data).status_code == 404, who
    for who in ("teacher", "methodist", "deputy"):
        response = signed_in(app, world.users[who]).post(url, data=data)
        assert response.status_code == 302, who
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Material).where(
            Material.title == "Чужой материал")) == 3


def test_the_author_or_the_administration_edit_and_remove_and_the_removal_is_kept(app, world):
    material = add(app, world, "teacher", "teacher", lesson=True, title="Задания")
    the_file = file_id(app, material)
    edit = {"kind": "tasks", "title": "Задания (исправлено)", "lesson": ""}
    for who in ("teacher2", "curator", "student", "english"):
        client = signed_in(app, world.users[who])
        assert client.get(f"/materials/{material}/edit").status_code == 404, who
        assert client.post(f"/materials/{material}/edit", data=edit).status_code == 404, who
        assert client.post(f"/materials/{material}/remove").status_code == 404, who
    curator_page = signed_in(app, world.users["curator"]).get(f"/materials/{material}")
    assert "Убрать материал" not in curator_page.get_data(as_text=True)
    teacher = signed_in(app, world.users["teacher"])
    assert teacher.post(f"/materials/{material}/edit", data=edit).status_code == 302
    with app.app_context():
        found = db.session.get(Material, material)
        assert (found.title, found.kind, found.lesson_id) == ("Задания (исправлено)", "tasks", None)
    admin = signed_in(app, world.users["admin"])
    assert admin.post(f"/materials/{material}/remove").status_code == 302
    with app.app_context():
        found = db.session.get(Material, material)
        assert found.deleted_at is not None and found.deleted_by_id == world.id("admin")
        actions = set(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_type == "Material", AuditEntry.target_id == str(material))))
        assert {"materials.material.add", "materials.material.update",
                "materials.material.remove"} <= actions
    student = signed_in(app, world.users["student"])
    assert student.get(f"/materials/{material}").status_code == 404
    assert student.get(f"/materials/files/{the_file}").status_code == 404
    assert "Задания (исправлено)" not in diary(student, world, "petrov")
    assert teacher.get(f"/materials/{material}").status_code == 404


def test_an_author_adds_and_removes_files_of_a_material(app, world):
    material = add(app, world, "teacher", "teacher", title="Файлы")
    teacher = signed_in(app, world.users["teacher"])
    old = file_id(app, material)
    response = teacher.post(f"/materials/{material}/edit", data={
        "kind": "guidelines", "title": "Файлы", "remove_files": [str(old)],
        "files": [upload("plan.txt", "План занятия".encode())]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        from plugins.materials.models import MaterialFile

        names = list(db.session.scalars(select(MaterialFile.filename).where(
            MaterialFile.material_id == material)))
    assert names == ["plan.txt"]
    response = teacher.post(f"/materials/{material}/edit", data={
        "kind": "guidelines", "title": "Файлы", "remove_files": [str(file_id(app, material))]})
    assert response.status_code == 422
    assert "Приложите файл или укажите ссылку." in response.get_data(as_text=True)


def test_staff_reading_a_diary_see_only_the_materials_they_may_open(app, world):
    add(app, world, "teacher", "teacher", lesson=True, title="Задачи по алгоритмам")
    add(app, world, "english", "english", lesson=True, title="English homework list")
    english = diary(signed_in(app, world.users["english"]), world, "petrov")
    assert "English homework list" in english and "Задачи по алгоритмам" not in english
    curator = diary(signed_in(app, world.users["curator"]), world, "petrov")
    assert "English homework list" in curator and "Задачи по алгоритмам" in curator


def test_a_student_who_left_the_group_before_the_term_does_not_see_its_materials(app, world):
    from datetime import timedelta

    from core.people.models import GroupMembership

    material = add(app, world, "teacher", "teacher", title="Рекомендации ИСП")
    with app.app_context():
        stay = db.session.scalar(select(GroupMembership).where(
            GroupMembership.student_id == world.ids["smirnova"]))
        stay.left_on = world.today - timedelta(days=61)  # the term began 60 days ago
        db.session.add(GroupMembership(student_id=world.ids["smirnova"], group_id=world.ids["tm"],
                                       joined_on=world.today - timedelta(days=60)))
        db.session.commit()
    for who in ("student2", "parent2"):
        client = signed_in(app, world.users[who])
        assert client.get(f"/materials/{material}").status_code == 404, who
        assert client.get(f"/materials/files/{file_id(app, material)}").status_code == 404
        assert "Рекомендации ИСП" not in diary(client, world, "smirnova")
