"""Grading as the college's rules say, under both presets with their own values.

Every test of ``preset_world`` runs twice: on the shared BTT app and on a KTIS app.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import func, select

from core import policy
from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from core.policy import policy_value
from plugins.grading import grid, rules, services
from plugins.grading.models import Correction, DisciplineScale, History, Mark
from plugins.grading.tests.world import build, college_today, noon
from plugins.journal import api as journal
from tests.concurrency import cell_of as cell
from tests.concurrency import save_committed
from tests.fixtures import signed_in


@pytest.fixture
def world(preset_app):
    return build(preset_app)


def post_cells(client, load_id, cells):
    return client.post(f"/journal/load/{load_id}/cells/grading", json={"cells": cells})


def mark_count(application) -> int:
    with application.app_context():
        return db.session.scalar(select(func.count()).select_from(Mark).where(Mark.value != ""))


#: ``save(app, world, who, cells, at=None)``: through the service; committed when saved
save = partial(save_committed, services)


def fill(application, world, who, cells):
    """Enter ``cells`` as ``who`` on each lesson's own day, inside the edit window."""
    by_lesson = defaultdict(list)
    for change in cells:
        by_lesson[change["lesson_id"]].append(change)
    for lesson_id, changes in by_lesson.items():
        save(application, world, who, changes,
             at=noon(world.dates[world.lessons.index(lesson_id)]))


TODAY = 11  # the index of today's lesson
PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)


def past_mark_changed_by(application, world, who):
    """Петров's 3 of lesson 2, entered on its day, changed to 5 by ``who`` through the grid
    now, after the edit window: ``(who's client, the answer)``."""
    fill(application, world, "teacher", [cell(world, 2, PETROV, "3")])
    client = signed_in(application, world.users[who])
    return client, post_cells(client, world.ids["load"], [cell(world, 2, PETROV, "5", 1)])


# --- entering marks --------------------------------------------------------------------------


def test_teacher_enters_marks_of_today_and_several_in_one_cell(preset_app, world):
    client = signed_in(preset_app, world.users["teacher"])
    response = post_cells(client, world.ids["load"], [cell(world, TODAY, PETROV, "5"),
                                                      cell(world, TODAY, KUZNETSOV, "4/3")])
    assert response.status_code == 200, response.get_json()
    answered = {c["student_id"]: c for c in response.get_json()["cells"]}
    assert answered[world.students[KUZNETSOV]]["text"] == "4/3"
    assert mark_count(preset_app) == 3
    with preset_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(History)) == 3
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "grade.edit")) == 3


@pytest.mark.parametrize("value", ["6", "0", "abc", "", " 5 ", "н/а", "5/6", "Д"])
def test_invalid_value_is_refused_422_and_nothing_of_the_batch_is_saved(preset_app, world, value):
    client = signed_in(preset_app, world.users["teacher"])
    response = post_cells(client, world.ids["load"], [cell(world, TODAY, PETROV, "5"),
                                                      cell(world, TODAY, KUZNETSOV, value)])
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == 422 and body["message"]
    assert [c["student_id"] for c in body["cells"]] == [world.students[KUZNETSOV]]
    assert mark_count(preset_app) == 0


def test_pass_fail_discipline_takes_zach_and_refuses_points(preset_app, world):
    with preset_app.app_context():
        db.session.add(DisciplineScale(discipline_id=world.ids["discipline"], scale="pass_fail"))
        db.session.commit()
    client = signed_in(preset_app, world.users["teacher"])
    assert post_cells(client, world.ids["load"], [cell(world, TODAY, PETROV, "5")]).status_code \
        == 422
    response = post_cells(client, world.ids["load"], [cell(world, TODAY, PETROV, "з")])
    assert response.get_json()["cells"][0]["text"] == "зач"


