"""Every page a role's menu leads to, as the demo college's people open them: each answers,
passes axe-core's WCAG 2.1 AA rules with no serious or critical violation and is no wider than
the screen (families and students on a phone as well as a laptop)."""

from __future__ import annotations

import pytest

from tests.browser import LAPTOP, NEEDS_CHROMIUM, PHONE, look_at, page_in

pytestmark = NEEDS_CHROMIUM

VIEWPORTS = {
    "biriukova.iue": (LAPTOP,),  # a teacher
    "dmitrieva.ef": (LAPTOP,),  # a curator
    "deputy": (LAPTOP,),
    "admin": (LAPTOP,),
    "director": (LAPTOP,),  # the longest menu, with the appointments
    "skvortsova.nv": (PHONE, LAPTOP),  # a parent of two
    "anisimov.am": (PHONE,),  # a student
}

ONE_ROW = """(() => { const menu = document.querySelector('#main-nav > ul');
  return menu.offsetHeight < 2 * menu.querySelector('li').offsetHeight; })()"""


@pytest.mark.parametrize("login", list(VIEWPORTS))
def test_every_menu_page_is_accessible_and_fits_the_screen(demo_site, chromium, shots, login):
    user = demo_site.user(login)
    for viewport in VIEWPORTS[login]:
        page = page_in(chromium, demo_site.base, user, viewport)
        paths = ["/"] + page.eval_on_selector_all(
            "#main-nav a[href^='/']", "links => links.map(link => link.getAttribute('href'))")
        if viewport is LAPTOP:  # the menu keeps to one row on a laptop, every role's
            assert page.evaluate(ONE_ROW), f"{login}'s menu wraps at {viewport['width']} px"
        opened = []
        for path in dict.fromkeys(path.split("#")[0] for path in paths):
            response = page.goto(demo_site.base + path)
            assert response.status < 400, (path, response.status)
            name = path.strip("/").replace("/", "-") or "home"
            look_at(page, f"{viewport['width']}-{name}", shots)
            opened.append(path)
        assert len(opened) >= 4, opened  # the menu was read, not an empty bar
        page.context.close()
