"""A check from start to signature: remarks per row and overall, the PDF «Справка по итогам
проверки», a signed check that refuses every change (409), acknowledgements by the teacher and
the curator, and what was fixed by the next check."""

from __future__ import annotations

import json

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.control.models import Acknowledgement, Check, Remark
from plugins.control.tests.helpers import client_of, pdf_text, start
from plugins.journal.models import Lesson


def row_key(world, who: str, load: str | None) -> str:
    return f"row-{world.id(who)}-{world.ids[load] if load else 0}"


def test_the_deputy_checks_remarks_and_signs_and_the_signed_check_is_immutable(app, world):
    deputy = client_of(app, world, "deputy")
    check_id = start(deputy)
    page = deputy.get(f"/control/checks/{check_id}").get_data(as_text=True)
    assert "Занятия без темы" in page and "Обращения без ответа в срок" in page
    assert "Васильев П." in page and "Титов О." in page
    saved = deputy.post(f"/control/checks/{check_id}/remarks", data={
        row_key(world, "teacher", "load"): "Записать тему занятия и отметить посещаемость",
        "remark": "Журналы ведутся с опозданием"})
    assert saved.status_code == 302
    assert deputy.post(f"/control/checks/{check_id}/sign").status_code == 302
    with app.app_context():
        check = db.session.get(Check, check_id)
        assert check.signed_at is not None and check.checker_id == world.id("deputy")
        snapshot = json.loads(check.findings)
        assert {row["teacher_id"] for row in snapshot} == {world.id("teacher"),
                                                          world.id("teacher2")}
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "control.check.sign",
            AuditEntry.target_id == str(check_id))) is not None
    # every change of a signed check is refused, nothing rewritten
    for url, data in ((f"/control/checks/{check_id}/remarks", {"remark": "иначе"}),
                      (f"/control/checks/{check_id}/sign", {}),
                      (f"/control/checks/{check_id}/tick", {"item": "quality", "ticked": "1"})):
        refused = deputy.post(url, data=data)
        assert refused.status_code == 409, url
        assert "Проверка подписана" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Check, check_id).remark == "Журналы ведутся с опозданием"
    # the findings are kept as signed: fixing the journal later does not change the record
    with app.app_context():
        for lesson in db.session.scalars(select(Lesson).where(Lesson.topic == "")):
            lesson.topic = "Введение"
        db.session.commit()
    assert "Занятия без темы" in deputy.get(f"/control/checks/{check_id}").get_data(
        as_text=True)


