"""Every audit action code the tree records has a Russian label (read from the source by
``tests/audit_codes.py``: a new ``audit.record("x.y")`` without a label fails here), and the
audit log shows labels and labelled details, not codes and JSON (issue #23, item 6)."""

from __future__ import annotations

import re

import pytest

from core import audit, audit_labels
from core.extensions import db
from core.people.roles import Role
from core.plugins import hook
from core.plugins.types import AuditLabels
from tests.audit_codes import audit_codes


def test_hook_audit_labels(app):
    with app.app_context():
        answers = hook().audit_labels()
        assert answers and all(isinstance(labels, AuditLabels) for labels in answers)
        merged = audit_labels.merged()
        assert str(merged.actions["auth.login"]) == "Вход в систему"
        assert str(merged.actions["grade.final"]) == "Итоговая оценка"
        assert audit_labels.action_label("no.such.code") == "no.such.code"


def test_the_source_scan_finds_codes_of_every_shape():
    found = {code.text for code in audit_codes()}
    assert {"auth.login", "audit.anchor", "policy.override", "archive.frozen",
            "forum.topic.pin", "grade.correction.file"} <= found  # literal, constant, passed on
    assert r"planning\.plan\.[a-z_]+" in found  # an f-string: a pattern


def test_every_audited_code_has_a_russian_label(app):
    with app.app_context():
        labels = {code: str(label) for code, label in audit_labels.merged().actions.items()}
    missing = [f"{code.text} ({code.where})" for code in audit_codes()
               if not code.pattern and code.text not in labels]
    assert not missing, "audit codes without a label (audit_labels hook): " + ", ".join(missing)
    unmatched = [f"{code.text} ({code.where})" for code in audit_codes() if code.pattern
                 and not any(re.fullmatch(code.text, known) for known in labels)]
    assert not unmatched, "audit codes built at run time no label matches: " + ", ".join(
        unmatched)
    assert all(re.search("[а-яё]", label, re.I) for label in labels.values())


@pytest.mark.parametrize(("pattern", "values"), [
    ("people.student.{}", "core.people.movement:STATUS_AFTER"),
    ("planning.plan.{}", "plugins.planning.models:STATES"),
])
def test_every_value_of_a_code_built_at_run_time_has_a_label(app, pattern, values):
    import importlib

    module, name = values.split(":")
    with app.app_context():
        labels = audit_labels.merged().actions
        for value in getattr(importlib.import_module(module), name):
            assert pattern.format(value) in labels, pattern.format(value)
        for status in ("approved", "rejected"):
            assert f"grade.correction.{status}" in labels
            assert f"attendance.correction.{status}" in labels


def test_details_read_as_labelled_values(app):
    with app.test_request_context():
        shown = audit_labels.details({"status": "pending", "group_id": 4, "email": False,
                                      "starts_at": "2026-12-05T08:00:00+00:00",
                                      "start": "2026-11-13", "role": "deputy"})
        assert [(d.label, d.text) for d in shown] == [
            ("Статус", "ожидает"), ("Группа (№)", "4"), ("Письмо", "нет"),
            ("Начало", "05.12.2026 11:00"), ("С", "13.11.2026"),
            ("Роль", "Заместитель директора")]
        assert audit_labels.details(None) == []
        assert audit_labels.target_label("Student", "12") == "Обучающийся № 12"


def test_audit_page_shows_labels_not_codes_and_json(app, client, login, make_user):
    admin = make_user("labels.admin", [Role.ADMIN])
    with app.app_context():
        audit.record("attendance.reason.decide", ("Excuse", 3),
                     after={"status": "accepted", "comment": "Справка", "lessons": 2})
        db.session.commit()
    login(admin)
    text = client.get("/admin/audit?action=attendance.reason.decide").get_data(as_text=True)
    assert "Решение по сообщению родителя" in text
    assert "Статус:</span> принято" in text and "Занятий:</span> 2" in text
    assert '{"status"' not in text and "&#34;status&#34;" not in text


def test_a_page_with_times_names_the_college_clock_once(app, client, login, make_user):
    admin = make_user("zone.admin", [Role.ADMIN])
    with app.app_context():
        audit.record("auth.login", ("User", 1))
        db.session.commit()
    login(admin)
    audit_page = client.get("/admin/audit").get_data(as_text=True)  # names it in its header
    assert audit_page.count("UTC+03:00") == 1
    assert "college-zone-note" not in audit_page
    delivery = client.get("/admin/delivery").get_data(as_text=True)
    assert "college-zone-note" not in delivery  # no message, no time shown


def test_base_names_the_clock_of_a_page_that_did_not(app):
    from datetime import UTC, datetime

    from flask import render_template_string

    page = ('{% extends "base.html" %}{% block content %}{{ at|localtime }}'
            '{% if label %} ({{ college_zone_label() }}){% endif %}{% endblock %}')
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    with app.test_request_context():
        shown = render_template_string(page, at=at, label=False)
    assert "02.12.2026 12:00" in shown
    assert "Время указано по часам колледжа (UTC+03:00)." in shown
    with app.test_request_context():
        shown = render_template_string(page, at=at, label=True)
    assert shown.count("UTC+03:00") == 1
