"""The journal's batched reads for plugins that judge many journals at once: ``rosters`` is
``roster`` of each load in a fixed number of queries; ``loads_of_groups`` and ``timetable_of``."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from core.people.models import Subgroup, SubgroupMembership
from plugins.grading.tests.world import build
from plugins.journal import api
from tests import college
from tests.fixtures import count_queries


def test_rosters_agree_with_roster_in_two_queries(app):
    world = build(app, prefix="jb")
    with app.app_context():
        load = api.get_load(world.ids["load"])
        subgroup = Subgroup(group_id=world.ids["g1"], number=1, label="")
        db.session.add(subgroup)
        db.session.flush()
        db.session.add(SubgroupMembership(subgroup_id=subgroup.id, student_id=world.students[0],
                                          from_date=load.term.starts_on))
        sub_load = college.add_load(world.users["teacher"].id, world.ids["g1"],
                                    world.ids["discipline"], world.ids["term"], 1)
        sub_load.subgroup_id = subgroup.id
        db.session.commit()
        loads = list(api.loads_by_id([world.ids["load"], world.ids["other_load"],
                                      sub_load.id]).values())
        api.forget_cached_reads()
        with count_queries(app) as counter:
            found = api.rosters(loads)
        assert counter.count == 2
        for each in loads:
            assert found[each.id] == api.roster(each), each
        assert [s.id for s in found[sub_load.id]] == [world.students[0]]
        # Смирнова left for ИСП-22: she is in both groups' journals, each with her stay there
        assert world.students[1] in {s.id for s in found[world.ids["other_load"]]}
        day = load.term.starts_on + timedelta(days=1)
        assert {each.id for each in api.loads_of_groups({world.ids["g1"]}, day, day)} == {
            world.ids["load"], sub_load.id}
        assert api.timetable_of(loads, day, day) == {each.id: [] for each in loads}