def test_student_outside_the_group_or_another_teachers_lesson_is_404_with_nothing_saved(
        preset_app, world):
    client = signed_in(preset_app, world.users["teacher"])
    # Смирнова left the group before today's lesson
    gone = post_cells(client, world.ids["load"], [cell(world, TODAY, PETROV, "5"),
                                                  cell(world, TODAY, SMIRNOVA, "4")])
    assert gone.status_code == 404
    foreign = {"lesson_id": world.ids["other_lesson"], "student_id": world.students[SMIRNOVA],
               "value": "5", "version": None}
    assert post_cells(client, world.ids["load"], [foreign]).status_code == 404
    assert post_cells(client, world.ids["other_load"], [foreign]).status_code == 404
    assert mark_count(preset_app) == 0


def test_thirty_marks_in_one_request_are_one_transaction(preset_app, world):
    with preset_app.app_context():  # a window wide enough for ten lessons
        policy.set_override("journal.edit_grace_days", 90)
        db.session.commit()
    client = signed_in(preset_app, world.users["teacher"])
    batch = [cell(world, lesson, student, "4")
             for lesson in range(10) for student in (PETROV, KUZNETSOV, FEDOROVA)]
    assert len(batch) == 30
    broken = [*batch[:-1], {**batch[-1], "value": "7"}]
    assert post_cells(client, world.ids["load"], broken).status_code == 422
    assert mark_count(preset_app) == 0
    assert post_cells(client, world.ids["load"], batch).status_code == 200
    assert mark_count(preset_app) == 30


def test_second_of_two_concurrent_edits_gets_409_and_the_current_value(preset_app, world):
    first = signed_in(preset_app, world.users["teacher"])
    second = signed_in(preset_app, world.users["admin"])
    saved = post_cells(first, world.ids["load"], [cell(world, TODAY, PETROV, "3")])
    version = saved.get_json()["cells"][0]["version"]
    assert post_cells(first, world.ids["load"],
                      [cell(world, TODAY, PETROV, "4", version)]).status_code == 200
    stale = post_cells(second, world.ids["load"], [cell(world, TODAY, PETROV, "5", version)])
    assert stale.status_code == 409
    current = stale.get_json()["cells"][0]["current"]
    assert current["value"] == "4" and current["version"] == version + 1


