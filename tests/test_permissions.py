"""Roles' rights to actions: declared once (``permissions`` hook), asked through ``can``.

Every declared action is asked somewhere, every action asked is declared, ``can`` answers per
role exactly as declared, and an action nobody declared fails loudly instead of answering no.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from core.people import permissions
from core.people.access import permission_required
from core.people.models import RoleAssignment, User
from core.people.permissions import DuplicateAction, UndeclaredAction, can
from core.people.roles import ROLE_SCOPE, Role
from core.plugins.types import Permission
from tests.fixtures import ROOT

#: where actions are asked: the application's code and templates, not its tests
SOURCES = [path for pattern in ("core/**/*.py", "plugins/**/*.py", "core/**/*.html",
                                "plugins/**/*.html", "templates/**/*.html")
           for path in ROOT.glob(pattern) if "tests" not in path.relative_to(ROOT).parts]
#: an action asked by name: ``can(user, "x.y")`` or ``@permission_required("x.y")``
ASKED = re.compile(r"""(?:\bcan\([^,()]+,\s*|permission_required\()["']([a-z_.]+)["']""")
DECLARED = re.compile(r"""Permission\(\s*["']([a-z_.]+)["']""")


def _source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)


def _holder(role: Role) -> User:
    user = User(id=1, login="r", last_name="Р", first_name="Р", active=True)
    user.roles = [RoleAssignment(role=role, scope_kind=ROLE_SCOPE[role])]
    return user


@pytest.fixture
def declared(plugin_app) -> dict[str, Permission]:
    with plugin_app.test_request_context():
        yield permissions.declared()


def test_the_core_and_the_plugins_declare_their_actions(declared):
    owners = {action.split(".")[0] for action in declared}
    assert {"admin", "people", "journal", "grading", "attendance", "substitutions",
            "notify_email", "notify_sms", "testplugin"} <= owners
    assert all(permission.title for permission in declared.values())


def test_every_declared_action_is_asked_somewhere(declared):
    # the declarations themselves do not count as asking
    source = DECLARED.sub("Permission(", _source())
    unasked = sorted(action for action in declared if action != "testplugin.note"
                     and f'"{action}"' not in source)
    assert unasked == [], f"declared but never asked: {unasked}"


def test_every_action_asked_by_name_is_declared(declared):
    asked = set(ASKED.findall(_source()))
    assert len(asked) >= 20
    assert sorted(asked - set(declared)) == []


def test_can_answers_per_role_as_declared(declared):
    for action, permission in declared.items():
        for role in Role:
            assert can(_holder(role), action) is (role in permission.roles), (action, role)


def test_an_anonymous_user_may_do_nothing(declared):
    anonymous = AnonymousUserMixin()
    assert not any(can(anonymous, action) for action in declared)


def test_the_test_plugins_permission_is_asked_like_any_other(declared):
    assert can(_holder(Role.TEACHER), "testplugin.note") is True
    assert can(_holder(Role.PARENT), "testplugin.note") is False


def test_an_undeclared_action_fails_loudly(declared):
    with pytest.raises(UndeclaredAction, match="journal.veiw"):
        can(_holder(Role.ADMIN), "journal.veiw")


def test_a_page_guarded_by_an_undeclared_action_fails_loudly(plugin_app):
    view = permission_required("nobody.declares.this")(lambda: "opened")
    with plugin_app.test_request_context():
        from flask_login import login_user

        login_user(_holder(Role.ADMIN))
        with pytest.raises(UndeclaredAction):
            view()


def test_an_action_declared_twice_stops_the_collection(plugin_app, monkeypatch):
    twice = [[Permission("journal.view", frozenset({"teacher"}), "a")],
             [Permission("journal.view", frozenset({"admin"}), "b")]]
    fake = SimpleNamespace(permissions=lambda: twice)
    with plugin_app.app_context():
        monkeypatch.setattr(permissions, "hook", lambda: fake)
        plugin_app.extensions.pop("ejournal.permissions")
        with pytest.raises(DuplicateAction, match="journal.view"):
            permissions.declared()


def test_the_policy_page_lists_the_rights_of_roles_read_only(client, login, make_user):
    login(make_user("rights.director", roles=[Role.DIRECTOR]))
    page = client.get("/admin/policy").get_data(as_text=True)
    assert "Права ролей" in page
    assert "<code>journal.correction.decide</code>" in page
    assert "Утверждать и отклонять исправления оценок и посещаемости" in page
    assert "Администратор ЭЖ, Заместитель директора" in page
