"""Who sees forecasts (through ``core.people.scope``): a load's forecasts its teacher, the
curator of its group and those the core opens every group or a department's to
(administration, supervisors); a group's forecasts its curator and those. Students and parents
see their own (their child's) in the diary only while ``forecast.visible_to_families`` is on.
Anything else is answered 404."""

from __future__ import annotations

from flask import g, has_request_context

from core.people.scope import core_group_ids, is_family, is_staff, own_student_ids

__all__ = ["group_scope", "is_staff", "may_see_group", "may_see_load",
           "may_see_student_as_family"]


def group_scope(user) -> set[int] | None:
    """The groups whose forecasts ``user`` sees (``None``: every group); read once a request."""
    if not is_staff(user):
        return set()
    if not has_request_context():
        return core_group_ids(user)
    cache = g.setdefault("forecast_group_scope", {})
    if user.id not in cache:
        cache[user.id] = core_group_ids(user)
    return cache[user.id]


def may_see_group(user, group_id: int) -> bool:
    groups = group_scope(user)
    return groups is None or group_id in groups


def may_see_load(user, load) -> bool:
    """The load's teacher, or staff who see its group's forecasts."""
    if not is_staff(user):
        return False
    return load.teacher_id == user.id or may_see_group(user, load.group_id)


def may_see_student_as_family(user, student_id: int) -> bool:
    """A student (themself) or a parent (their child), while the preset lets families see."""
    from plugins.forecast.api import families_see

    return is_family(user) and families_see() and student_id in own_student_ids(user)
