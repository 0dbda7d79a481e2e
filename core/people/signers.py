"""Who signs a printed statement: the director (named in the college's settings), the deputy
director, a group's curator (titled as the college's policy names the role)."""

from __future__ import annotations

from flask_babel import gettext as _

from core.people.models import Group, short_names
from core.plugins.types import Signature
from core.policy import policy_value


def curator_title(capitalized: bool = True) -> str:
    """«Классный руководитель» or «Куратор группы», as the college's policy names it
    (``capitalized=False`` for the middle of a sentence: «куратор группы»)."""
    title = str(policy_value("people.curator_title"))
    return title[:1].upper() + title[1:] if capitalized else title


def director() -> Signature:
    from core import settings

    return Signature(_("Директор"), str(settings.get("college.director") or ""))


def deputy() -> Signature:
    return Signature(_("Заместитель директора"))


def curator(group: Group | None) -> Signature:
    name = short_names([group.curator_id]).get(group.curator_id, "") if group else ""
    return Signature(curator_title(), name)