def test_the_grid_posts_its_inputs_names_and_takes_the_names_the_server_answers(preset_app,
                                                                                world):
    """The grid's JavaScript echoes names: it posts an input's name as the page rendered it and
    puts in its place the one the answer gives, for the saved value or, on a 409, the current."""
    from plugins.journal.grid_html import field_name

    lesson, student = world.lessons[TODAY], world.students[PETROV]
    url = f"/journal/load/{world.ids['load']}/cells"
    client = signed_in(preset_app, world.users["teacher"])
    page = client.get(f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    empty = field_name("grading", student, None, "", lesson_id=lesson)
    assert f'name="{empty}"' in page and 'data-plugin="grading"' in page
    saved = client.post(url, json={"cells": [{"field": empty, "value": "4"}]})
    assert saved.status_code == 200
    [answer] = saved.get_json()["cells"]
    assert answer["field"] == field_name("grading", student, answer["version"], "4",
                                         lesson_id=lesson)
    assert f'name="{answer["field"]}"' in client.get(
        f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    stale = client.post(url, json={"cells": [{"field": empty, "value": "5"}]})
    assert stale.status_code == 409 and stale.get_json()["cells"][0]["field"] == answer["field"]
    assert client.post(url, json={"cells": [{"field": "cell-grading-x", "value": "5"}]}
                       ).status_code == 400
    assert client.post(url, json={"cells": [{"lesson_id": lesson, "student_id": student,
                                             "value": "5"}]}).status_code == 400
    assert mark_count(preset_app) == 1


def test_clearing_a_cell_keeps_the_mark_row_and_writes_an_empty_history_row(preset_app, world):
    client = signed_in(preset_app, world.users["teacher"])
    version = post_cells(client, world.ids["load"],
                         [cell(world, TODAY, PETROV, "2")]).get_json()["cells"][0]["version"]
    assert post_cells(client, world.ids["load"],
                      [cell(world, TODAY, PETROV, "", version)]).status_code == 200
    with preset_app.app_context():
        rows = db.session.execute(select(History.old_value, History.new_value)
                                  .order_by(History.id)).all()
        assert [tuple(r) for r in rows] == [("", "2"), ("2", "")]
        assert db.session.scalar(select(func.count()).select_from(Mark)) == 1


def test_marks_raise_domain_events(preset_app, world):
    seen = []
    with preset_app.test_request_context():
        user = db.session.get(User, world.users["admin"].id)
        load = journal.get_load(world.ids["load"])
        services.save_cells(load, user, [cell(world, TODAY, PETROV, "5")])
        seen = [e.name for e in db.session.info.get("ejournal.events.queued", [])]
        db.session.rollback()
    assert seen == ["grade.posted"]


# --- the edit window and corrections ---------------------------------------------------------


def test_teacher_cannot_edit_after_the_window(preset_app, world):
    with preset_app.app_context():
        grace = policy_value("journal.edit_grace_days")
    day = world.dates[3]
    inside = noon(day + timedelta(days=grace))
    save(preset_app, world, "teacher", [cell(world, 3, PETROV, "4")], at=inside)
    with pytest.raises(DomainError) as refused:
        save(preset_app, world, "teacher", [cell(world, 3, PETROV, "5", 1)],
             at=noon(day + timedelta(days=grace + 1)))
    assert refused.value.status == 409
    assert "заявку" in refused.value.details["cells"][0]["message"]
    with preset_app.app_context():
        assert db.session.scalar(select(Mark.value)) == "4"


def test_correction_workflow_from_the_teachers_request_to_the_deputys_approval(preset_app,
                                                                             world):
    teacher, refused = past_mark_changed_by(preset_app, world, "teacher")
    assert refused.status_code == 409
    form = teacher.get(f"/grading/corrections/new?lesson_id={world.lessons[2]}"
                       f"&student_id={world.students[PETROV]}")
    assert form.status_code == 200 and "Заявка на исправление" in form.get_data(as_text=True)
    filed = teacher.post("/grading/corrections/new", data={
        "lesson_id": world.lessons[2], "student_id": world.students[PETROV],
        "new_value": "5", "reason": "Ошибка при вводе: ответ оценён на «отлично»"})
    assert filed.status_code == 302
    deputy = signed_in(preset_app, world.users["deputy"])
    pending = deputy.get("/grading/corrections").get_data(as_text=True)
    assert "Ошибка при вводе" in pending
    from plugins.journal import api as journal_api

    with preset_app.test_request_context():
        lesson = journal_api.get_lesson(world.lessons[2])
        discipline = journal_api.get_load(lesson.load_id).discipline.name
    # the deputy's list names the lesson: its date, pair, group and discipline
    assert lesson.date.strftime("%d.%m.%Y") in pending and discipline in pending
    own = teacher.get("/grading/corrections").get_data(as_text=True)
    assert "Как исправить оценку за прошедшее занятие" in own and 'href="/journal/"' in own
    # the old lesson's page leads to its marks, each line to the form filled in for it
    lesson_page = teacher.get(f"/journal/lessons/{world.lessons[2]}").get_data(as_text=True)
    assert "Исправить оценку (с указанием причины)" in lesson_page
    marks_page = teacher.get(f"/grading/lessons/{world.lessons[2]}/marks").get_data(as_text=True)
    assert (f"/grading/corrections/new?lesson_id={world.lessons[2]}"
            f"&amp;student_id={world.students[PETROV]}") in marks_page
    with preset_app.app_context():
        correction = db.session.scalars(select(Correction)).one()
        assert (correction.old_value, correction.new_value, correction.status) == \
            ("3", "5", "pending")
    assert teacher.post(f"/grading/corrections/{correction.id}/decide",
                        data={"decision": "approve"}).status_code == 404
    assert deputy.post(f"/grading/corrections/{correction.id}/decide",
                       data={"decision": "approve"}).status_code == 302
    with preset_app.app_context():
        mark = db.session.scalars(select(Mark)).one()
        assert (mark.value, mark.corrected) == ("5", True)
        last = db.session.scalars(select(History).order_by(History.id.desc())).first()
        assert (last.old_value, last.new_value, last.approved_by_id, last.actor_id) == \
            ("3", "5", world.users["deputy"].id, world.users["teacher"].id)
        assert last.reason.startswith("Ошибка при вводе")
        assert db.session.get(Correction, correction.id).status == "approved"
    assert "Ошибка при вводе" not in deputy.get("/grading/corrections").get_data(as_text=True)


def test_rejected_correction_leaves_the_mark_and_needs_a_reason(preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    with preset_app.test_request_context():
        teacher = db.session.get(User, world.users["teacher"].id)
        deputy = db.session.get(User, world.users["deputy"].id)
        load = journal.get_load(world.ids["load"])
        filed = services.file_correction(teacher, load, world.lessons[2], world.students[PETROV],
                                         "4", "Пересдача")
        with pytest.raises(DomainError):
            services.decide_correction(deputy, filed.id, approve=False, note="")
        services.decide_correction(deputy, filed.id, approve=False, note="Пересдача не по графику")
        db.session.commit()
        assert db.session.get(Correction, filed.id).status == "rejected"
        assert db.session.scalar(select(Mark.value)) == "3"


# --- the minimum of marks, finals, the lock --------------------------------------------------

#: lessons to mark first: the practical, laboratory and control works, then the lectures
MARK_ORDER = [1, 5, 4, 7, 0, 2, 3, 6, 8, 9, 10, 11]


def give_marks(application, world, student, count):
    fill(application, world, "teacher",
         [cell(world, lesson, student, "4") for lesson in MARK_ORDER[:count]])


def set_final(application, world, who, student, value, version=None):
    return save(application, world, who, [{"key": "term_final", "student_id":
                                           world.students[student], "value": value,
                                           "version": version}])


@pytest.mark.parametrize("hours", [1, 2, 4])
def test_final_needs_the_presets_minimum_of_marks(preset_app, hours):
    world = build(preset_app, hours_per_week=hours)
    with preset_app.app_context():
        needed = rules.min_marks_for(policy_value("grades.min_marks"), hours)
    give_marks(preset_app, world, PETROV, needed - 1)
    with pytest.raises(DomainError) as refused:
        set_final(preset_app, world, "teacher", PETROV, "4")
    assert refused.value.status == 409
    assert "рано" in refused.value.message
    give_marks(preset_app, world, KUZNETSOV, needed)
    set_final(preset_app, world, "teacher", KUZNETSOV, "4")
    # н/а is exactly the final of a student without enough marks
    set_final(preset_app, world, "teacher", PETROV, "н/а")


def test_teacher_sees_who_is_short_and_admin_grants_an_exception(preset_app, world):
    give_marks(preset_app, world, PETROV, 1)
    teacher = signed_in(preset_app, world.users["teacher"])
    page = teacher.get(f"/grading/loads/{world.ids['load']}/minimum").get_data(as_text=True)
    with preset_app.app_context():
        needed = rules.min_marks_for(policy_value("grades.min_marks"), 2)
    assert f"не хватает оценок: {needed - 1} из {needed}" in page
    admin = signed_in(preset_app, world.users["admin"])
    assert teacher.post(f"/grading/loads/{world.ids['load']}/exception",
                        data={"student_id": world.students[PETROV],
                              "reason": "болезнь"}).status_code == 404
    granted = admin.post(f"/grading/loads/{world.ids['load']}/exception",
                         data={"student_id": world.students[PETROV],
                               "reason": "Длительная болезнь, справка № 14"})
    assert granted.status_code == 302
    set_final(preset_app, world, "teacher", PETROV, "3")
    with preset_app.app_context():
        entry = db.session.scalars(select(AuditEntry)
                                   .where(AuditEntry.action == "grade.minimum.exception")).one()
        assert entry.note == "Длительная болезнь, справка № 14"


def finish_term(application, world):
    for student in (PETROV, KUZNETSOV, FEDOROVA):
        give_marks(application, world, student, 8)
        set_final(application, world, "teacher", student, "4")


def test_teacher_cannot_edit_after_finals_until_the_admin_unlocks(preset_app, world):
    finish_term(preset_app, world)
    teacher = signed_in(preset_app, world.users["teacher"])
    locked = post_cells(teacher, world.ids["load"], [cell(world, TODAY, KUZNETSOV, "5")])
    with preset_app.app_context():
        lock = policy_value("grades.lock_after_finals")
    if not lock:
        assert locked.status_code == 200
        return
    assert locked.status_code == 409
    assert "Итоговые оценки" in locked.get_json()["cells"][0]["message"]
    with pytest.raises(DomainError):
        set_final(preset_app, world, "teacher", PETROV, "5", 1)
    admin = signed_in(preset_app, world.users["admin"])
    until = (college_today(preset_app) + timedelta(days=3)).isoformat()
    assert admin.post(f"/grading/loads/{world.ids['load']}/unlock",
                      data={"reason": "", "until": until}).status_code == 422
    assert post_cells(teacher, world.ids["load"],
                      [cell(world, TODAY, KUZNETSOV, "5")]).status_code == 409
    assert admin.post(f"/grading/loads/{world.ids['load']}/unlock",
                      data={"reason": "Пересдача по приказу № 112", "until": until}
                      ).status_code == 302
    assert post_cells(teacher, world.ids["load"],
                      [cell(world, TODAY, KUZNETSOV, "5")]).status_code == 200
    with preset_app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "grade.unlock")
                                   ).one()
        assert entry.note == "Пересдача по приказу № 112"
        assert entry.actor_id == world.users["admin"].id


# --- transfers, history, the grid ------------------------------------------------------------


def test_transferred_students_marks_stay_in_the_old_group_up_to_the_date(preset_app, world):
    fill(preset_app, world, "admin", [cell(world, 4, SMIRNOVA, "5")])
    with pytest.raises(DomainError) as refused:
        save(preset_app, world, "admin", [cell(world, 5, SMIRNOVA, "5")])
    assert refused.value.status == 404
    with preset_app.test_request_context():
        load = journal.get_load(world.ids["load"])
        user = db.session.get(User, world.users["admin"].id)
        source = services_cells(load, user)
        assert source.cells[(world.lessons[4], world.students[SMIRNOVA])].text == "5"


def services_cells(load, user):
    return grid.cells(load, journal.lessons(load), journal.roster(load), user)


def test_staff_open_a_cells_history_students_do_not(preset_app, world):
    fill(preset_app, world, "admin", [cell(world, 0, PETROV, "3")])
    fill(preset_app, world, "admin", [cell(world, 0, PETROV, "4", 1)])
    url = f"/grading/history?lesson_id={world.lessons[0]}&student_id={world.students[PETROV]}"
    rows = signed_in(preset_app, world.users["teacher"]).get(url).get_json()["history"]
    assert [(r["old"], r["new"]) for r in rows] == [("", "3"), ("3", "4")]
    assert rows[0]["who"] == "Соколова И. П."
    assert signed_in(preset_app, world.users["student_user"]).get(url).status_code == 404


def test_average_is_weighted_by_the_policy_and_shortfall_is_shown(preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 4, PETROV, "5"), cell(world, 0, PETROV, "3")])
    with preset_app.test_request_context():
        load = journal.get_load(world.ids["load"])
        user = db.session.get(User, world.users["teacher"].id)
        columns = {c.key: c for c in grid.columns(load, journal.roster(load), user)}
        weights = services.weights()
    expected = (5 * weights["control"] + 3 * weights["oral"]) / (weights["control"]
                                                                 + weights["oral"])
    assert columns["average"].cells[world.students[PETROV]].text == f"{expected:.2f}"
    assert columns["minimum"].cells[world.students[PETROV]].css == "cell-short"


