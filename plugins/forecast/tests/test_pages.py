"""The forecast's pages and sections: scope (a teacher sees only their journals' forecasts, a
curator their group's, a parent only their child's and only while the preset lets families
see), the grid's hook, the group report agreeing with the progress report, query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.auth.passwords import hash_password
from core.extensions import db
from core.people.models import Group, Guardian, RoleAssignment, StudentGuardian, User
from core.people.roles import ROLE_SCOPE, Role
from core.plugins import hook
from core.policy import policy_value, set_override
from plugins.grading.models import Mark
from plugins.grading.tests.world import PASSWORD, build
from plugins.journal import api as journal
from tests import college
from tests.fixtures import count_queries, signed_in

PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
SECTION = "Прогноз итоговых оценок за семестр"


def _family(app, world, key: str, child: int, role: Role = Role.PARENT) -> None:
    with app.app_context():
        user = User(login=f"{world.users['admin'].login}.{key}",
                    password_hash=hash_password(PASSWORD), last_name="Родителева",
                    first_name="Ольга")
        user.roles.append(RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role]))
        db.session.add(user)
        db.session.flush()
        guardian = Guardian(last_name="Родителева", first_name="Ольга", user_id=user.id)
        db.session.add(guardian)
        db.session.flush()
        db.session.add(StudentGuardian(student_id=world.students[child], guardian_id=guardian.id))
        db.session.commit()
        _ = user.roles
        world.users[key] = user


def _marks(app, world, values: dict[int, list[str]]) -> None:
    """Marks of the load's first lessons by student index, of the type each lesson's type of
    work fixes (oral on lectures)."""
    from plugins.grading.services import default_mark_type
    from plugins.grading.tests.world import WORK_TYPES

    with app.app_context():
        for student, marks in values.items():
            for number, value in enumerate(marks):
                db.session.add(Mark(lesson_id=world.lessons[number],
                                    student_id=world.students[student], position=0,
                                    mark_type=default_mark_type(WORK_TYPES[number]),
                                    value=value))
        db.session.commit()


def _curator(app, world) -> None:
    with app.app_context():
        user = college.add_user(f"{world.users['admin'].login}.cur", Role.CURATOR, "Кураторова",
                                "Нина", middle_name="Ивановна")
        db.session.get(Group, world.ids["g1"]).curator_id = user.id
        db.session.commit()
        college.keep_roles([user])
        world.users["curator"] = user


@pytest.fixture
def world(app):
    made = build(app, prefix="fp")
    _marks(app, made, {PETROV: ["5", "4", "5", "4", "5", "4"], KUZNETSOV: ["2", "3", "2"]})
    _family(app, made, "parent", PETROV)
    _family(app, made, "other_parent", KUZNETSOV)
    _curator(app, made)
    return made


def _get(app, world, who: str, url: str) -> int:
    return signed_in(app, world.users[who]).get(url).status_code


def test_a_teacher_sees_only_their_journals_forecasts(app, world):
    load, other = world.ids["load"], world.ids["other_load"]
    for url in (f"/forecast/load/{load}", f"/forecast/load/{load}/feed"):
        assert _get(app, world, "teacher", url) == 200
        assert _get(app, world, "other", url) == 404
        assert _get(app, world, "deputy", url) == 200
        assert _get(app, world, "curator", url) == 200
        assert _get(app, world, "parent", url) == 404
    assert _get(app, world, "other", f"/forecast/load/{other}/feed") == 200
    assert _get(app, world, "curator", f"/forecast/load/{other}/feed") == 404
    feed = signed_in(app, world.users["teacher"]).get(f"/forecast/load/{load}/feed").get_json()
    petrov = feed["students"][str(world.students[PETROV])]
    assert petrov["expected"].startswith(("4", "5")) and petrov["reasons"]
    kuznetsov = feed["students"][str(world.students[KUZNETSOV])]
    assert kuznetsov["risk"] in ("fail", "na") and kuznetsov["risk_title"]


def test_a_curator_sees_their_group_and_the_deputy_every_group(app, world):
    page = signed_in(app, world.users["curator"]).get(f"/forecast/group/{world.ids['g1']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Петров Алексей Игоревич" in text and "риск" in text
    assert _get(app, world, "curator", f"/forecast/group/{world.ids['g2']}") == 404
    assert _get(app, world, "deputy", f"/forecast/group/{world.ids['g2']}") == 200
    assert _get(app, world, "teacher", f"/forecast/group/{world.ids['g1']}") == 404
    assert _get(app, world, "parent", "/forecast/") == 404
    index = signed_in(app, world.users["teacher"]).get("/forecast/").get_data(as_text=True)
    own = index.split('id="forecast-own"')[1].split("</ul>")[0]
    link = own.split(f"/forecast/load/{world.ids['load']}\">")[1].split("</a>")[0]
    assert "·" in link and link.split("·")[0].strip(), link  # named by its group and discipline


def _diary(app, world, who: str, child: int) -> tuple[int, str]:
    response = signed_in(app, world.users[who]).get(f"/diary/students/{world.students[child]}")
    return response.status_code, response.get_data(as_text=True)


def test_families_see_the_forecast_only_when_the_preset_allows(preset_app):
    app = preset_app
    world = build(app, prefix=f"fv{app.config.get('POLICY', 'btt')[:1]}")
    _marks(app, world, {PETROV: ["5", "4", "5", "4", "5"]})
    _family(app, world, "parent", PETROV)
    _family(app, world, "other_parent", KUZNETSOV)
    with app.app_context():
        assert policy_value("forecast.visible_to_families") is False  # both presets: off
    status, page = _diary(app, world, "parent", PETROV)
    assert status == 200 and SECTION not in page
    with app.app_context():
        set_override("forecast.visible_to_families", True)
        db.session.commit()
    try:
        status, page = _diary(app, world, "parent", PETROV)
        assert status == 200 and SECTION in page
        assert "Текущий средний балл 4,60 по 5 оценкам." in page
        assert _diary(app, world, "other_parent", PETROV)[0] == 404  # not their child
        status, page = _diary(app, world, "other_parent", KUZNETSOV)
        assert status == 200 and SECTION in page
        with app.test_request_context():
            from plugins.forecast import rights

            other = db.session.get(User, world.users["other_parent"].id)
            assert not rights.may_see_student_as_family(other, world.students[PETROV])
    finally:
        with app.app_context():
            set_override("forecast.visible_to_families", False)
            db.session.commit()


def test_hook_journal_scripts(app, world):
    teacher_grid = signed_in(app, world.users["teacher"]).get(
        f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    feed = f'data-feed="/forecast/load/{world.ids["load"]}/feed"'
    assert "forecast/grid.js" in teacher_grid and feed in teacher_grid
    with app.test_request_context():
        load = journal.get_load(world.ids["load"])
        other = db.session.get(User, world.users["other"].id)
        deputy = db.session.get(User, world.users["deputy"].id)
        assert [s for batch in hook().journal_scripts(load=load, user=other) for s in batch] == []
        scripts = [s for batch in hook().journal_scripts(load=load, user=deputy) for s in batch]
        assert scripts and scripts[0].data["feed"].endswith(f"/load/{load.id}/feed")


def test_the_forecast_pages_make_a_fixed_number_of_queries(app, world):
    deputy = signed_in(app, world.users["deputy"])
    url = f"/forecast/group/{world.ids['g1']}"
    assert deputy.get(url).status_code == 200
    with count_queries(app) as few:
        deputy.get(url)
    _marks(app, world, {FEDOROVA: ["3", "4", "3", "4", "3", "4", "5"], SMIRNOVA: ["4"]})
    with count_queries(app) as more:
        deputy.get(url)
    assert more.count == few.count
    feed = f"/forecast/load/{world.ids['load']}/feed"
    with count_queries(app) as one:
        deputy.get(feed)
    assert one.count <= few.count


def test_the_group_report_agrees_with_the_progress_report_at_the_term_end(app, world):
    """With no lesson left and no final set, the expected results are what the progress report
    counts (the rounded weighted average, н/а when short), so their metrics are the same,
    computed by the same function."""
    from plugins.forecast.report import expected_results
    from plugins.grading.api import metrics

    _marks(app, world, {FEDOROVA: ["3", "4", "3", "4", "3", "4"]})
    with app.test_request_context():
        load = journal.get_load(world.ids["load"])
        after = datetime.combine(load.term.ends_on + timedelta(days=1), datetime.min.time(),
                                 tzinfo=UTC)
        current, expected, _forecasts, _open = expected_results([load], at=after)
        assert expected == current
        assert metrics.of(expected[load.id].values()) == metrics.of(current[load.id].values())
        assert current[load.id][world.students[PETROV]] == "4"  # 27 / 6 = 4.5 → 4 (as rounded)
        assert current[load.id][world.students[KUZNETSOV]] == "na"  # short of the minimum


def test_the_group_report_on_screen_in_pdf_and_xlsx(app, world):
    deputy = signed_in(app, world.users["deputy"])
    args = {"group": world.ids["g1"], "start": world.dates[0].isoformat(),
            "end": (world.dates[-1] + timedelta(days=30)).isoformat()}
    page = deputy.get("/reports/forecast.group", query_string={"run": 1, **args})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Прогноз успеваемости группы ИСП-21" in text and "<svg" in text
    assert "Обучающиеся с риском «2» или «н/а»" in text
    xlsx = deputy.get("/reports/forecast.group/file.xlsx", query_string=args)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    printed = deputy.get("/reports/forecast.group/file.pdf", query_string=args)
    assert printed.status_code == 200 and printed.data.startswith(b"%PDF")
    assert _get(app, world, "teacher", "/reports/forecast.group?run=1&group="
                f"{world.ids['g1']}&start={args['start']}&end={args['end']}") in (403, 404)
