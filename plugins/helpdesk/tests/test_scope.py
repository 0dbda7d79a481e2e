"""Authors see their own requests only (another's is a 404, as is any action on it); the
director and the deputy read every request but do not answer; the administrator answers and
applies; nobody else reaches the queue."""

from __future__ import annotations

import pytest

from plugins.helpdesk.tests.helpers import file, load


@pytest.fixture
def filed(app, world) -> int:
    return file(app, world, "parent", kind="data_change", phone="+7 912 555-44-33",
                body="Новый номер")


def test_an_authors_request_is_a_404_to_another_author(as_, filed):
    other = as_("parent2")
    assert other.get(f"/helpdesk/{filed}").status_code == 404
    assert other.post(f"/helpdesk/{filed}/close").status_code == 404
    assert other.post(f"/helpdesk/{filed}/reopen", data={"text": "x"}).status_code == 404
    assert other.post(f"/helpdesk/{filed}/apply").status_code == 404
    assert "Новый номер" not in other.get("/helpdesk/").get_data(as_text=True)
    assert as_("parent").get(f"/helpdesk/{filed}").status_code == 200


@pytest.mark.parametrize("who", ["teacher", "curator", "methodist", "student", "parent2"])
def test_neither_the_queue_nor_anothers_request_opens_to_those_who_do_not_handle_them(
        as_, filed, who):
    client = as_(who)
    assert client.get("/helpdesk/queue").status_code == 404
    assert client.get(f"/helpdesk/{filed}").status_code == 404
    assert client.post(f"/helpdesk/{filed}/status",
                       data={"status": "in_work"}).status_code == 404


@pytest.mark.parametrize("who", ["director", "deputy"])
def test_the_director_and_deputy_read_every_request_but_do_not_answer(app, as_, filed, who):
    reader = as_(who)
    queue = reader.get("/helpdesk/queue").get_data(as_text=True)
    assert f'href="/helpdesk/{filed}"' in queue
    page = reader.get(f"/helpdesk/{filed}").get_data(as_text=True)
    assert "+79125554433" in page and "Применить изменения" not in page
    assert reader.post(f"/helpdesk/{filed}/status", data={"status": "in_work"}).status_code == 404
    assert reader.post(f"/helpdesk/{filed}/apply").status_code == 404
    assert load(app, filed).status == "new"


def test_the_administrator_answers(app, as_, filed):
    admin = as_("admin")
    page = admin.get(f"/helpdesk/{filed}").get_data(as_text=True)
    assert "Применить изменения" in page and 'name="status"' in page
    assert admin.post(f"/helpdesk/{filed}/status", data={"status": "in_work"}).status_code == 302
    assert load(app, filed).status == "in_work"

