"""Who sees a task: a collective one its journal's students and their parents, an individual one
only its chosen students and their parents (404 for everyone else, nothing in their diary);
staff who read the journal see every task with every student's work; only the journal's
teacher sets one."""

from __future__ import annotations

from plugins.selfstudy.tests.helpers import set_task
from tests.fixtures import signed_in

WEEK = "2026-10-05"


def diary(client, world, student: str) -> str:
    response = client.get(f"/diary/students/{world.ids[student]}?week={WEEK}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_individual_task_is_seen_only_by_its_students_and_their_parents(app, world):
    task = set_task(app, world, title="Индивидуально: разобрать ошибки", individual=True,
                    students=("petrov",))
    for who in ("student", "parent"):
        client = signed_in(app, world.users[who])
        page = client.get(f"/selfstudy/tasks/{task}")
        assert page.status_code == 200, who
        assert "Индивидуально: разобрать ошибки" in page.get_data(as_text=True)
        assert "Индивидуально: разобрать ошибки" in diary(client, world, "petrov")
    for who, student in (("student2", "smirnova"), ("parent2", "smirnova"),
                         ("student3", "fedorova"), ("parent3", "orlov")):
        client = signed_in(app, world.users[who])
        assert client.get(f"/selfstudy/tasks/{task}").status_code == 404, who
        assert "Индивидуально: разобрать ошибки" not in diary(client, world, student), who
    # the parent of Петров and Фёдорова: not in Фёдорова's diary either
    assert "Индивидуально" not in diary(signed_in(app, world.users["parent"]), world,
                                        "fedorova")


def test_a_collective_task_reaches_the_whole_group_and_no_other(app, world):
    task = set_task(app, world, title="Для всей группы: конспект")
    for who, student in (("student", "petrov"), ("student2", "smirnova"),
                         ("parent2", "smirnova")):
        client = signed_in(app, world.users[who])
        assert client.get(f"/selfstudy/tasks/{task}").status_code == 200, who
        assert "Для всей группы: конспект" in diary(client, world, student)
    for who in ("student3", "parent3"):
        assert signed_in(app, world.users[who]).get(f"/selfstudy/tasks/{task}").status_code \
            == 404


def test_staff_who_read_the_journal_see_the_task_others_get_404(app, world):
    task = set_task(app, world, individual=True, students=("smirnova",))
    for who in ("teacher", "curator", "admin", "deputy"):
        page = signed_in(app, world.users[who]).get(f"/selfstudy/tasks/{task}")
        assert page.status_code == 200, who
        assert "Смирнова" in page.get_data(as_text=True)
    for who in ("teacher2", "english", "curator2"):
        assert signed_in(app, world.users[who]).get(f"/selfstudy/tasks/{task}").status_code \
            == 404, who


def test_only_the_journal_s_teacher_sets_a_task(app, world):
    url = f"/selfstudy/loads/{world.ids['load:teacher']}/new"
    data = {"title": "Чужое задание", "due_on": "2026-10-09", "lesson": "",
            "consultation": ""}
    for who in ("teacher2", "student", "parent"):
        assert signed_in(app, world.users[who]).post(url, data=data).status_code == 404, who
    teacher = signed_in(app, world.users["teacher"])
    response = teacher.post(url, data=data)
    assert response.status_code == 302
    assert "Чужое задание" in teacher.get(response.headers["Location"]).get_data(as_text=True)
