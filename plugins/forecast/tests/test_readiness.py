"""The readiness for the demonstration exam and the ВКР, computed by hand for a small case: the
ties (a ПМ brings its МДК and practice), finals of every kind, a running journal's forecast, the
weakest module, attendance; the planning page's link, the ties' editor and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.audit import AuditEntry
from core.extensions import db
from core.people.models import Group
from plugins.forecast import readiness, widgets
from plugins.forecast.readiness_models import DEMO_EXAM, THESIS, AttestationTie
from plugins.forecast.tests.warning_world import NOW, TODAY, build
from plugins.grading.models import Final
from plugins.journal.models import Discipline, TeachingLoad
from tests import college
from tests.fixtures import count_queries, signed_in


@pytest.fixture
def world(app, clock):
    """The early warning's world, plus ПМ.01 with its МДК.01.01 and УП.01, all three journals
    of ИСП-21 in the term that ended ten days ago, with their finals."""
    clock.set(NOW)
    widgets.forget()
    found = build(app, prefix="r")
    petrov, _smirnova, kuznetsov, fedorova = found.students
    with app.app_context():
        from core.calendar.models import Term

        ended = db.session.get(Term, db.session.get(TeachingLoad, found.ended_load).term_id)
        pm = Discipline(code="ПМ.01", name="Разработка модулей ПО", kind="pm")
        db.session.add(pm)
        db.session.flush()
        mdk = Discipline(code="МДК.01.01", name="Разработка программных модулей", kind="mdk",
                         parent_id=pm.id)
        up = Discipline(code="УП.01", name="Учебная практика", kind="up", parent_id=pm.id)
        db.session.add_all([mdk, up])
        db.session.flush()
        teacher = found.base.users["teacher"].id
        loads = {d.code: college.add_load(teacher, found.ids["g1"], d.id, ended.id)
                 for d in (pm, mdk, up)}
        finals = [("ПМ.01", petrov, "qual_exam", "5"), ("ПМ.01", kuznetsov, "qual_exam", "4"),
                  ("МДК.01.01", petrov, "exam", "5"), ("МДК.01.01", petrov, "course_work", "4"),
                  ("МДК.01.01", petrov, "term", "3"),  # the exam stands for the journal
                  ("МДК.01.01", kuznetsov, "exam", "3"),
                  ("МДК.01.01", kuznetsov, "course_work", "3"),
                  ("МДК.01.01", fedorova, "exam", "2"),
                  ("УП.01", petrov, "diff_credit", "5"), ("УП.01", kuznetsov, "diff_credit", "4")]
        db.session.add_all([Final(load_id=loads[code].id, student_id=sid, kind=kind, value=v)
                            for code, sid, kind, v in finals])
        specialty = db.session.get(Group, found.ids["g1"]).specialty_id
        db.session.add_all([
            AttestationTie(specialty_id=specialty, attestation=DEMO_EXAM, discipline_id=pm.id),
            AttestationTie(specialty_id=specialty, attestation=THESIS, discipline_id=pm.id),
            AttestationTie(specialty_id=specialty, attestation=THESIS,
                           discipline_id=found.ids["discipline"])])
        db.session.commit()
        found.base.ids.update(specialty=specialty, pm=pm.id, mdk=mdk.id, up=up.id)
    return found


def by_name(rows):
    return {row.name.split()[0]: row for row in rows}


def test_demo_exam_readiness_by_hand(app, world):
    with app.test_request_context():
        rows = by_name(readiness.group_readiness(world.ids["g1"], world.ids["specialty"],
                                                 DEMO_EXAM, NOW))
    assert set(rows) == {"Петров", "Кузнецов", "Фёдорова"}  # Смирнова left the group
    petrov = rows["Петров"]
    # one module, ПМ.01: qualification exam 5, МДК exam 5 (its term 3 does not count beside
    # the exam), course work 4, practice 5 -> 19 / 4 = 4.75 -> 5
    assert petrov.score == pytest.approx(4.75)
    assert (petrov.expected, petrov.low, petrov.high) == (5, 5, 5)
    assert petrov.status == readiness.READY
    assert petrov.weakest.title == "ПМ.01 Разработка модулей ПО"
    assert sorted(r.kind for r in petrov.weakest.results) == ["course_work", "diff_credit",
                                                               "exam", "qual_exam"]
    kuznetsov = rows["Кузнецов"]
    # 4 + 3 + 3 + 4 = 14 / 4 = 3.5 -> 4 (half up): ready
    assert kuznetsov.score == pytest.approx(3.5)
    assert kuznetsov.expected == 4 and kuznetsov.status == readiness.READY
    fedorova = rows["Фёдорова"]
    # the МДК exam's 2 is an academic debt; ПМ and practice ended without her finals
    assert fedorova.expected == 2 and fedorova.status == readiness.NOT_ADMITTED
    assert "академическая задолженность: МДК.01.01 Разработка программных модулей " \
           "(Осенний модуль): Экзамен — 2" in fedorova.reasons
    assert "семестр окончен, итоговой оценки нет: УП.01 Учебная практика (Осенний модуль)" \
        in fedorova.reasons


def test_thesis_readiness_adds_a_running_journals_forecast_and_names_the_weakest(app, world):
    from plugins.forecast.api import forecasts_for_loads

    with app.test_request_context():
        rows = by_name(readiness.group_readiness(world.ids["g1"], world.ids["specialty"],
                                                 THESIS, NOW))
        forecasts = forecasts_for_loads([world.ids["load"]], at=NOW)
    petrov_id, _s, kuznetsov_id, fedorova_id = world.students
    mine = forecasts[(petrov_id, world.ids["load"])]
    petrov = rows["Петров"]
    # two modules: ПМ.01 4.75 and ОП.04, the forecast (its range at both ends)
    assert petrov.score == pytest.approx((4.75 + mine.expected) / 2)
    assert petrov.low == readiness.round_half_up((4.75 + mine.low) / 2)
    assert petrov.high == readiness.round_half_up((4.75 + mine.high) / 2)
    assert petrov.weakest.title == "ОП.04 Основы алгоритмизации и программирования"
    kuznetsov = rows["Кузнецов"]
    assert forecasts[(kuznetsov_id, world.ids["load"])].risk == "fail"
    assert kuznetsov.status == readiness.RISK
    assert kuznetsov.weakest.title == "ОП.04 Основы алгоритмизации и программирования"
    assert any(reason.startswith("прогноз неудовлетворительный: ОП.04 Основы алгоритмизации")
               for reason in kuznetsov.reasons)
    fedorova = rows["Фёдорова"]
    # 8 of 24 hours held in the tied journals: 33.3 % >= 20 %
    assert fedorova.missed_percent == pytest.approx(33.3)
    assert any(reason.startswith("пропущено 33,3% часов") for reason in fedorova.reasons)
    assert forecasts[(fedorova_id, world.ids["load"])] is not None


def test_the_rule_judges_attendance_alone(app):
    with app.test_request_context():
        module = readiness.Module(1, "ПМ.01", 5.0, (readiness.Result(
            1, 1, "МДК", "exam", "5", 5, 5, 5, False),))
        ok = readiness.judge(1, "А", [module], missed=10, held=100, unfinished=[],
                             absence_limit=20)
        over = readiness.judge(1, "А", [module], missed=20, held=100, unfinished=[],
                               absence_limit=20)
        nothing = readiness.judge(1, "А", [], missed=0, held=0, unfinished=[],
                                  absence_limit=20)
    assert (ok.expected, ok.status) == (5, readiness.READY)
    assert (over.expected, over.status) == (5, readiness.RISK)
    assert nothing.status == readiness.NO_DATA and nothing.expected is None


def test_the_planning_page_links_to_the_ties_and_the_deputy_edits_them(app, world):
    deputy = signed_in(app, world.base.users["deputy"], college.PASSWORD)
    plans = deputy.get("/planning/").get_data(as_text=True)
    assert "ДЭ и ВКР: что учитывается в готовности" in plans
    page = deputy.get("/forecast/attestation").get_data(as_text=True)
    assert "ПМ.01 Разработка модулей ПО" in page
    specialty = world.ids["specialty"]
    answer = deputy.post(f"/forecast/attestation/{specialty}/{DEMO_EXAM}",
                         data={"discipline": [str(world.ids["mdk"]), str(world.ids["up"])]})
    assert answer.status_code == 302
    with app.app_context():
        assert readiness.tied_ids(specialty, DEMO_EXAM) == {world.ids["mdk"], world.ids["up"]}
        entry = db.session.query(AuditEntry).filter_by(
            action="forecast.attestation.ties").one()
        assert entry.before["disciplines"] == [world.ids["pm"]]
    bad = deputy.post(f"/forecast/attestation/{specialty}/{DEMO_EXAM}",
                      data={"discipline": ["999999"]})
    assert bad.status_code == 302
    with app.app_context():
        assert readiness.tied_ids(specialty, DEMO_EXAM) == {world.ids["mdk"], world.ids["up"]}
    curator = signed_in(app, world.curator, college.PASSWORD)
    assert curator.post(f"/forecast/attestation/{specialty}/{DEMO_EXAM}",
                        data={"discipline": []}).status_code == 404
    assert deputy.post(f"/forecast/attestation/{specialty}/nonsense").status_code == 404


def test_the_group_list_for_the_curator_and_scope(app, world):
    curator = signed_in(app, world.curator, college.PASSWORD)
    page = curator.get(f"/forecast/readiness/{world.ids['g1']}?attestation={THESIS}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Кузнецов Иван Дмитриевич" in html and "не допущен" in html
    assert curator.get(f"/forecast/readiness/{world.ids['g1']}?attestation=x").status_code \
        == 404
    other = signed_in(app, world.other_curator, college.PASSWORD)
    assert other.get(f"/forecast/readiness/{world.ids['g1']}").status_code == 404
    teacher = signed_in(app, world.base.users["teacher"], college.PASSWORD)
    assert teacher.get(f"/forecast/readiness/{world.ids['g1']}").status_code == 404
    assert teacher.get("/forecast/attestation").status_code == 404


def test_the_group_list_makes_as_many_queries_with_more_students(app, world):
    deputy = signed_in(app, world.base.users["deputy"], college.PASSWORD)
    url = f"/forecast/readiness/{world.ids['g1']}?attestation={THESIS}"
    deputy.get(url)
    with count_queries(app) as few:
        deputy.get(url)
    with app.app_context():
        for number in range(5):
            student = college.add_student(world.ids["g1"], TODAY - timedelta(days=80),
                                          record_book_no=f"rq-{number}", last_name="Ещё",
                                          first_name=f"Студент{number}")
            db.session.add(Final(load_id=world.ended_load, student_id=student.id, kind="term",
                                 value="4"))
        db.session.commit()
    with count_queries(app) as many:
        html = deputy.get(url).get_data(as_text=True)
    assert "Ещё Студент4" in html
    assert many.count == few.count


def test_hook_planning_links(app, world):
    from core.people.models import User
    from core.plugins import hook

    with app.test_request_context():
        deputy = db.session.get(User, world.base.users["deputy"].id)
        teacher = db.session.get(User, world.base.users["teacher"].id)
        for_deputy = [item for batch in hook().planning_links(user=deputy) for item in batch]
        for_teacher = [item for batch in hook().planning_links(user=teacher) for item in batch]
    assert [item.endpoint for item in for_deputy] == ["forecast.attestation"]
    assert for_teacher == []
