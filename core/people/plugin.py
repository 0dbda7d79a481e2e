"""Hook implementations of people: demo data for the college's people."""

from __future__ import annotations

from core.plugins import hookimpl


@hookimpl
def demo_data(college):
    from core.people.demo import make_people

    make_people(college)
