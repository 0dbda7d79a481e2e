"""«This mark is wrong» (BTT 4.3.2, issue #17 item 5): a parent or student flags a mark from the
diary; the journal's teacher sees it in the grid and in «Обращения по оценкам», answers by
keeping the mark with a comment or by correcting it through the correction flow; the family
reads the answer; every step is in the mark's history and the audit. Only the family, the
journal's writers and the administration read a flag, staff reads audited."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import migrate
from core.audit import AuditEntry
from core.errors import DomainError
from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from plugins.grading import flags, services
from plugins.grading.models import Correction, History, Mark, MarkFlag
from plugins.grading.tests.world import PASSWORD, build, noon, save_on_the_day
from plugins.journal import api as journal
from tests.college import add_guardian, add_user
from tests.concurrency import cell_of as cell
from tests.fixtures import count_queries, signed_in

PAST, TODAY = 2, 11
PETROV, SMIRNOVA, KUZNETSOV, FEDOROVA = range(4)
COMMENT = "Сын отвечал у доски на «пять», а в журнале «три»."


def add_parent(app, world, key: str, child: int) -> User:
    with app.app_context():
        user = add_user(f"{key}.parent", Role.PARENT, "Петрова", "Елена",
                        middle_name="Викторовна", email=f"{key}@family.example")
        add_guardian(user.id, "Петрова", "Елена", [world.students[child]],
                     email=f"{key}@family.example")
        db.session.commit()
        _ = user.roles
    world.users[key] = user
    return user


@pytest.fixture
def world(app):
    """The grading world; Петров (who has an account) has a 3 in a past lesson and a 4 today,
    Кузнецов a 5 today; Петров's and Кузнецов's parents have accounts."""
    made = build(app, prefix="mf")
    add_parent(app, made, "parent", PETROV)
    add_parent(app, made, "kuznetsov_parent", KUZNETSOV)
    save_on_the_day(app, made, services.save_cells, "teacher",
                    [cell(made, PAST, PETROV, "3"), cell(made, TODAY, PETROV, "4"),
                     cell(made, TODAY, KUZNETSOV, "5")])
    return made


def mark_id(app, world, lesson: int, student: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Mark.id).where(
            Mark.lesson_id == world.lessons[lesson], Mark.student_id == world.students[student],
            Mark.position == 0))


def client_of(app, world, who: str):
    return signed_in(app, world.users[who], PASSWORD)


def diary(client, world, student: int, lesson: int) -> str:
    response = client.get(f"/diary/students/{world.students[student]}"
                          f"?week={world.dates[lesson].isoformat()}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def flag_of(app, mark: int) -> MarkFlag:
    with app.app_context():
        found = db.session.scalars(select(MarkFlag).where(MarkFlag.mark_id == mark)
                                   .order_by(MarkFlag.id.desc())).first()
        db.session.expunge_all()
        return found


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def history_json(client, world, lesson: int, student: int) -> list[dict]:
    response = client.get(f"/grading/history?lesson_id={world.lessons[lesson]}"
                          f"&student_id={world.students[student]}",
                          headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.get_json()["history"]


def grid(client, world) -> str:
    response = client.get(f"/journal/load/{world.ids['load']}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def flag_cell(page: str, world, lesson: int, student: int) -> str:
    """The html of the grading value or input in a grid cell."""
    name = re.escape(f"cell-grading-{world.lessons[lesson]}-{world.students[student]}-")
    found = re.search(rf'<input class="([^"]*)" name="{name}[^"]*"[^>]*>', page)
    if found:
        return found.group(0)
    row = page.split(f'<tr data-student="{world.students[student]}">')[1].split("</tr>")[0]
    found = row.split("<td")[lesson + 1]  # the student's header, then one <td> a lesson
    kinds = json.loads(html.unescape(re.search(r'data-kinds="([^"]*)"', page)[1]))
    # a read-only value names its plugin and title by number in the table's list (grid_html.py)
    return re.sub(r"data-k=(\d+)", lambda m: f'title="{kinds[int(m[1])][1]}"', found)


# --- end to end ----------------------------------------------------------------------------------


def test_a_parent_flags_a_mark_the_teacher_sees_it_keeps_it_and_the_parent_reads_the_answer(
        app, world):
    mark = mark_id(app, world, PAST, PETROV)
    parent = client_of(app, world, "parent")
    page = diary(parent, world, PETROV, PAST)
    assert f'href="/grading/marks/{mark}/flag">Сообщить об ошибке</a>' in page
    form = parent.get(f"/grading/marks/{mark}/flag")
    assert form.status_code == 200
    assert 'name="comment"' in form.get_data(as_text=True)
    sent = parent.post(f"/grading/marks/{mark}/flag", data={"comment": f"  {COMMENT}  "})
    assert sent.status_code == 302
    assert sent.headers["Location"].startswith(f"/diary/students/{world.students[PETROV]}")
    flag = flag_of(app, mark)
    assert (flag.status, flag.value, flag.comment, flag.flagged_by_id) == (
        "open", "3", COMMENT, world.users["parent"].id)
    page = diary(parent, world, PETROV, PAST)
    assert "ждёт ответа преподавателя" in page
    assert f"/grading/marks/{mark}/flag" not in page  # one open flag a mark

    teacher = client_of(app, world, "teacher")
    listed = teacher.get("/grading/flags").get_data(as_text=True)
    assert COMMENT.replace("«", "&#171;") in listed or "отвечал у доски" in listed
    assert f"/grading/flags/{flag.id}" in listed and "родитель" in listed
    assert "Обращения по оценкам" in teacher.get("/").get_data(as_text=True)  # the home widget
    marked = flag_cell(grid(teacher, world), world, PAST, PETROV)
    assert "cell-flagged" in marked and "ждёт ответа" in marked
    assert COMMENT not in marked  # the comment is read on the flags' page, audited

    answer = teacher.get(f"/grading/flags/{flag.id}").get_data(as_text=True)
    assert 'name="answer"' in answer and "отвечал у доски" in answer
    kept = teacher.post(f"/grading/flags/{flag.id}", data={
        "answer": "kept", "comment": "Ответ был неполным: разберём на консультации."})
    assert kept.status_code == 302
    flag = flag_of(app, mark)
    assert (flag.status, flag.answered_by_id) == ("kept", world.users["teacher"].id)
    assert "cell-flagged" not in flag_cell(grid(teacher, world), world, PAST, PETROV)

    page = diary(parent, world, PETROV, PAST)
    assert "Преподаватель оставил оценку «3»: Ответ был неполным" in page.replace("&#171;", "«") \
        .replace("&#187;", "»")
    assert f"/grading/marks/{mark}/flag" in page  # may flag again once answered
    rows = history_json(teacher, world, PAST, PETROV)
    assert [r.get("kind", "change") for r in rows] == ["change", "flag", "flag_answer"]
    assert rows[1]["who"] == "Петрова Е. В." and COMMENT in rows[1]["reason"]
    assert "оставил оценку" in rows[2]["reason"] and rows[2]["who"] == "Васильев П. А."
    actions = audit_actions(app)
    assert {"grade.flag.raise", "grade.flag.keep", "grade.flag.read"} <= set(actions)
    assert actions.index("grade.flag.raise") < actions.index("grade.flag.keep")


def test_a_student_flags_the_teacher_corrects_past_the_window_and_the_correction_waits(
        app, world):
    mark = mark_id(app, world, PAST, PETROV)
    student = client_of(app, world, "student_user")
    assert student.post(f"/grading/marks/{mark}/flag",
                        data={"comment": "Я сдавал работу повторно"}).status_code == 302
    flag = flag_of(app, mark)
    teacher = client_of(app, world, "teacher")
    page = teacher.get(f"/grading/flags/{flag.id}").get_data(as_text=True)
    assert "обучающийся" in page and 'value="3"' in page  # the cell's value to correct
    answered = teacher.post(f"/grading/flags/{flag.id}", data={
        "answer": "corrected", "new_value": "4", "comment": "Работа пересдана 12.03"})
    assert answered.status_code == 302
    flag = flag_of(app, mark)
    with app.app_context():
        correction = db.session.get(Correction, flag.correction_id)
        assert (correction.status, correction.old_value, correction.new_value,
                correction.reason) == ("pending", "3", "4", "Работа пересдана 12.03")
        assert db.session.get(Mark, mark).value == "3"  # BTT: a second person approves
    assert flag.status == "corrected"
    page = diary(student, world, PETROV, PAST)
    assert "исправление ждёт утверждения" in page

    deputy = client_of(app, world, "deputy")
    assert deputy.post(f"/grading/corrections/{flag.correction_id}/decide",
                       data={"decision": "approve"}).status_code == 302
    with app.app_context():
        assert db.session.get(Mark, mark).value == "4"
        change = db.session.scalars(select(History).where(History.mark_id == mark)
                                    .order_by(History.id.desc())).first()
        assert (change.old_value, change.new_value, change.reason, change.approved_by_id) == (
            "3", "4", "Работа пересдана 12.03", world.users["deputy"].id)
    page = diary(student, world, PETROV, PAST).replace("&#171;", "«").replace("&#187;", "»")
    assert "Оценка исправлена: «3» → «4». Причина: Работа пересдана 12.03" in page
    rows = history_json(teacher, world, PAST, PETROV)
    assert [(r.get("kind", "change"), r["old"], r["new"]) for r in rows] == [
        ("change", "", "3"), ("flag", "3", "3"), ("flag_answer", "3", "3"), ("change", "3", "4")]
    assert rows[-1]["approved_by"] == "Лебедева О. С."
    actions = audit_actions(app)
    for action in ("grade.flag.raise", "grade.correction.file", "grade.flag.correct",
                   "grade.correction.approved", "grade.correction.apply"):
        assert action in actions, action


def test_inside_the_edit_window_a_correction_in_answer_applies_at_once(app, world):
    mark = mark_id(app, world, TODAY, PETROV)
    assert client_of(app, world, "parent").post(
        f"/grading/marks/{mark}/flag", data={"comment": COMMENT}).status_code == 302
    flag = flag_of(app, mark)
    teacher = client_of(app, world, "teacher")
    response = teacher.post(f"/grading/flags/{flag.id}", data={
        "answer": "corrected", "new_value": "5", "comment": "Ошибка при вводе"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Mark, mark).value == "5"
        correction = db.session.get(Correction, flag_of(app, mark).correction_id)
        assert (correction.status, correction.decided_by_id) == (
            "approved", world.users["teacher"].id)
    page = diary(client_of(app, world, "parent"), world, PETROV, TODAY)
    assert "Оценка исправлена" in page and "ждёт утверждения" not in page


# --- refusals --------------------------------------------------------------------------------------


def test_forged_and_foreign_marks_are_404_and_nothing_is_saved(app, world):
    petrov = mark_id(app, world, PAST, PETROV)
    kuznetsov = mark_id(app, world, TODAY, KUZNETSOV)
    for who, target in (("kuznetsov_parent", petrov), ("student_user", kuznetsov),
                        ("parent", kuznetsov), ("parent", 999999), ("teacher", petrov),
                        ("admin", petrov)):
        client = client_of(app, world, who)
        assert client.get(f"/grading/marks/{target}/flag").status_code == 404, who
        assert client.post(f"/grading/marks/{target}/flag",
                           data={"comment": COMMENT}).status_code == 404, who
    save_on_the_day(app, world, services.save_cells, "teacher", [  # a removed mark
        {**cell(world, TODAY, KUZNETSOV, ""), "version": 1}])
    assert client_of(app, world, "kuznetsov_parent").post(
        f"/grading/marks/{kuznetsov}/flag", data={"comment": COMMENT}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MarkFlag)) == 0


def test_only_the_family_the_journals_writers_and_the_administration_read_a_flag(app, world):
    mark = mark_id(app, world, PAST, PETROV)
    client_of(app, world, "parent").post(f"/grading/marks/{mark}/flag", data={"comment": COMMENT})
    flag = flag_of(app, mark)
    other = client_of(app, world, "other")  # teaches another group
    assert other.get(f"/grading/flags/{flag.id}").status_code == 404
    assert other.post(f"/grading/flags/{flag.id}", data={
        "answer": "kept", "comment": "нет"}).status_code == 404
    assert "отвечал у доски" not in other.get("/grading/flags").get_data(as_text=True)
    for who in ("kuznetsov_parent", "student_user"):
        assert client_of(app, world, who).get("/grading/flags").status_code == 404
        assert client_of(app, world, who).get(f"/grading/flags/{flag.id}").status_code == 404
    deputy = client_of(app, world, "deputy")  # reads every journal's flags, answers none
    page = deputy.get(f"/grading/flags/{flag.id}")
    assert page.status_code == 200 and 'name="answer"' not in page.get_data(as_text=True)
    assert deputy.post(f"/grading/flags/{flag.id}", data={
        "answer": "kept", "comment": "нет"}).status_code == 404
    assert "отвечал у доски" in deputy.get("/grading/flags").get_data(as_text=True)
    with app.app_context():
        readers = set(db.session.scalars(select(AuditEntry.actor_id).where(
            AuditEntry.action == "grade.flag.read")))
    assert readers == {world.users["deputy"].id}
    # the history popover shows flags to their readers only (the curator sees none: not here)
    assert [r.get("kind") for r in history_json(deputy, world, PAST, PETROV)] == [None, "flag"]


def test_a_second_open_flag_of_a_mark_is_refused_and_an_answered_one_allows_a_new(app, world):
    mark = mark_id(app, world, PAST, PETROV)
    assert client_of(app, world, "parent").post(
        f"/grading/marks/{mark}/flag", data={"comment": COMMENT}).status_code == 302
    again = client_of(app, world, "student_user").post(
        f"/grading/marks/{mark}/flag", data={"comment": "И я тоже"})
    assert again.status_code == 409
    assert "Об этой оценке уже сообщено: дождитесь ответа преподавателя" in again.get_data(
        as_text=True)
    teacher = client_of(app, world, "teacher")
    flag = flag_of(app, mark)
    teacher.post(f"/grading/flags/{flag.id}", data={"answer": "kept", "comment": "Верно"})
    twice = teacher.post(f"/grading/flags/{flag.id}", data={"answer": "kept", "comment": "Ещё"})
    assert twice.status_code == 409
    assert client_of(app, world, "student_user").post(
        f"/grading/marks/{mark}/flag", data={"comment": "Не согласен"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(MarkFlag.status).where(MarkFlag.mark_id == mark)
                                  .order_by(MarkFlag.id)).all() == ["kept", "open"]


def test_a_flag_raised_by_another_at_the_same_moment_is_409_and_the_database_keeps_one(
        app, world, monkeypatch):
    mark = mark_id(app, world, PAST, PETROV)
    with app.test_request_context():
        check = flags.open_flag_of

        def checked_then_overtaken(found_mark: int):
            found = check(found_mark)
            monkeypatch.setattr(flags, "open_flag_of", check)
            db.session.connection().execute(MarkFlag.__table__.insert().values(
                mark_id=found_mark, value="3", flagged_by_id=world.users["student_user"].id,
                comment="Раньше", created_at=noon(world.dates[TODAY]), status="open"))
            return found

        monkeypatch.setattr(flags, "open_flag_of", checked_then_overtaken)
        parent = db.session.get(User, world.users["parent"].id)
        with pytest.raises(DomainError) as refused:
            flags.raise_flag(parent, mark, COMMENT)
        assert refused.value.status == 409
        assert db.session.scalars(select(MarkFlag.comment)).all() == ["Раньше"]
        db.session.add(MarkFlag(mark_id=mark, value="3", flagged_by_id=parent.id,
                                comment="Вторая", status="open"))
        with pytest.raises(IntegrityError):  # the index itself, whatever writes the row
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(("data", "message"), [
    ({"comment": ""}, "Напишите, что не так с оценкой"),
    ({"comment": "   "}, "Напишите, что не так с оценкой"),
    ({"comment": "а" * 1001}, "Не больше 1000 символов"),
])
def test_a_flag_without_a_fitting_comment_is_refused_in_russian(app, world, data, message):
    mark = mark_id(app, world, PAST, PETROV)
    response = client_of(app, world, "parent").post(f"/grading/marks/{mark}/flag", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MarkFlag)) == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"answer": "kept", "comment": ""}, "Напишите комментарий или причину исправления"),
    ({"answer": "", "comment": "Верно"}, "Выберите ответ"),
    ({"answer": "delete", "comment": "Верно"}, "Неверный вариант"),
    ({"answer": "corrected", "new_value": "7", "comment": "Ошибка"}, "«7»"),
    ({"answer": "corrected", "new_value": "3", "comment": "Ошибка"},
     "Новое значение совпадает с текущим"),
    ({"answer": "kept", "comment": "б" * 1001}, "Не больше 1000 символов"),
])
def test_an_answer_that_does_not_fit_is_refused_in_russian_and_the_flag_stays_open(
        app, world, data, message):
    mark = mark_id(app, world, PAST, PETROV)
    client_of(app, world, "parent").post(f"/grading/marks/{mark}/flag", data={"comment": COMMENT})
    flag = flag_of(app, mark)
    response = client_of(app, world, "teacher").post(f"/grading/flags/{flag.id}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#171;", "«").replace(
        "&#187;", "»")
    assert flag_of(app, mark).status == "open"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Correction)) == 0


def test_the_flag_form_needs_its_csrf_token(make_app, tmp_path):
    guarded = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'csrf.sqlite3'}",
                       WTF_CSRF_ENABLED=True)
    migrate.upgrade(guarded)
    made = build(guarded, prefix="cs")
    save_on_the_day(guarded, made, services.save_cells, "teacher", [cell(made, PAST, PETROV, "3")])
    mark = mark_id(guarded, made, PAST, PETROV)
    client = guarded.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"login": made.users["student_user"].login,
                                     "password": PASSWORD, "csrf_token": token})
    assert client.post(f"/grading/marks/{mark}/flag", data={"comment": COMMENT}).status_code \
        == 400
    form = client.get(f"/grading/marks/{mark}/flag").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    assert client.post(f"/grading/marks/{mark}/flag", data={
        "comment": COMMENT, "csrf_token": token}).status_code == 302


# --- the grid and the policy ---------------------------------------------------------------------


def test_flags_do_not_add_queries_to_the_grid(app, world):
    def queries() -> int:
        with app.test_request_context():
            from plugins.journal.grid import grid_data

            teacher = db.session.get(User, world.users["teacher"].id)
            with count_queries(app) as counter:
                grid_data(journal.get_load(world.ids["load"]), teacher)
            return counter.count

    before = queries()
    for lesson, student in ((PAST, PETROV), (TODAY, PETROV), (TODAY, KUZNETSOV)):
        who = "kuznetsov_parent" if student == KUZNETSOV else "parent"
        client_of(app, world, who).post(f"/grading/marks/{mark_id(app, world, lesson, student)}"
                                        "/flag", data={"comment": COMMENT})
    assert queries() == before


def test_ktis_families_do_not_flag_marks(make_app, tmp_path):
    ktis = make_app(POLICY="ktis", DATABASE_URL=f"sqlite:///{tmp_path / 'ktis.sqlite3'}")
    migrate.upgrade(ktis)
    made = build(ktis, prefix="kt")
    save_on_the_day(ktis, made, services.save_cells, "teacher", [cell(made, PAST, PETROV, "3")])
    mark = mark_id(ktis, made, PAST, PETROV)
    student = client_of(ktis, made, "student_user")
    assert "Сообщить об ошибке" not in diary(student, made, PETROV, PAST)
    assert student.post(f"/grading/marks/{mark}/flag", data={"comment": COMMENT}).status_code \
        == 404
    assert "Обращения по оценкам" not in client_of(ktis, made, "teacher").get("/").get_data(
        as_text=True)


@pytest.mark.committing
def test_two_of_a_family_flagging_a_mark_at_the_same_instant_get_one_flag(committed_app):
    """On two real connections (PostgreSQL in CI), released together: of a student and a parent
    flagging the same mark, one flag is saved and the other answered 409, never a 500, however
    the two requests interleave (the test above forces the interleaving the index catches)."""
    from tests.concurrency import race

    world = build(committed_app, prefix="mfr")
    add_parent(committed_app, world, "parent", PETROV)
    rounds = range(6)
    save_on_the_day(committed_app, world, services.save_cells, "teacher",
                    [cell(world, lesson, PETROV, "3") for lesson in rounds])
    marks = [mark_id(committed_app, world, lesson, PETROV) for lesson in rounds]

    def writer(who: str):
        client = client_of(committed_app, world, who)
        return lambda number: client.post(f"/grading/marks/{marks[number]}/flag",
                                          data={"comment": f"{who}: {COMMENT}"}).status_code

    answers = race(len(marks), [writer("parent"), writer("student_user")])
    assert [sorted(pair) for pair in zip(*answers, strict=True)] == [[302, 409]] * len(marks)
    with committed_app.app_context():
        assert sorted(db.session.scalars(select(MarkFlag.mark_id))) == sorted(marks)
