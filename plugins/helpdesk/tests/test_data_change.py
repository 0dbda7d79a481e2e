"""A parent reports that their phone or e-mail changed; the administrator sees what changes
(the values at filing and now) and applies it with one click: the contact changes through the
core's ``edit_contacts``, whose audit row names the request; the parent sees it answered."""

from __future__ import annotations

from sqlalchemy import func, select

from core.audit import AuditEntry
from core.extensions import db
from core.people.models import Guardian, User
from plugins.helpdesk.models import HelpRequest, RequestEntry
from plugins.helpdesk.tests.helpers import file, load


def _file_by_form(as_, **data):
    return as_("parent").post("/helpdesk/new", data={"kind": "data_change", **data})


def test_the_form_shows_the_parents_current_contacts(as_):
    page = as_("parent").get("/helpdesk/new?kind=data_change").get_data(as_text=True)
    assert "+79120001122" in page and "h.parent@college.example" in page
    assert '<option selected value="data_change">' in page


def test_a_data_change_applied_by_the_administrator_changes_the_contact_and_is_audited(
        app, world, as_):
    filed = _file_by_form(as_, phone="8 (912) 777-66-55", email="petrova.new@mail.ru",
                          body="Сменила номер.")
    assert filed.status_code == 302
    request_id = int(filed.headers["Location"].rsplit("/", 1)[1])
    admin = as_("admin")
    page = admin.get(f"/helpdesk/{request_id}").get_data(as_text=True)
    assert "<del>+79120001122</del>" in page and "<strong>+79127776655</strong>" in page
    assert "Применить изменения" in page
    applied = admin.post(f"/helpdesk/{request_id}/apply")
    assert applied.status_code == 302
    with app.app_context():
        guardian = db.session.get(Guardian, world.ids["guardian"])
        assert (guardian.phone, guardian.email) == ("+79127776655", "petrova.new@mail.ru")
        account = db.session.get(User, world.id("parent"))
        assert (account.phone, account.email) == ("+79127776655", "petrova.new@mail.ru")
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "people.contacts.edit")).one()
        assert (entry.target_type, entry.target_id) == ("Guardian", str(guardian.id))
        assert entry.actor_id == world.id("admin")
        assert entry.before == {"phone": "+79120001122", "email": "h.parent@college.example"}
        assert entry.after == {"phone": "+79127776655", "email": "petrova.new@mail.ru"}
        assert f"№{request_id}" in entry.note and f"helpdesk.request:{request_id}" in entry.note
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "helpdesk.request.applied",
            AuditEntry.target_id == str(request_id))) == 1
        actions = list(db.session.scalars(select(RequestEntry.action).where(
            RequestEntry.request_id == request_id).order_by(RequestEntry.id)))
        assert actions == ["filed", "applied"]
    item = load(app, request_id)
    assert item.status == "answered" and item.applied_by_id == world.id("admin")
    mine = as_("parent").get(f"/helpdesk/{request_id}").get_data(as_text=True)
    assert "Дан ответ" in mine and "Данные изменены" in mine and "+79127776655" in mine
    again = admin.post(f"/helpdesk/{request_id}/apply")
    assert again.status_code == 422
    assert "уже применено" in again.get_data(as_text=True)


def test_a_bad_phone_is_a_russian_form_error_and_nothing_is_filed(app, as_):
    refused = _file_by_form(as_, phone="912-abc", email="")
    assert refused.status_code == 422
    assert "Телефон может содержать только цифры" in refused.get_data(as_text=True)
    refused = _file_by_form(as_, phone="", email="not-an-address")
    assert "Адрес электронной почты указан неверно" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_the_same_values_as_now_without_a_word_are_refused(app, as_):
    refused = _file_by_form(as_, phone="+7 912 000-11-22", email="")
    assert refused.status_code == 422
    assert "должны отличаться от нынешних" in refused.get_data(as_text=True)


def test_only_a_parent_with_a_guardian_record_files_a_data_change(app, as_):
    refused = as_("teacher").post("/helpdesk/new", data={"kind": "data_change",
                                                         "phone": "+79990001122"})
    assert refused.status_code == 422
    assert "Выберите вид обращения из списка" in refused.get_data(as_text=True)
    assert "data_change" not in as_("teacher").get("/helpdesk/new").get_data(as_text=True)


def test_a_contact_changed_since_filing_is_shown_and_the_request_still_applies(app, world,
                                                                             as_):
    request_id = file(app, world, "parent", kind="data_change", email="petrova.2@mail.ru")
    with app.app_context():
        db.session.get(Guardian, world.ids["guardian"]).phone = "+79125550000"
        db.session.commit()
    page = as_("admin").get(f"/helpdesk/{request_id}").get_data(as_text=True)
    assert "petrova.2@mail.ru" in page and "h.parent@college.example" in page
    assert as_("admin").post(f"/helpdesk/{request_id}/apply").status_code == 302
    with app.app_context():
        guardian = db.session.get(Guardian, world.ids["guardian"])
        # only the field asked for changes; the phone changed meanwhile stays
        assert (guardian.phone, guardian.email) == ("+79125550000", "petrova.2@mail.ru")