# --- the scale and the forms of certification -------------------------------------------------


def test_an_exam_column_appears_once_the_administration_assigns_it(preset_app, world):
    load = world.ids["load"]
    exam = {"key": "exam_final", "student_id": world.students[PETROV], "value": "5",
            "version": None}
    with pytest.raises(DomainError) as refused:
        save(preset_app, world, "admin", [exam])
    assert refused.value.status == 422 and "не назначена" in refused.value.message
    teacher = signed_in(preset_app, world.users["teacher"])
    page = teacher.get(f"/grading/loads/{load}/setup").get_data(as_text=True)
    assert "итоговая за семестр" in page and 'type="checkbox"' not in page  # read only
    assert teacher.post(f"/grading/loads/{load}/setup",
                        data={"scale": "five", "kinds": ["exam"]}).status_code == 404
    admin = signed_in(preset_app, world.users["admin"])
    saved = admin.post(f"/grading/loads/{load}/setup", data={"scale": "five", "kinds": ["exam"]},
                       follow_redirects=True)
    assert "Шкала и формы аттестации сохранены" in saved.get_data(as_text=True)
    grid_page = teacher.get(f"/journal/load/{load}").get_data(as_text=True)
    assert "Экзамен" in grid_page and f"col-grading-exam_final-{world.students[PETROV]}--" in grid_page
    save(preset_app, world, "admin", [exam])
    # a form with finals set cannot be taken away
    admin.post(f"/grading/loads/{load}/setup", data={"scale": "five"})
    with preset_app.app_context():
        assert services.assessment_kinds(load) == ["exam"]
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "grading.assessment.set")) >= 1


