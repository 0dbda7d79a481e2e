"""Who does what with a КТП. Its teacher (whoever writes the whole journal) writes it while it
is a draft or returned, and submits it; those of the roles ``planning.approvers`` names who also
hold the permission ``planning.approve`` approve or return it; whoever reads the journal reads
its plan; the approvers and the director see every plan and who is late."""

from __future__ import annotations

from core.people.permissions import can
from core.people.roles import Role
from core.policy import policy_value
from plugins.journal import api as journal
from plugins.planning.models import DRAFT, RETURNED

APPROVE = "planning.approve"
#: the roles that may hold ``planning.approve``; the preset narrows them (``planning.approvers``)
APPROVER_ROLES = frozenset({str(Role.DEPUTY), str(Role.METHODIST), str(Role.DIRECTOR),
                            str(Role.COMMISSION_HEAD)})
OVERVIEW = "planning.overview"
OVERVIEW_ROLES = frozenset({str(Role.DEPUTY), str(Role.METHODIST), str(Role.DIRECTOR),
                            str(Role.ADMIN)})


def may_read(user, load: journal.LoadInfo) -> bool:
    return journal.can_view(user, load)


def may_write(user, load: journal.LoadInfo, state: str) -> bool:
    """The teacher writes the plan while it is a draft or returned (submitted and approved plans
    are fixed: an approver returns one to change it)."""
    return journal.can_edit(user, load) and state in (DRAFT, RETURNED)


def may_submit(user, load: journal.LoadInfo, state: str) -> bool:
    return may_write(user, load, state)


def may_approve(user, load: journal.LoadInfo | None = None) -> bool:
    """An approver the preset names, holding the permission (and reading the journal)."""
    if not user.is_authenticated or not can(user, APPROVE):
        return False
    if not user.has_role(*policy_value("planning.approvers")):
        return False
    return load is None or journal.can_view(user, load)


def may_overview(user) -> bool:
    return user.is_authenticated and (can(user, OVERVIEW) or may_approve(user))
