"""The UI is Russian in the source and translatable: the English catalogues cover every text.

The core's texts live in ``translations/``; each plugin keeps its own catalogue in
``plugins/<name>/translations/`` and may also use the core's texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.fixtures import ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
CORE_METHODS = [("core/**.py", "python"), ("templates/**.html", "jinja2")]
PLUGIN_METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir()
                 if p.is_dir() and (p / "__init__.py").exists())


def _source_messages(folder: Path, methods) -> dict[str, str]:
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            folder, methods, keywords=KEYWORDS):
        if "/tests/" in f"/{filename}":
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def _translated(folder: Path) -> set[str]:
    path = folder / "translations/en/LC_MESSAGES/messages.po"
    if not path.exists():
        return set()
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
            if m.string and not m.fuzzy}


def _assert_complete(source: dict[str, str], translated: set[str], where: str) -> None:
    missing = {msgid: name for msgid, name in source.items() if msgid not in translated}
    assert not missing, (f"run `make translations` and translate in {where}:\n"
                         + "\n".join(f"{name}: {msgid}" for msgid, name in sorted(missing.items())))


def test_every_text_of_the_core_has_an_english_translation():
    _assert_complete(_source_messages(ROOT, CORE_METHODS), _translated(ROOT),
                     "translations/en/LC_MESSAGES/messages.po")


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_text_of_a_plugin_has_an_english_translation_in_its_own_catalogue(plugin):
    folder = ROOT / "plugins" / plugin
    _assert_complete(_source_messages(folder, PLUGIN_METHODS),
                     _translated(folder) | _translated(ROOT),
                     f"plugins/{plugin}/translations/en/LC_MESSAGES/messages.po")


def test_a_plugin_catalogue_is_loaded_beside_the_core_one(app):
    with app.test_request_context():
        from flask import session
        from flask_babel import gettext, refresh
        session["lang"] = "en"
        refresh()
        assert gettext("Журналы") != "Журналы"
