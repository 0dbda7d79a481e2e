"""Pages in a real browser: Playwright driving Debian's Chromium against the app served on a
free local port (a pytest plugin of the root conftest.py).

A browser test module sets ``pytestmark = NEEDS_CHROMIUM`` (skipped without /usr/bin/chromium:
`apt-get install chromium` as root, then `pytest -m browser`), builds its world on the
``live_app`` (CSRF on, real commits, SQLite begun ``IMMEDIATE`` as in production), serves it with
``serve(app)`` (``base`` is the ``live_app`` served) and drives the ``chromium`` browser:
``signed_in_page(chromium, base, user)`` opens a Russian desktop-sized page signed in
(``sign_in(page, base, user)``), ``submit(page, success)`` sends its form, ``shot(page, name)``
saves the page as a PNG to ``EJOURNAL_SCREENSHOTS=<folder>`` when set (to look at the pages);
``correct_refused_cell`` files the correction a grid's refusal links to. A journey opens
``page_in(chromium, base, user, PHONE)`` (the laptop's 1366 × 768 by default) and calls
``look_at(page, name, shots)`` on each page: axe-core's WCAG 2.1 AA rules with no serious or critical
violation, no page wider than its viewport, a screenshot among the test's artefacts.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from core import migrate

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "secret-pass-1"  # of every user the test worlds make

NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None,
                       reason="Debian's Chromium is not installed: `apt-get install chromium` "
                              "(as root), then run pytest -m browser"),
]


@pytest.fixture
def live_app(make_app, tmp_path) -> Flask:
    """A migrated app configured as it is served: CSRF checked, commits real (on a file)."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'browser.sqlite3'}",
                   WTF_CSRF_ENABLED=True, SERVER_NAME=None, TESTING=False,
                   SQLITE_BEGIN_MODE="IMMEDIATE")
    migrate.upgrade(app)
    return app


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], str]]:
    """``serve(app)``: the app served on a free local port, by threads; its base URL. The
    servers stop when the test ends."""
    servers = []

    def start(app: Flask) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture
def base(live_app, serve) -> str:
    """The base URL of the ``live_app`` served (its world may be built before or after)."""
    return serve(live_app)


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (a ``playwright.sync_api.Browser``);
    closed when the test ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def signed_in_page(browser, base: str, user) -> Any:
    """A new page of ``browser`` in a context of its own (1280×900, Russian locale), ``user``
    signed in."""
    page = browser.new_context(viewport={"width": 1280, "height": 900},
                               locale="ru-RU").new_page()
    sign_in(page, base, user)
    return page


def submit(page, success: str) -> None:
    """Submit the form of ``page``'s main part; the page then says ``success``."""
    from playwright.sync_api import expect

    page.click("main button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(success)


def shot(page, name: str) -> None:
    """Save ``page`` whole as ``<name>.png`` in ``EJOURNAL_SCREENSHOTS``, if that is set."""
    folder = os.environ.get("EJOURNAL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(page, base: str, user, password: str = PASSWORD) -> None:
    """Sign ``user`` in through the login form, in ``page``."""
    page.goto(f"{base}/auth/login")
    page.fill("#login", user.login)
    page.fill("#password", password)
    with page.expect_navigation():  # the next step starts on the page the sign-in leads to
        page.click("main button[type=submit]")


def correct_refused_cell(page, cell, value: str, field: str, reason: str, shots: Path,
                         prefix: str = "") -> None:
    """Type ``value`` in the grid's ``cell``, which the server refuses (its day has passed);
    follow the refusal's link to the correction form, find ``value`` in its ``field`` and file
    it with ``reason``. Screenshots ``<prefix>grid-409.png`` and ``<prefix>correction-form.png``
    go to ``shots``."""
    from playwright.sync_api import expect

    cell.click()
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    link = page.locator("#grid-status a.correction-link")
    expect(link).to_have_count(1)
    page.screenshot(path=str(shots / f"{prefix}grid-409.png"), full_page=True)
    link.click()
    expect(page.locator(f"input[name={field}]")).to_have_value(value)
    page.fill("textarea[name=reason]", reason)
    page.screenshot(path=str(shots / f"{prefix}correction-form.png"), full_page=True)
    page.click("main button[type=submit]")


def open_menu(page: Any, title: str) -> None:
    """Follow the main menu's item ``title`` (its badge aside), opening the drop-down that holds
    it first when the menu gathers the staff's items by section (core/menu.py)."""
    import re

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_load_state("load")  # the drop-downs open by Bootstrap's script
    link = page.locator("#main-nav a").filter(
        has_text=re.compile(rf"^\s*{re.escape(title)}(\s+\d+)?\s*$")).first
    for _attempt in range(3):
        if link.is_visible():
            break
        link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/button").click()
        try:
            link.wait_for(state="visible", timeout=3000)
        except PlaywrightTimeout:
            continue  # the click came before the script: once more
    if link.is_visible():
        link.click()
        return
    with page.expect_navigation():  # the drop-down would not open: follow its link as it is
        page.evaluate("href => window.location.assign(href)", link.get_attribute("href"))


#: the viewports every journey is looked at in: a college laptop and a parent's phone
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
#: axe-core's rule tags for WCAG 2.1 A and AA
WCAG21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def page_in(browser, base: str, user, viewport: dict | None = None) -> Any:
    """A new Russian page of ``browser`` at ``viewport`` (the laptop's by default), ``user``
    signed in; phone-sized viewports get a touch screen and a phone's pixel ratio."""
    viewport = viewport or LAPTOP
    phone = viewport["width"] < 700
    page = browser.new_context(viewport=viewport, locale="ru-RU", is_mobile=phone,
                               has_touch=phone, device_scale_factor=3 if phone else 1).new_page()
    sign_in(page, base, user)
    return page


def serious_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations of serious or critical impact on ``page`` as it stands,
    one line each: the rule, its help text and the first few offending elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG21AA},
                                       "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                         f"[{len(violation['nodes'])}: {targets}]")
    return found


def overflow(page) -> int:
    """How many CSS pixels ``page``'s document is wider than its viewport (0 when it fits)."""
    return page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def look_at(page, name: str, shots: Path | None = None) -> None:
    """Check ``page`` as every journey does: no serious or critical accessibility violation, not
    wider than its viewport; save it as ``<name>.png`` in ``shots`` (a test's artefacts) or in
    ``EJOURNAL_SCREENSHOTS``."""
    page.wait_for_load_state("load")
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    shot(page, name)
    problems = serious_violations(page)
    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)
    wider = overflow(page)
    assert wider == 0, f"{name} ({page.url}) is {wider} px wider than its viewport " \
                       f"({page.viewport_size['width']} px)"
