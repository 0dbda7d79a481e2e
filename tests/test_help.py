"""The built-in help: pages kept as files, each role's pages reached from the «?» of every page
it opens, a search over the pages, and pages read only by the roles they are written for."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from core.demo import load_demo
from core.errors import StartupError
from core.help import pages
from core.people.demo import DEMO_PASSWORD
from core.people.roles import Role
from tests.test_demo import TODAY

HELP_LINK = re.compile(r'id="help-link" href="([^"]+)"')
NAV_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)" href="([^"]+)"')
LINK = re.compile(r'href="(/[^"#]*)"')
#: the demo's logins, one a role (the curator's is also a teacher's)
DEMO_LOGINS = {"admin": Role.ADMIN, "director": Role.DIRECTOR, "deputy": Role.DEPUTY,
               "methodist": Role.METHODIST, "biriukova.iue": Role.TEACHER,
               "novikova.ld": Role.CURATOR, "anisimova.sv": Role.PARENT,
               "anisimov.am": Role.STUDENT}


def _page(text: str, slug: str = "teacher/topic") -> pages.HelpPage:
    return pages.parse(text, slug)


# --- the files -----------------------------------------------------------------------------


def test_every_help_file_parses_and_names_only_endpoints_of_the_app(app):
    library = pages.library(app)
    assert len(library) >= 20
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for page in library.values():
        assert page.title and page.roles and page.body.strip(), page.slug
        unknown = set(page.endpoints) - endpoints
        assert not unknown, f"{page.slug} names endpoints the app lacks: {sorted(unknown)}"


def test_every_role_has_help_written_for_it(app):
    library = pages.library(app).values()
    for role in Role:
        assert any(str(role) in page.roles for page in library), role


def test_a_plugin_ships_its_own_help_in_its_help_folder(app, tmp_path):
    folder = tmp_path / "help" / "teacher"
    folder.mkdir(parents=True)
    (folder / "extra.md").write_text("---\ntitle: Дополнительно\nroles: teacher\n---\nТекст\n",
                                     encoding="utf-8")
    found = pages.read([pages.CORE_PAGES, tmp_path / "help"])
    assert found["teacher/extra"].title == "Дополнительно"
    assert "teacher/grid" in found


def test_two_pages_at_one_address_stop_the_start(tmp_path):
    for root in ("a", "b"):
        (tmp_path / root / "teacher").mkdir(parents=True)
        (tmp_path / root / "teacher" / "same.md").write_text(
            "---\ntitle: Т\nroles: teacher\n---\nx\n", encoding="utf-8")
    with pytest.raises(StartupError, match="teacher/same"):
        pages.read([tmp_path / "a", tmp_path / "b"])


@pytest.mark.parametrize("text, complaint", [
    ("title: Т\nroles: teacher\n", "нет заголовка"),
    ("---\ntitle: Т\n---\nx", "title и roles"),
    ("---\ntitle: Т\nroles: dean\n---\nx", "неизвестные роли"),
    ("---\ntitle: Т\nroles: teacher\ncolour: red\n---\nx", "не понята"),
    ("---\ntitle: Т\nroles: teacher\norder: first\n---\nx", "order"),
])
def test_a_malformed_front_matter_is_refused_with_its_reason(text, complaint):
    with pytest.raises(ValueError, match=complaint):
        _page(text)


def test_the_front_matter_gives_title_roles_endpoints_and_order():
    page = _page("---\ntitle: Журнал\nroles: teacher, curator\n"
                 "endpoints: journal.grid, journal.index\norder: 5\n---\n## Оценки\n\nТекст\n")
    assert (page.title, page.roles, page.endpoints, page.order) == (
        "Журнал", frozenset({"teacher", "curator"}), ("journal.grid", "journal.index"), 5)
    assert "<h4>Оценки</h4>" in page.html()


# --- who reads what ------------------------------------------------------------------------


def test_the_help_of_a_page_is_the_one_written_for_the_readers_role(app, make_user):
    with app.test_request_context():
        teacher = make_user("h.teacher", [Role.TEACHER])
        deputy = make_user("h.deputy", [Role.DEPUTY])
        parent = make_user("h.parent", [Role.PARENT])
        student = make_user("h.student", [Role.STUDENT])
        assert pages.for_endpoint("journal.grid", teacher).slug == "teacher/grid"
        assert pages.for_endpoint("journal.grid", deputy).slug == "administration/control"
        assert pages.for_endpoint("family.student", parent).slug == "parent/diary"
        assert pages.for_endpoint("family.student", student).slug == "student/diary"
        assert pages.for_endpoint("attendance.student", parent).slug == "parent/absence"
        assert pages.for_endpoint("journal.grid", parent) is None


def test_a_reader_opens_only_the_pages_for_their_roles_and_the_administrator_all(
        app, make_user, client, login):
    with app.test_request_context():
        parent = make_user("h2.parent", [Role.PARENT])
    assert client.get("/help/common/sign-in").status_code == 200  # for everyone, signed out
    assert client.get("/help/parent/diary").status_code == 404
    login(parent)
    assert client.get("/help/parent/diary").status_code == 200
    assert client.get("/help/admin/year").status_code == 404
    index = client.get("/help/").get_data(as_text=True)
    assert "Дневник ребёнка" in index and "Открыть учебный год" not in index
    with app.test_request_context():
        admin = make_user("h2.admin", [Role.ADMIN])
    client.post("/auth/logout")
    login(admin)
    assert client.get("/help/parent/diary").status_code == 200
    assert client.get("/help/admin/year").status_code == 200


def test_a_page_of_a_plugin_not_enabled_is_left_out(make_app, tmp_path):
    from core import migrate
    from tests.fixtures import user_maker

    app = make_app(PLUGINS=["journal", "grading", "attendance"],
                   DATABASE_URL=f"sqlite:///{tmp_path / 'few.sqlite3'}")
    migrate.upgrade(app)
    deputy = user_maker(app)("h4.deputy", [Role.DEPUTY])
    with app.test_request_context():
        slugs = {page.slug for page in pages.readable(deputy)}
    assert "administration/corrections" in slugs and "common/sign-in" in slugs
    assert "administration/substitutions" not in slugs and "common/forum" not in slugs


def test_the_search_finds_pages_by_every_word_ignoring_case_and_yo(app, make_user, client,
                                                                   login):
    with app.test_request_context():
        teacher = make_user("h3.teacher", [Role.TEACHER])
    login(teacher)
    body = client.get("/help/search?q=ИСПРАВЛЕНИЕ причины").get_data(as_text=True)
    assert "Исправить оценку или отметку после срока" in body
    body = client.get("/help/search?q=учет замещений").get_data(as_text=True)  # «учёт»
    assert "Ничего не найдено" in body  # the administration's page: not a teacher's
    with app.test_request_context():
        found = pages.search("журнал учет замещений", make_user("h3.deputy", [Role.DEPUTY]))
    assert [item.page.slug for item in found] == ["administration/substitutions"]
    assert "Ничего не найдено" in client.get("/help/search?q=абракадабра").get_data(as_text=True)


# --- every page's «?» ----------------------------------------------------------------------


@pytest.fixture
def demo_world(demo_day_app):
    demo_day_app.config["RATELIMIT_ENABLED"] = False
    with demo_day_app.app_context():
        load_demo(seed=2026, today=TODAY)
    return demo_day_app


def _endpoint(adapter, path: str) -> str | None:
    try:
        return adapter.match(path, method="GET")[0]
    except (NotFound, MethodNotAllowed):
        return None
    except Exception:  # a redirect rule (a missing slash)
        return None


def _walk(app, client, depth: int = 2) -> dict[str, tuple[str, str]]:
    """Every page (one URL an endpoint) reached from the home page through the menu and the
    pages' own links, up to ``depth`` clicks: endpoint → (URL, its «?» link)."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, tuple[str, str]] = {}
    queue, seen = deque([("/", 0)]), {"/"}
    while queue:
        url, clicks = queue.popleft()
        endpoint = _endpoint(adapter, urlsplit(url).path)
        if endpoint is None or endpoint in found or endpoint == "auth.logout":
            continue
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        help_link = HELP_LINK.search(html)
        if help_link is None:
            continue  # a page of its own kind (a printout) without the header
        final = _endpoint(adapter, response.request.path) or endpoint
        found.setdefault(final, (response.request.path, unescape(help_link.group(1))))
        found.setdefault(endpoint, (url, unescape(help_link.group(1))))
        if clicks < depth:
            for link in LINK.findall(html):
                link = unescape(link)
                if "/static/" not in link and link not in seen:
                    seen.add(link)
                    queue.append((link, clicks + 1))
    return found


