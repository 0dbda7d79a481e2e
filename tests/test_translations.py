"""The UI is Russian in the source and translatable: the English catalogue covers every text."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.fixtures import ROOT

METHODS = [
    ("core/**.py", "python"),
    ("plugins/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("plugins/**/templates/**.html", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> dict[str, str]:
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT, METHODS, keywords=KEYWORDS):
        if "/tests/" in f"/{filename}":
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def test_every_text_of_the_interface_has_an_english_translation():
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
                  if m.string and not m.fuzzy}
    missing = {msgid: where for msgid, where in _source_messages().items()
               if msgid not in translated}
    assert not missing, ("run `make translations` and translate in "
                         "translations/en/LC_MESSAGES/messages.po:\n"
                         + "\n".join(f"{where}: {msgid}" for msgid, where in sorted(missing.items())))