def test_the_scale_cannot_change_once_marks_are_set(preset_app, world):
    load = world.ids["load"]
    admin = signed_in(preset_app, world.users["admin"])
    fill(preset_app, world, "teacher", [cell(world, 0, PETROV, "4")])
    refused = admin.post(f"/grading/loads/{load}/setup", data={"scale": "pass_fail"})
    assert refused.status_code == 422
    assert "шкалу изменить нельзя" in refused.get_data(as_text=True)
    with preset_app.app_context():
        assert services.scale_of(world.ids["discipline"]) == rules.FIVE


# --- corrections for everyone, unlocks with an end (issue #13) -----------------------------------


def _services(application, world, who):
    """``(user, load)`` inside an open request context of ``application``."""
    return db.session.get(User, world.users[who].id), journal.get_load(world.ids["load"])


def test_administrator_writing_a_past_lesson_is_refused_and_offered_the_correction(preset_app,
                                                                                   world):
    admin, refused = past_mark_changed_by(preset_app, world, "admin")
    assert refused.status_code == 409
    detail = refused.get_json()["cells"][0]
    assert "заявку" in detail["message"]
    assert detail["correction_url"].startswith("/grading/corrections/new?")
    with preset_app.app_context():
        assert db.session.scalar(select(Mark.value)) == "3"
    with preset_app.test_request_context():
        user, load = _services(preset_app, world, "admin")
        with pytest.raises(DomainError) as no_reason:
            services.file_correction(user, load, world.lessons[2], world.students[PETROV], "5",
                                     "  ")
        assert no_reason.value.message == "Укажите причину"


