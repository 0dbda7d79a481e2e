"""The help pages: Markdown files kept in the repository and reviewed like code.

A page is ``<folder>/<topic>.md`` under ``core/help/pages/`` or under an enabled plugin's
``help/`` folder; its address is ``<folder>/<topic>``. It starts with a small front-matter::

    ---
    title: Как заполнить занятие
    roles: teacher, curator
    endpoints: journal.grid, journal.lesson
    order: 10
    ---

``roles`` are the roles it is written for (``all``: everyone, signed in or not); ``endpoints``
the pages it explains: the «?» of such a page opens it. ``order`` sorts the index (default 100).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from core import markup
from core.errors import StartupError
from core.people.roles import Role
from core.plugins import plugin_registry

CORE_PAGES = Path(__file__).resolve().parent / "pages"
KEY = "ejournal.help"
EVERYONE = "all"
#: roles whose holders may read every page (they answer everyone's questions)
READS_ALL = frozenset({Role.ADMIN})
_FIELDS = ("title", "roles", "endpoints", "order")
_SLUG = re.compile(r"^[a-z0-9_-]+/[a-z0-9_-]+$")


@dataclass(frozen=True)
class HelpPage:
    """One help page: its address (``slug``), title, readers, the endpoints it explains, text."""

    slug: str
    title: str
    roles: frozenset[str]
    endpoints: tuple[str, ...]
    body: str
    order: int = 100

    @property
    def folder(self) -> str:
        return self.slug.partition("/")[0]

    @property
    def topic(self) -> str:
        return self.slug.partition("/")[2]

    def html(self):
        """The body as sanitised HTML (``core.markup``)."""
        return markup.render(self.body, breaks=False)

    def text(self) -> str:
        """The body as plain text, for the search."""
        return markup.plain(self.body, limit=markup.MAX_CHARS)


def _items(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def parse(text: str, slug: str, source: str = "") -> HelpPage:
    """A page from its file's ``text``; a malformed front-matter raises ``ValueError``."""
    where = source or slug
    if not _SLUG.match(slug):
        raise ValueError(f"{where}: адрес страницы справки {slug!r} — нужно папка/тема латиницей")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in (x.strip() for x in lines[1:]):
        raise ValueError(f"{where}: нет заголовка страницы между строками «---»")
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    fields: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in _FIELDS or key in fields:
            raise ValueError(f"{where}: строка заголовка {line!r} не понята")
        fields[key] = value.strip()
    if not fields.get("title") or not fields.get("roles"):
        raise ValueError(f"{where}: в заголовке нужны title и roles")
    roles = frozenset(_items(fields["roles"]))
    unknown = roles - {EVERYONE, *(str(role) for role in Role)}
    if unknown:
        raise ValueError(f"{where}: неизвестные роли {sorted(unknown)}")
    try:
        order = int(fields.get("order") or 100)
    except ValueError:
        raise ValueError(f"{where}: order — целое число") from None
    return HelpPage(slug=slug, title=fields["title"], roles=roles,
                    endpoints=_items(fields.get("endpoints", "")),
                    body="\n".join(lines[end + 1:]).strip() + "\n", order=order)


def folders(app: Flask) -> list[Path]:
    """Where pages are read: the core's, then each enabled plugin's ``help/`` in its order."""
    found = [CORE_PAGES]
    for plugin in plugin_registry(app).plugins:
        folder = Path(plugin.package.__file__).resolve().parent / "help"
        if folder.is_dir():
            found.append(folder)
    return found


def read(paths: Iterable[Path]) -> dict[str, HelpPage]:
    """Every page under ``paths`` by address; two pages at one address raise ``StartupError``."""
    pages: dict[str, HelpPage] = {}
    for root in paths:
        for path in sorted(root.glob("*/*.md")):
            slug = f"{path.parent.name}/{path.stem}"
            if slug in pages:
                raise StartupError(f"справка: страница {slug} есть дважды ({path})")
            try:
                pages[slug] = parse(path.read_text(encoding="utf-8"), slug, str(path))
            except ValueError as exc:
                raise StartupError(str(exc)) from None
    return pages


def library(app: Flask | None = None) -> dict[str, HelpPage]:
    """The app's pages, read once."""
    app = app or current_app
    if KEY not in app.extensions:
        app.extensions[KEY] = read(folders(app))
    return app.extensions[KEY]


def shown(page: HelpPage) -> bool:
    """Whether the app has what ``page`` explains: a page naming endpoints of plugins the
    college has not enabled is left out."""
    return not page.endpoints or any(e in current_app.view_functions for e in page.endpoints)


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {str(role) for role in user.role_set()}


def may_read(page: HelpPage, user) -> bool:
    """Everyone reads the pages for everyone; a signed-in user reads those for one of their
    roles; the administrator reads all; nobody a page of a plugin not enabled."""
    if not shown(page):
        return False
    if EVERYONE in page.roles:
        return True
    roles = user_roles(user)
    return bool(roles & page.roles) or bool(roles & {str(r) for r in READS_ALL})


def readable(user) -> list[HelpPage]:
    """The pages ``user`` may read, their own roles' first, then by order and title."""
    roles = user_roles(user)
    pages = [page for page in library().values() if may_read(page, user)]
    return sorted(pages, key=lambda p: (EVERYONE in p.roles, not (p.roles & roles), p.folder,
                                        p.order, p.title))


def for_endpoint(endpoint: str | None, user) -> HelpPage | None:
    """The page explaining ``endpoint`` for ``user``: one written for a role of theirs first,
    then one for everyone, then (the administrator) any; ``None`` when there is none."""
    if not endpoint:
        return None
    roles = user_roles(user)
    candidates = [page for page in library().values()
                  if endpoint in page.endpoints and may_read(page, user)]
    if not candidates:
        return None
    candidates.sort(key=lambda p: (not (p.roles & roles), EVERYONE not in p.roles, p.order,
                                   p.slug))
    return candidates[0]


@dataclass(frozen=True)
class Found:
    page: HelpPage
    snippet: str


def _snippet(text: str, word: str, width: int = 160) -> str:
    at = text.casefold().find(word)
    if at < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(at - width // 3, 0)
    if start:  # begin at a word
        space = text.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(query: str, user, limit: int = 30) -> list[Found]:
    """Pages ``user`` may read that contain every word of ``query`` (in the title or the text,
    letter case and ё/е ignored); title matches first."""
    def fold(value: str) -> str:
        return value.casefold().replace("ё", "е")

    words = [fold(word) for word in re.findall(r"\w+", query)][:10]
    if not words:
        return []
    found: list[tuple[int, Found]] = []
    for page in readable(user):
        title, text = fold(page.title), fold(page.text())
        if all(word in title or word in text for word in words):
            in_title = sum(word in title for word in words)
            found.append((-in_title, Found(page, _snippet(page.text(), words[0]))))
    found.sort(key=lambda item: item[0])
    return [item for _score, item in found[:limit]]
