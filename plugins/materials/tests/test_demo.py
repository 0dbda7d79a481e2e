"""The demo college's materials: recommendations (a PDF), a lesson's tasks and a literature link
for the first demo student's disciplines, shown in that student's diary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.demo import load_demo
from core.extensions import db
from core.people.models import Student, User
from plugins.materials.models import Material, MaterialFile
from tests.fixtures import signed_in

TODAY = date(2026, 11, 25)  # a Wednesday


def test_demo_materials_are_in_a_demo_student_s_diary(demo_day_app):
    with demo_day_app.test_request_context():
        logins = load_demo(seed=2026, today=TODAY)
        kinds = set(db.session.scalars(select(Material.kind)))
        assert kinds == {"guidelines", "tasks", "literature"}
        pdf = db.session.scalar(select(MaterialFile).where(
            MaterialFile.content_type == "application/pdf"))
        assert pdf.content.startswith(b"%PDF-")
        assert db.session.scalar(select(Material.url).where(Material.url.is_not(None))) \
            .startswith("https://")
        student_login = next(login for title, login, _p in logins if title == "Обучающийся")
        user = db.session.scalar(select(User).where(User.login == student_login))
        student_id = db.session.scalar(select(Student.id).where(Student.user_id == user.id))
        _ = user.roles
    client = signed_in(demo_day_app, user, password=next(p for _t, _l, p in logins))
    page = client.get(f"/diary/students/{student_id}?week=2026-11-23").get_data(as_text=True)
    assert "Задания для самостоятельной работы" in page
    assert "Материалы по дисциплинам" in page and "Методические рекомендации" in page
    assert client.get(f"/materials/files/{pdf.id}").status_code == 200
