"""After sign-in (and a language switch) the browser goes only to a path of this site, however
the target is spelt: the browser drops tabs and newlines and reads a backslash as a slash, and
Werkzeug writes the Location header through ``urlsplit``, which drops them too."""

from __future__ import annotations

import pytest

from core.people.roles import Role
from tests.people_world import PASSWORD

#: ``next`` as the view reads it (the test client percent-encodes it into the query string)
HOSTILE = [
    "//x",
    "/\\x",
    "\\\\x",
    "/\t/x",          # ?next=/%09/x: was answered «Location: //x»
    "/\n/x",          # was a 500: a newline in a header
    "/\r\n/x",
    "\t//x",
    " //x",
    "\x00//x",
    "https://x",
    "https:x",
    "http:/\\x",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    # encoded once more than the query string needs: what a link would carry
    "/%2F%2Fx",
    "%2F%2Fx",
    "/%5Cx",
    "/%5C%5Cx",
    "/%09/x",
    "/%0A/x",
    "%09//x",
    "https%3A%2F%2Fx",
    "javascript%3Aalert(1)",
    # and twice more
    "/%252F%252Fx",
    "/%25252F%25252Fx",
    "/%255Cx",
    "/%2509/x",
]

SAME_SITE = [
    "/auth/password",
    "/people/groups?page=2",
    "/people/search?q=%D0%98%D0%B2%D0%B0%D0%BD",
    "/admin/audit?who=x&action=auth.login",
    "/auth/login?next=/admin",
]


@pytest.fixture
def teacher(make_user):
    return make_user("redirect.teacher", [Role.TEACHER])


def _sign_in(app, teacher, target: str) -> str:
    response = app.test_client().post("/auth/login", query_string={"next": target},
                                      data={"login": teacher.login, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_redirects_off_the_site(app, teacher, target):
    if "\x00" in target:  # refused before any view (core.params): no sign-in, no redirect
        response = app.test_client().post("/auth/login", query_string={"next": target},
                                          data={"login": teacher.login, "password": PASSWORD})
        assert response.status_code == 400 and "Location" not in response.headers
        return
    assert _sign_in(app, teacher, target) == "/"


@pytest.mark.parametrize("target", SAME_SITE)
def test_sign_in_returns_to_the_page_of_this_site_it_was_asked_for(app, teacher, target):
    assert _sign_in(app, teacher, target) == target


@pytest.mark.parametrize("target", ["/\t/x", "/%2F%2Fx", "https://x", "/\\x"])
def test_language_switch_never_redirects_off_the_site(client, target):
    response = client.post("/lang/en", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_the_page_it_was_on(client):
    response = client.post("/lang/en", data={"next": "/people/groups?page=2"})
    assert response.headers["Location"] == "/people/groups?page=2"