def test_administrators_correction_is_in_the_history_with_its_reason_and_approver(preset_app,
                                                                                 world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    with preset_app.test_request_context():
        user, load = _services(preset_app, world, "admin")
        filed = services.file_correction(user, load, world.lessons[2], world.students[PETROV],
                                         "4", "Ответ у доски оценён по ошибке")
        db.session.commit()
        assert filed.status == "pending"  # both presets ask for a second person
        with pytest.raises(DomainError) as own:
            services.decide_correction(user, filed.id, approve=True)
        assert own.value.status == 409 and "другой сотрудник" in own.value.message
        deputy = db.session.get(User, world.users["deputy"].id)
        services.decide_correction(deputy, filed.id, approve=True)
        db.session.commit()
        last = db.session.scalars(select(History).order_by(History.id.desc())).first()
        assert (last.old_value, last.new_value, last.actor_id, last.approved_by_id) == \
            ("3", "4", world.users["admin"].id, world.users["deputy"].id)
        assert last.reason == "Ответ у доски оценён по ошибке"
    url = f"/grading/history?lesson_id={world.lessons[2]}&student_id={world.students[PETROV]}"
    rows = signed_in(preset_app, world.users["teacher"]).get(url).get_json()["history"]
    assert (rows[-1]["reason"], rows[-1]["approved_by"]) == ("Ответ у доски оценён по ошибке",
                                                             "Лебедева О. С.")


def test_without_approval_in_the_policy_the_administrators_correction_applies_at_once(
        preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    with preset_app.test_request_context():
        policy.set_override("grading.correction_approval", False)
        user, load = _services(preset_app, world, "admin")
        filed = services.file_correction(user, load, world.lessons[2], world.students[PETROV],
                                         "5", "Исправление по протоколу пересдачи")
        db.session.commit()
        assert (filed.status, filed.decided_by_id) == ("approved", user.id)
        mark = db.session.scalars(select(Mark)).one()
        assert (mark.value, mark.corrected) == ("5", True)
        last = db.session.scalars(select(History).order_by(History.id.desc())).first()
        assert (last.reason, last.approved_by_id) == ("Исправление по протоколу пересдачи",
                                                      user.id)


def test_a_cell_takes_one_pending_correction_at_a_time(preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    with preset_app.test_request_context():
        user, load = _services(preset_app, world, "teacher")
        services.file_correction(user, load, world.lessons[2], world.students[PETROV], "4", "a")
        with pytest.raises(DomainError) as twice:
            services.file_correction(user, load, world.lessons[2], world.students[PETROV], "5",
                                     "b")
        assert twice.value.status == 409


def test_the_correction_link_of_a_409_opens_the_form_filled_in_for_that_cell(preset_app, world):
    teacher, refused = past_mark_changed_by(preset_app, world, "teacher")
    url = refused.get_json()["cells"][0]["correction_url"]
    assert f"lesson_id={world.lessons[2]}" in url and f"student_id={world.students[PETROV]}" in url
    page = teacher.get(url).get_data(as_text=True)
    assert 'name="new_value" type="text" value="5"' in page
    assert re.search(rf'<input[^>]*name="lesson_id"[^>]*value="{world.lessons[2]}"', page)


def test_a_cell_with_a_pending_correction_shows_it_in_the_grid(preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    with preset_app.test_request_context():
        user, load = _services(preset_app, world, "teacher")
        services.file_correction(user, load, world.lessons[2], world.students[PETROV], "5",
                                 "Ошибка ввода")
        services.file_correction(user, load, world.lessons[3], world.students[KUZNETSOV], "4",
                                 "Оценка не была внесена")
        db.session.commit()
        source = services_cells(load, user)
        marked = source.cells[(world.lessons[2], world.students[PETROV])]
        empty = source.cells[(world.lessons[3], world.students[KUZNETSOV])]
    assert "cell-pending" in marked.css and "«3» → «5»" in marked.title
    assert marked.text == "3"  # the mark stays until the correction is approved
    assert "cell-pending" in empty.css and "«—» → «4»" in empty.title
    page = signed_in(preset_app, world.users["teacher"]).get(
        f"/journal/load/{world.ids['load']}").get_data(as_text=True)
    assert "ожидает утверждения" in page


def test_a_locked_period_refuses_the_administrator_too(preset_app, world):
    finish_term(preset_app, world)
    with preset_app.app_context():
        if not policy_value("grades.lock_after_finals"):
            pytest.skip("the preset does not lock after finals")
    admin = signed_in(preset_app, world.users["admin"])
    refused = post_cells(admin, world.ids["load"], [cell(world, TODAY, KUZNETSOV, "5")])
    assert refused.status_code == 409
    assert "Итоговые оценки" in refused.get_json()["cells"][0]["message"]
    assert "correction_url" in refused.get_json()["cells"][0]
    with pytest.raises(DomainError) as final:
        set_final(preset_app, world, "admin", PETROV, "5", 1)
    assert final.value.status == 409 and "разблокировки" in final.value.message


def test_an_unlock_ends_by_itself_after_its_last_day(preset_app, world):
    finish_term(preset_app, world)
    today = college_today(preset_app)
    now = noon(today)
    with preset_app.test_request_context():
        if not policy_value("grades.lock_after_finals"):
            pytest.skip("the preset does not lock after finals")
        admin, load = _services(preset_app, world, "admin")
        with pytest.raises(DomainError):
            services.unlock(admin, load, "Пересдача", today - timedelta(days=1), at=now)
        with pytest.raises(DomainError):
            services.unlock(admin, load, "", today + timedelta(days=2), at=now)
        services.unlock(admin, load, "Пересдача по приказу № 112", today + timedelta(days=2),
                        at=now)
        db.session.commit()
        with pytest.raises(DomainError) as twice:
            services.unlock(admin, load, "Ещё раз", today + timedelta(days=5), at=now)
        assert twice.value.status == 409
        assert not services.is_locked(load, at=noon(today + timedelta(days=2)))
        assert services.is_locked(load, at=noon(today + timedelta(days=3)))
    changed = save(preset_app, world, "teacher", [
        {"key": "term_final", "student_id": world.students[PETROV], "value": "5", "version": 1}],
        at=noon(today + timedelta(days=2)))
    assert changed[0]["text"] == "5"
    with pytest.raises(DomainError) as expired:
        save(preset_app, world, "teacher", [
            {"key": "term_final", "student_id": world.students[PETROV], "value": "4",
             "version": 2}], at=noon(today + timedelta(days=3)))
    assert expired.value.status == 409
    with preset_app.app_context():
        last = db.session.scalars(select(History).where(History.final_id.is_not(None))
                                  .order_by(History.id.desc())).first()
        assert (last.new_value, last.approved_by_id) == ("5", world.users["admin"].id)
        assert "Пересдача по приказу № 112" in last.reason
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "grade.unlock")
                                   ).one()
        assert entry.after["until"] == (today + timedelta(days=2)).isoformat()


def test_the_unlock_form_asks_for_a_reason_and_an_end_date(preset_app, world):
    finish_term(preset_app, world)
    admin = signed_in(preset_app, world.users["admin"])
    url = f"/grading/loads/{world.ids['load']}/unlock"
    with preset_app.app_context():
        locks = policy_value("grades.lock_after_finals")
    page = admin.get(f"/grading/loads/{world.ids['load']}/minimum").get_data(as_text=True)
    assert ('name="until"' in page) == locks
    missing = admin.post(url, data={"reason": "Пересдача"})
    assert missing.status_code == 422
    assert "до какого дня" in missing.get_data(as_text=True)
    past = admin.post(url, data={"reason": "Пересдача", "until": "2000-01-01"})
    assert past.status_code == 422 and "уже прошла" in past.get_data(as_text=True)


def test_a_past_cells_history_offers_its_writer_the_correction(preset_app, world):
    fill(preset_app, world, "teacher", [cell(world, 2, PETROV, "3")])
    past = f"/grading/history?lesson_id={world.lessons[2]}&student_id={world.students[PETROV]}"
    today = (f"/grading/history?lesson_id={world.lessons[TODAY]}"
             f"&student_id={world.students[PETROV]}")
    teacher = signed_in(preset_app, world.users["teacher"])
    assert "correction_url" in teacher.get(past).get_json()
    assert "correction_url" not in teacher.get(today).get_json()
    assert "correction_url" not in signed_in(preset_app, world.users["deputy"]).get(
        past).get_json()  # the deputy reads the journal, does not write it
