"""Who reads a journal: the one rule, judged for one load (``object_scope``) or as one SQL
condition over every load (the list of journals), so that the list never asks scope load by
load however many years of journals the college keeps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from core.people.roles import ADMINISTRATION, Role
from core.people.scope import VIEW, core_group_ids
from plugins.journal.models import Discipline, TeachingLoad


@dataclass(frozen=True)
class Readers:
    """What opens journals to one user for reading: everything (the administration, or anyone
    core scope opens every group to), their own loads, their subject commissions' disciplines
    (a commission head), the groups core scope opens (curator, supervisor)."""

    everything: bool
    user_id: int | None
    commissions: frozenset[int]
    groups: frozenset[int]

    def admits(self, load) -> bool:
        """Whether the load (``LoadInfo``) is read by this user."""
        return (self.everything or load.teacher_id == self.user_id
                or load.discipline.commission_id in self.commissions
                or load.group_id in self.groups)

    def condition(self) -> ColumnElement:
        """The same rule over ``TeachingLoad`` joined with its ``Discipline``."""
        if self.everything:
            return true()
        if self.user_id is None:
            return false()
        parts = [TeachingLoad.teacher_id == self.user_id]
        if self.commissions:
            parts.append(Discipline.commission_id.in_(self.commissions))
        if self.groups:
            parts.append(TeachingLoad.group_id.in_(self.groups))
        return or_(*parts)


NOBODY = Readers(False, None, frozenset(), frozenset())


def readers_of(user) -> Readers:
    """The journals ``user`` reads (core scope for groups, roles for the rest)."""
    if not user.is_authenticated:
        return NOBODY
    groups = core_group_ids(user, VIEW)
    if groups is None or user.has_role(*ADMINISTRATION):
        return Readers(True, user.id, frozenset(), frozenset())
    commissions = frozenset(c for c in user.scope_ids(Role.COMMISSION_HEAD) if c is not None)
    return Readers(False, user.id, commissions, frozenset(groups))
