"""A write that lost to a concurrent one is a conflict (409), wherever it surfaces; any other
database error stays a bug (500)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.database import is_write_conflict


def _integrity(message: str, name: str) -> IntegrityError:
    original = sqlite3.IntegrityError(message)
    original.sqlite_errorname = name
    return IntegrityError("INSERT ...", {}, original)


class _PgError(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_a_stale_version_a_taken_unique_key_or_a_deadlock_is_a_write_conflict():
    assert is_write_conflict(StaleDataError("expected to update 1 row(s); 0 were matched"))
    assert is_write_conflict(_integrity("UNIQUE constraint failed: grading_mark.lesson_id",
                                        "SQLITE_CONSTRAINT_UNIQUE"))
    assert is_write_conflict(_integrity("UNIQUE constraint failed: attendance_taken.lesson_id",
                                        "SQLITE_CONSTRAINT_PRIMARYKEY"))
    for sqlstate in ("23505", "40001", "40P01"):
        assert is_write_conflict(IntegrityError("UPDATE ...", {}, _PgError(sqlstate)))


def test_other_integrity_errors_are_not_conflicts():
    assert not is_write_conflict(_integrity("FOREIGN KEY constraint failed",
                                            "SQLITE_CONSTRAINT_FOREIGNKEY"))
    assert not is_write_conflict(IntegrityError("INSERT ...", {}, _PgError("23503")))
    assert not is_write_conflict(ValueError("no"))


def test_a_write_conflict_no_service_caught_is_answered_409_not_500(make_app):
    app = make_app()

    @app.get("/stale")
    def stale():
        raise StaleDataError("expected to update 1 row(s); 0 were matched")

    @app.get("/broken")
    def broken():
        raise _integrity("NOT NULL constraint failed: grading_mark.value",
                         "SQLITE_CONSTRAINT_NOTNULL")

    client = app.test_client()
    answered = client.get("/stale", headers={"Accept": "application/json"})
    assert answered.status_code == 409
    assert "другой пользователь" in answered.get_json()["message"]
    assert client.get("/broken").status_code == 500
