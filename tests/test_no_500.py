"""No page answers bad input with a 500: every route, every method, odd values, several roles."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from core.people.roles import Role

ODD_VALUES = {"int": ["999999", "1"], "default": ["нет-такого", "1", "'; DROP TABLE x; --"]}
GARBAGE_FORM = {
    "value": "<script>alert(1)</script>", "login": "'", "password": "", "date": "31.02.2026",
    "from": "abc", "to": "", "group_id": "x", "student_id": "-1", "csrf_token": "bad", "file": "",
}
GARBAGE_JSON = {"cells": [{"lesson_id": "x", "student_id": None, "value": 6, "version": "v"}]}
SKIP_ENDPOINTS = {"static"}


def _urls(rule: Rule) -> list[str]:
    if not rule.arguments:
        return [rule.rule]
    urls = []
    converters = {name: type(conv).__name__ for name, conv in rule._converters.items()}
    for i in range(2):
        values = {}
        for name in rule.arguments:
            kind = "int" if converters.get(name) == "IntegerConverter" else "default"
            options = ODD_VALUES[kind]
            values[name] = options[i % len(options)]
        try:
            urls.append(rule.build(values, append_unknown=False)[1])
        except Exception:  # a converter refused the value: nothing to request
            continue
    return urls


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or rule.endpoint.startswith("static"):
            continue
        for url in _urls(rule):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url


@pytest.mark.parametrize("role", [None, Role.ADMIN, Role.TEACHER, Role.CURATOR, Role.PARENT,
                                  Role.STUDENT, Role.DIRECTOR])
def test_no_route_answers_500(app, make_user, role):
    client = app.test_client()
    if role is not None:
        user = make_user(f"smoke-{role}", roles=[role])
        assert client.post("/auth/login", data={"login": user.login,
                                                 "password": "secret-pass-1"}).status_code == 302
    failures = []
    for endpoint, method, url in _routes(app):
        if endpoint == "auth.logout":
            continue
        if method == "GET":
            responses = [client.get(url)]
        else:
            responses = [client.open(url, method=method, data=GARBAGE_FORM),
                         client.open(url, method=method, json=GARBAGE_JSON)]
        for response in responses:
            if response.status_code >= 500:
                failures.append(f"{method} {url} ({endpoint}) -> {response.status_code}")
    assert not failures, "\n".join(failures)