def test_the_pdf_has_the_title_the_remarks_and_the_signature_block(app, world):
    deputy = client_of(app, world, "deputy")
    check_id = start(deputy)
    deputy.post(f"/control/checks/{check_id}/remarks", data={
        row_key(world, "teacher", "load"): "Заполнить темы", "remark": "Общий вывод проверки"})
    assert deputy.get(f"/control/checks/{check_id}/report.pdf").status_code == 409  # a draft
    deputy.post(f"/control/checks/{check_id}/sign")
    response = deputy.get(f"/control/checks/{check_id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Справка по итогам проверки" in text
    assert "Заполнить темы" in text and "Общий вывод проверки" in text
    assert "Заместитель директора" in text and "Лебедева О." in text  # who signs
    assert "Занятия без темы" in text and "Васильев П." in text
    assert "М.П." in text and "Дата" in text  # the signature block
    assert "С результатами ознакомлен" not in text  # BTT: results are not reported to the director


def test_bad_input_is_refused_with_a_reason(app, world):
    deputy = client_of(app, world, "deputy")
    refused = deputy.post("/control/checks", data={"role": "deputy", "start": "2026-10-07",
                                                   "end": "2026-10-01"})
    assert refused.status_code == 422 and "Начало периода позже" in refused.get_data(True)
    assert deputy.post("/control/checks", data={"role": "deputy", "start": "вчера"}
                       ).status_code == 422
    assert deputy.post("/control/checks", data={"role": "supervisor"}).status_code == 404
    assert deputy.post("/control/checks", data={"role": "deputy", "kind": "term_end"}
                       ).status_code == 422  # BTT has no term-end check
    check_id = start(deputy)
    long = deputy.post(f"/control/checks/{check_id}/remarks", data={"remark": "я" * 2001})
    assert long.status_code == 422
    unknown = deputy.post(f"/control/checks/{check_id}/remarks", data={"row-999999-0": "x"})
    assert unknown.status_code == 422
    # somebody else's draft is not theirs to change or to see
    assert client_of(app, world, "teacher").get(f"/control/checks/{check_id}").status_code == 404
    assert client_of(app, world, "methodist").post(f"/control/checks/{check_id}/sign"
                                                   ).status_code == 404


def test_teacher_and_curator_see_their_remarks_and_acknowledge_them(app, world):
    deputy = client_of(app, world, "deputy")
    check_id = start(deputy)
    deputy.post(f"/control/checks/{check_id}/remarks", data={
        row_key(world, "teacher", "load"): "Оформить замещение 05.10",
        row_key(world, "teacher2", "load2"): "Записать тему"})
    teacher = client_of(app, world, "teacher")
    assert "Оформить замещение" not in teacher.get("/control/").get_data(True)  # a draft
    deputy.post(f"/control/checks/{check_id}/sign")
    page = teacher.get("/control/").get_data(as_text=True)
    assert "Оформить замещение 05.10" in page and "Записать тему" not in page
    assert "Замечания по проверке журнала" in teacher.get("/").get_data(as_text=True)
    curator_page = client_of(app, world, "curator").get("/control/").get_data(as_text=True)
    assert "Оформить замещение 05.10" in curator_page  # the curator of ИСП-21
    with app.app_context():
        remark = db.session.scalars(select(Remark).where(
            Remark.teacher_id == world.id("teacher"))).one()
        other = db.session.scalars(select(Remark).where(
            Remark.teacher_id == world.id("teacher2"))).one()
    assert teacher.post(f"/control/remarks/{other.id}/acknowledge").status_code == 404
    assert teacher.post(f"/control/remarks/{remark.id}/acknowledge").status_code == 302
    assert teacher.post(f"/control/remarks/{remark.id}/acknowledge").status_code == 302  # once
    with app.app_context():
        acks = db.session.scalars(select(Acknowledgement)).all()
        assert [(a.remark_id, a.user_id) for a in acks] == [(remark.id, world.id("teacher"))]
    assert "Ознакомлен(а)" in teacher.get("/control/").get_data(as_text=True)
    assert "Замечания по проверке журнала" not in teacher.get("/").get_data(as_text=True)
    check_page = deputy.get(f"/control/checks/{check_id}").get_data(as_text=True)
    assert "ознакомлен(а): Васильев П." in check_page


def test_the_next_check_shows_what_was_fixed_since(app, world):
    deputy = client_of(app, world, "deputy")
    first = start(deputy)
    deputy.post(f"/control/checks/{first}/sign")
    with app.app_context():
        for lesson in db.session.scalars(select(Lesson).where(Lesson.topic == "")):
            lesson.topic = "Введение"
        db.session.commit()
    second = start(deputy)
    assert second != first
    page = deputy.get(f"/control/checks/{second}").get_data(as_text=True)
    assert "устранено: 2" in page  # the two lessons without a topic, one per teacher
    assert "Занятия без темы" in page.split("control-since")[1].split("</div></div>")[0]
    deputy.post(f"/control/checks/{second}/sign")
    with app.app_context():
        db.session.scalars(select(Lesson)).first().topic = ""  # later changes ...
        db.session.commit()
    kept = deputy.get(f"/control/checks/{second}").get_data(as_text=True)
    assert "устранено: 2" in kept  # ... leave what the signed check recorded as it was
    text = pdf_text(deputy.get(f"/control/checks/{second}/report.pdf").data)
    assert "Устранено после проверки" in text and "устранено: 2" in text


def test_signing_from_the_checks_form_saves_its_remarks_with_the_signature(app, world):
    deputy = client_of(app, world, "deputy")
    check_id = start(deputy)
    assert deputy.post(f"/control/checks/{check_id}/sign", data={
        row_key(world, "teacher2", "load2"): "Записать тему", "remark": "Итог"}
    ).status_code == 302
    with app.app_context():
        check = db.session.get(Check, check_id)
        assert check.signed and check.remark == "Итог"
        assert [r.text for r in db.session.scalars(select(Remark).where(
            Remark.check_id == check_id))] == ["Записать тему"]
