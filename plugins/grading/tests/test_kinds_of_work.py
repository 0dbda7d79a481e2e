"""The required kinds of work (BTT 4.5.2, KTIS 4.2): a teaching load declares its kinds of work
(by default its discipline's), a final waits for a mark of every declared kind the preset
requires, and the teacher chooses a mark's type where the lesson's type of work does not fix it.

Every test of ``preset_app`` runs under both presets (the shared BTT app and a KTIS app).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from core.policy import policy_value
from plugins.grading import rules, services
from plugins.grading.models import History, Mark
from plugins.grading.tests import test_grading
from plugins.grading.tests.test_grading import (
    KUZNETSOV,
    PETROV,
    TODAY,
    cell,
    post_cells,
    signed_in,
)
from plugins.grading.tests.world import build, noon
from plugins.journal import api as journal
from plugins.journal.models import TeachingLoad

# the grading tests' world; ``preset_app`` (tests/fixtures.py) runs each test under both presets
world = test_grading.world

#: the world's lessons by their type of work (see world.WORK_TYPES)
LECTURES = [0, 2, 3, 6, 8, 9, 10]  # TODAY (11) is a lecture too
PRACTICAL, CONTROL, LABORATORY = 1, 4, 5


def mark(application, world, student, lesson, value="4", mark_type=None, who="teacher"):
    """A mark entered by the load's teacher on the lesson's own day."""
    change = cell(world, lesson, student, value)
    if mark_type:
        change["mark_type"] = mark_type
    with application.test_request_context():
        user = db.session.get(User, world.users[who].id)
        load = journal.get_load(world.ids["load"])
        results = services.save_cells(load, user, [change], at=noon(world.dates[lesson]))
        db.session.commit()
    return results[0]


def set_final(application, world, student, value="4"):
    with application.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        load = journal.get_load(world.ids["load"])
        try:
            services.save_cells(load, user, [{"key": "term_final", "value": value, "version": None,
                                              "student_id": world.students[student]}])
        except DomainError:
            db.session.rollback()
            raise
        db.session.commit()


def declare(application, world, kinds: str | None):
    """The load's own kinds of work ("" none, None: its discipline's)."""
    with application.app_context():
        db.session.get(TeachingLoad, world.ids["load"]).work_kinds = kinds
        db.session.commit()


def required(application) -> list[str]:
    with application.app_context():
        return policy_value("grades.min_marks_required_kinds")


def test_a_load_declares_its_disciplines_kinds_of_work_unless_it_has_its_own(preset_app, world):
    with preset_app.app_context():
        assert journal.get_load(world.ids["load"]).work_kinds == ("control", "laboratory",
                                                                  "practical")
        assert not journal.get_load(world.ids["load"]).own_work_kinds
    declare(preset_app, world, "written,practical")
    with preset_app.app_context():
        load = journal.get_load(world.ids["load"])
        assert load.work_kinds == ("written", "practical") and load.own_work_kinds
        assert load.discipline.work_kinds == ("control", "laboratory", "practical")


def test_final_is_refused_naming_each_required_kind_without_a_mark(preset_app, world):
    for lesson in LECTURES[:5]:  # enough marks for any preset's minimum at 2 hours a week
        mark(preset_app, world, PETROV, lesson)
    with pytest.raises(DomainError) as refused:
        set_final(preset_app, world, PETROV)
    reason = refused.value.details["cells"][0]["message"]
    assert refused.value.status == 409
    assert "не хватает оценок" not in reason
    assert "лабораторная работа" in reason and "практическая работа" in reason
    # BTT requires control works too, KTIS does not (4.5.2 / 4.2)
    assert ("контрольная работа" in reason) == ("control" in required(preset_app))
    mark(preset_app, world, PETROV, LABORATORY)
    mark(preset_app, world, PETROV, PRACTICAL)
    if "control" in required(preset_app):
        with pytest.raises(DomainError) as still:
            set_final(preset_app, world, PETROV)
        assert "контрольная работа" in still.value.details["cells"][0]["message"]
        assert "лабораторная" not in still.value.details["cells"][0]["message"]
        mark(preset_app, world, PETROV, CONTROL)
    set_final(preset_app, world, PETROV)


def test_a_declared_kind_is_required_before_any_lesson_of_that_kind_is_held(preset_app, world):
    # the journal has no written work yet; the load declares it, and both presets require it
    declare(preset_app, world, "written,control,laboratory,practical")
    for lesson in [*LECTURES[:5], PRACTICAL, CONTROL, LABORATORY]:
        mark(preset_app, world, PETROV, lesson)
    with pytest.raises(DomainError) as refused:
        set_final(preset_app, world, PETROV)
    assert "письменная работа" in refused.value.details["cells"][0]["message"]


def test_a_kind_the_load_does_not_declare_is_not_required(preset_app, world):
    # laboratory and control lessons were held, but this journal declares practical work only
    declare(preset_app, world, "practical")
    for lesson in LECTURES[:5]:
        mark(preset_app, world, PETROV, lesson)
    with pytest.raises(DomainError) as refused:
        set_final(preset_app, world, PETROV)
    reason = refused.value.details["cells"][0]["message"]
    assert "практическая работа" in reason and "лабораторная" not in reason
    mark(preset_app, world, PETROV, PRACTICAL)
    set_final(preset_app, world, PETROV)
    declare(preset_app, world, "")
    for lesson in LECTURES[:5]:
        mark(preset_app, world, KUZNETSOV, lesson)
    set_final(preset_app, world, KUZNETSOV)


def test_the_teachers_chosen_type_is_saved_and_counts_toward_the_required_kinds(preset_app,
                                                                                 world):
    declare(preset_app, world, "written")
    for lesson in LECTURES[:4]:
        mark(preset_app, world, PETROV, lesson)
    with pytest.raises(DomainError):
        set_final(preset_app, world, PETROV)
    saved = mark(preset_app, world, PETROV, LECTURES[4], "5", mark_type="written")
    assert saved["title"] == "письменная работа" and saved["mark_types"] == ["written"]
    with preset_app.app_context():
        assert db.session.scalar(select(Mark.mark_type).where(
            Mark.lesson_id == world.lessons[LECTURES[4]])) == "written"
    set_final(preset_app, world, PETROV)


def test_retyping_a_mark_keeps_its_value_and_history_and_is_audited(preset_app, world):
    first = mark(preset_app, world, PETROV, LECTURES[0], "4")
    assert first["title"] == "устный ответ"
    change = {**cell(world, LECTURES[0], PETROV, "4", first["version"]), "mark_type": "written"}
    with preset_app.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        load = journal.get_load(world.ids["load"])
        [again] = services.save_cells(load, user, [change], at=noon(world.dates[LECTURES[0]]))
        db.session.commit()
    assert again["version"] == first["version"] + 1 and again["text"] == "4"
    with preset_app.app_context():
        assert db.session.scalar(select(Mark.mark_type)) == "written"
        assert db.session.scalar(select(func.count()).select_from(History)) == 1
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "grade.type")).one()
        assert "oral" in str(entry.before) and "written" in str(entry.after)


def test_a_further_mark_in_a_cell_keeps_the_cells_chosen_type(preset_app, world):
    first = mark(preset_app, world, PETROV, LECTURES[0], "4", mark_type="written")
    change = cell(world, LECTURES[0], PETROV, "4/5", first["version"])
    with preset_app.test_request_context():
        user = db.session.get(User, world.users["teacher"].id)
        services.save_cells(journal.get_load(world.ids["load"]), user, [change],
                            at=noon(world.dates[LECTURES[0]]))
        db.session.commit()
        assert list(db.session.scalars(select(Mark.mark_type).order_by(Mark.position))) == [
            "written", "written"]


def test_a_lesson_whose_type_of_work_fixes_the_type_refuses_another(preset_app, world):
    with pytest.raises(DomainError) as refused:
        mark(preset_app, world, PETROV, LABORATORY, mark_type="oral")
    assert refused.value.status == 422
    assert "лабораторная работа" in refused.value.details["cells"][0]["message"]
    assert mark(preset_app, world, PETROV, LABORATORY, mark_type="laboratory")["title"] == \
        "лабораторная работа"
    assert mark(preset_app, world, KUZNETSOV, LABORATORY)["title"] == "лабораторная работа"


@pytest.mark.parametrize("mark_type", ["essay", 5, ["oral"]])
def test_an_unknown_mark_type_is_refused_422_with_nothing_saved(preset_app, world, mark_type):
    with pytest.raises(DomainError) as refused:
        mark(preset_app, world, PETROV, LECTURES[0], mark_type=mark_type)
    assert refused.value.status == 422
    assert "Неизвестный вид оценки" in refused.value.message
    with preset_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Mark)) == 0


# --- the grid and the lesson's page ------------------------------------------------------------


def test_the_grid_offers_a_type_chooser_only_where_the_lesson_does_not_fix_the_type(
        preset_app, world):
    page = signed_in(preset_app, world.users["teacher"]).get(
        f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert f'name="type-grading-{world.lessons[TODAY]}"' in page
    assert "Alt+T" in page
    for fixed in (PRACTICAL, CONTROL, LABORATORY):
        assert f'name="type-grading-{world.lessons[fixed]}"' not in page


def test_the_plain_grid_form_saves_the_headers_chosen_type(preset_app, world):
    client = signed_in(preset_app, world.users["teacher"])
    lesson, student = world.lessons[TODAY], world.students[PETROV]
    saved = client.post(f"/journal/load/{world.ids['load']}", data={
        f"cell-grading-{lesson}-{student}--": "5", f"type-grading-{lesson}": "practical"})
    assert saved.status_code == 302
    with preset_app.app_context():
        assert db.session.scalar(select(Mark.mark_type).where(Mark.lesson_id == lesson)) == \
            "practical"


def test_the_json_save_answers_the_cells_type_as_its_title(preset_app, world):
    client = signed_in(preset_app, world.users["teacher"])
    change = {**cell(world, TODAY, PETROV, "5"), "mark_type": "laboratory"}
    response = post_cells(client, world.ids["load"], [change])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["cells"][0]["title"] == "лабораторная работа"
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert 'title="лабораторная работа"' in page


def test_the_lesson_page_sets_each_students_mark_and_its_type(preset_app, world):
    client = signed_in(preset_app, world.users["teacher"])
    lesson, petrov, kuznetsov = world.lessons[TODAY], world.students[PETROV], \
        world.students[KUZNETSOV]
    assert f"/grading/lessons/{lesson}/marks" in client.get(
        f"/journal/lessons/{lesson}").get_data(as_text=True)
    url = f"/grading/lessons/{lesson}/marks"
    page = client.get(url)
    assert page.status_code == 200 and f'name="type-{petrov}"' in page.get_data(as_text=True)
    saved = client.post(url, data={f"value-{petrov}": "5", f"type-{petrov}": "written",
                                   f"value-{kuznetsov}": "4"})
    assert saved.status_code == 302
    with preset_app.app_context():
        types = dict(db.session.execute(select(Mark.student_id, Mark.mark_type)).all())
    assert types == {petrov: "written", kuznetsov: "oral"}
    retyped = client.post(url, data={f"value-{petrov}": "5", f"type-{petrov}": "control",
                                     f"value-{kuznetsov}": "4", f"type-{kuznetsov}": "oral"})
    assert retyped.status_code == 302
    with preset_app.app_context():
        assert db.session.scalar(select(Mark.mark_type).where(Mark.student_id == petrov)) == \
            "control"


def test_the_lesson_page_refuses_a_bad_mark_or_type_in_russian_and_saves_nothing(preset_app,
                                                                                    world):
    client = signed_in(preset_app, world.users["teacher"])
    lesson, petrov, kuznetsov = world.lessons[TODAY], world.students[PETROV], \
        world.students[KUZNETSOV]
    url = f"/grading/lessons/{lesson}/marks"
    bad_type = client.post(url, data={f"value-{petrov}": "5", f"type-{petrov}": "essay",
                                      f"value-{kuznetsov}": "4"})
    assert bad_type.status_code == 422
    assert "Неизвестный вид оценки «essay»" in bad_type.get_data(as_text=True)
    bad_value = client.post(url, data={f"value-{petrov}": "7", f"value-{kuznetsov}": "4"})
    assert bad_value.status_code == 422 and "не оценка" in bad_value.get_data(as_text=True)
    with preset_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Mark)) == 0


def test_the_lesson_marks_page_is_read_only_or_hidden_for_others(preset_app, world):
    url = f"/grading/lessons/{world.lessons[TODAY]}/marks"
    assert signed_in(preset_app, world.users["student_user"]).get(url).status_code == 404
    deputy = signed_in(preset_app, world.users["deputy"])
    assert deputy.get(url).status_code == 200
    assert deputy.post(url, data={f"value-{world.students[PETROV]}": "5"}).status_code == 404
    fixed = f"/grading/lessons/{world.lessons[LABORATORY]}/marks"
    page = signed_in(preset_app, world.users["teacher"]).get(fixed).get_data(as_text=True)
    assert "задан видом работы занятия: лабораторная работа" in page


def test_the_minimum_page_names_the_missing_kind(preset_app):
    world = build(preset_app, prefix="k")
    for lesson in LECTURES[:5]:
        mark(preset_app, world, PETROV, lesson)
    page = signed_in(preset_app, world.users["teacher"]).get(
        f"/grading/loads/{world.ids['load']}/minimum").get_data(as_text=True)
    assert "нет оценок за:" in page and "лабораторная работа" in page
    with preset_app.app_context():
        load = journal.get_load(world.ids["load"])
        assert services.required_kinds(load) == [
            k for k in required(preset_app) if k in ("control", "laboratory", "practical")]
        assert set(services.required_kinds(load)) <= set(rules.MARK_TYPES)
