"""Where the colleges differ: in BTT (3.5, 4.3.2, 4.4.2) a student hands in self-study in the
journal; in KTIS (3.13) families see tasks «в режиме просмотра», so a hand-in is refused with
the reason and the teacher records work handed in on paper. Both mark it into the journal."""

from __future__ import annotations

from plugins.selfstudy.tests.conftest import NOON, make_world
from plugins.selfstudy.tests.helpers import set_task
from tests.fixtures import signed_in


def test_who_records_a_hand_in_follows_the_preset(preset_app, clock):
    clock.set(NOON, tick=True)
    app = preset_app
    world = make_world(app, prefix="sp")
    task = set_task(app, world)
    with app.app_context():
        from core.policy import policy_value

        hands_in = policy_value("selfstudy.students_hand_in")
    student = signed_in(app, world.users["student"])
    page = student.get(f"/selfstudy/tasks/{task}").get_data(as_text=True)
    response = student.post(f"/selfstudy/tasks/{task}/hand-in", data={"text": "Готово"},
                            content_type="multipart/form-data")
    teacher = signed_in(app, world.users["teacher"])
    if hands_in:
        assert app.config["POLICY"] == "btt"
        assert "Сдать работу" in page
        assert response.status_code == 302
    else:
        assert app.config["POLICY"] == "ktis"
        assert "Работу сдают преподавателю" in page and "Сдать работу" not in page
        assert response.status_code == 422
        assert "в режиме просмотра" in response.get_data(as_text=True)
        assert "задано" in student.get(f"/selfstudy/tasks/{task}").get_data(as_text=True)
        received = teacher.post(f"/selfstudy/tasks/{task}/students/{world.ids['petrov']}"
                                "/received")
        assert received.status_code == 302
    assert "Сдали: 1 из 3" in teacher.get(f"/selfstudy/tasks/{task}").get_data(as_text=True)
    sid = world.ids["petrov"]
    assert teacher.post(f"/selfstudy/tasks/{task}/students/{sid}/mark", data={
        f"s{sid}-value": "4", f"s{sid}-lesson": str(world.ids["lesson:teacher:monday"]),
        f"s{sid}-mark_type": "written"}).status_code == 302
    diary = signed_in(app, world.users["parent"]).get(
        f"/diary/students/{sid}?week=2026-10-05").get_data(as_text=True)
    assert "оценено" in diary and "<td>4</td>" in diary
