"""Who sees what of the monitoring: the administration the college's usage (BTT 4.1.1, KTIS
3.7–3.8), a curator their own group's families (BTT 4.2.2; the administrator any group's)."""

from __future__ import annotations

from core.people.roles import Role

VIEW_USAGE = "monitoring.usage.view"
VIEW_GROUP = "monitoring.group.view"
USAGE_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.DEPUTY})
GROUP_ROLES = frozenset({Role.ADMIN, Role.CURATOR})