def test_every_page_a_role_reaches_has_a_help_link_that_opens(demo_world):
    for login, role in DEMO_LOGINS.items():
        client = demo_world.test_client()
        response = client.post("/auth/login", data={"login": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login
        home = client.get("/").get_data(as_text=True)
        menu = {urlsplit(unescape(u)).path for u in NAV_LINK.findall(home)}
        reached = _walk(demo_world, client)
        assert len(reached) >= 8, (login, sorted(reached))
        adapter = demo_world.url_map.bind("localhost")
        # the areas (blueprints) with help of their own; a plugin that has written none yet
        # gets the index, one that has must cover its menu's pages
        documented = {endpoint.partition(".")[0] for page in pages.library(demo_world).values()
                      for endpoint in page.endpoints}
        for endpoint, (url, help_url) in reached.items():
            help_endpoint = _endpoint(adapter, urlsplit(help_url).path)
            assert help_endpoint in ("help.page", "help.index"), (login, url, help_url)
            opened = client.get(help_url)
            assert opened.status_code == 200, (login, url, help_url)
            if urlsplit(url).path in menu and endpoint.partition(".")[0] in documented:
                assert help_endpoint == "help.page", (login, role, url)
                slug = "/".join(Path(urlsplit(help_url).path).parts[-2:])
                assert endpoint in pages.library(demo_world)[slug].endpoints, (login, url)
