"""The main menu: a family's few items stay a row of links; the staff's dozen and more gather
by section under drop-downs (Журнал, Общение, Контроль и отчёты), so the menu fits a 1,366 px line."""

from __future__ import annotations

import re

from core.menu import FLAT_UP_TO, menu
from core.people.roles import Role
from core.plugins.types import NavItem


def _item(title: str, order: int, section: str = "", badge: int | None = None) -> NavItem:
    return NavItem(title, "core.index", order=order, section=section, badge=badge)


def test_a_short_menu_stays_flat_whatever_its_sections():
    items = [_item(f"п{n}", n, "journal") for n in range(FLAT_UP_TO)]
    assert [entry.title for entry in menu(items)] == [f"п{n}" for n in range(FLAT_UP_TO)]


def test_a_long_menu_gathers_its_sections_where_their_first_item_stands():
    items = [_item("Главная", 0), _item("Журналы", 10, "journal"), _item("КТП", 22, "journal"),
             _item("Сообщения", 60, "talk", badge=2), _item("Форум", 65, "talk", badge=1),
             _item("Отчёты", 70, "control"), _item("Исправления оценок", 320, "journal"),
             _item("Группы", 200), _item("Администрирование", 900)]
    entries = menu(items)
    assert [entry.title for entry in entries] == [
        "Главная", "Журнал", "Общение", "Отчёты", "Группы", "Администрирование"]
    journal = entries[1]
    assert [item.title for item in journal.items] == ["Журналы", "КТП", "Исправления оценок"]
    assert entries[2].badge == 3  # the drop-down shows its items' counts together
    assert len(entries[3].items) == 1  # a section of one item is a plain link


def test_the_teachers_menu_has_drop_downs_and_a_parents_does_not(app, client, login, make_user):
    login(make_user("menu.deputy", [Role.DEPUTY]))
    page = client.get("/").get_data(as_text=True)
    toggles = re.findall(r'<button class="nav-link dropdown-toggle"[^>]*>([^<]+)', page)
    assert [title.strip() for title in toggles][:1] == ["Журнал"]
    assert '<a class="dropdown-item" href="/journal/">Журналы</a>' in page
    client.post("/auth/logout")
    login(make_user("menu.parent", [Role.PARENT]))
    page = client.get("/").get_data(as_text=True)
    assert "dropdown-toggle" not in page and '<a class="nav-link" href="/diary/">' in page
