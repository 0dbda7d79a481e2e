"""The main menu: the plugins' ``NavItem`` in their order; a long menu (the staff's, a dozen
items and more) gathers the items of each ``NAV_SECTIONS`` section under one drop-down, so that
it fits a 1,366 px line; a short one (a family's) stays a row of links."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.plugins.types import NAV_SECTIONS, NavItem

#: a menu of this many items or fewer stays flat
FLAT_UP_TO = 8


@dataclass
class MenuEntry:
    """A link of the menu (one item) or a drop-down of a section's items."""

    title: str
    items: list[NavItem] = field(default_factory=list)

    @property
    def badge(self) -> int | None:
        """The items' counts together, shown on a drop-down's title."""
        return sum(item.badge or 0 for item in self.items) or None


def menu(items: list[NavItem]) -> list[MenuEntry]:
    items = sorted(items, key=lambda item: (item.order, str(item.title)))
    if len(items) <= FLAT_UP_TO:
        return [MenuEntry(str(item.title), [item]) for item in items]
    entries: list[MenuEntry] = []
    sections: dict[str, MenuEntry] = {}
    for item in items:
        if item.section not in NAV_SECTIONS:
            entries.append(MenuEntry(str(item.title), [item]))
            continue
        if item.section not in sections:
            sections[item.section] = MenuEntry(str(NAV_SECTIONS[item.section]))
            entries.append(sections[item.section])
        sections[item.section].items.append(item)
    return [entry if len(entry.items) > 1 else MenuEntry(str(entry.items[0].title), entry.items)
            for entry in entries]
