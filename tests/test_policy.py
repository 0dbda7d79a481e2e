"""Policy presets: validation at start-up, values, any-deny-wins, audited overrides."""

from __future__ import annotations

import re
import tomllib

import pytest
from sqlalchemy import select

from core import create_app, migrate, policy
from core.audit import AuditEntry
from core.errors import StartupError
from core.extensions import db
from core.people.roles import Role
from core.policy import PRESETS_DIR, Decision
from tests.fixtures import ROOT, signed_in, user_maker


def preset_file(tmp_path, edit) -> str:
    text = (PRESETS_DIR / "btt.toml").read_text(encoding="utf-8")
    path = tmp_path / "college.toml"
    path.write_text(edit(text), encoding="utf-8")
    return str(path)


#: keys no regulation sets: the product's default holds unless a college overrides it
NOT_IN_THE_REGULATIONS = {"grading.weights"}


@pytest.mark.parametrize("name", ["btt", "ktis"])
def test_each_preset_states_every_rule_of_requirements_section_4(make_app, name):
    data = tomllib.loads((PRESETS_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    stated = {f"{section}.{key}" for section, table in data.items() if section != "preset"
              for key in table}
    keys = set(make_app(POLICY=name).extensions["ejournal.policy"].keys)
    missing = keys - NOT_IN_THE_REGULATIONS - stated
    assert not missing, f"{name}.toml leaves to defaults: {sorted(missing)}"


def test_the_presets_differ_where_the_regulations_differ(make_app):
    btt, ktis = make_app(POLICY="btt"), make_app(POLICY="ktis")
    with btt.test_request_context():
        assert policy.policy_value("people.students_may_change_password") is False
        assert policy.policy_value("grades.min_marks")[0] == {"hours_from": 1, "count": 3}
        assert policy.policy_value("people.curator_title") == "классный руководитель"
    with ktis.test_request_context():
        assert policy.policy_value("people.students_may_change_password") is True
        assert policy.policy_value("notify.period_report_sms") is True
        assert policy.policy_value("people.contact_editor") == "administrator"


def _rule_sources() -> str:
    """The code that enforces rules: every module and template but the tests and the policy
    machinery itself (its schema and docstrings name keys without reading them)."""
    files = [path for pattern in ("core/**/*.py", "plugins/**/*.py", "core/**/*.html",
                                  "plugins/**/*.html", "templates/**/*.html")
             for path in ROOT.glob(pattern)
             if "tests" not in path.relative_to(ROOT).parts
             and path.relative_to(ROOT).parts[:2] != ("core", "policy")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_policy_key_is_read_by_the_code_that_enforces_it(app):
    """A key shown on the policy page is a rule in force: some code outside the schema and the
    presets reads it (``policy_value("key")`` or a rule's ``policy["key"]``)."""
    sources = _rule_sources()
    keys = app.extensions["ejournal.policy"].keys
    unread = [key for key in keys if not re.search(
        rf"""policy(?:_value\(|\[|\.get\()\s*["']{re.escape(key)}["']""", sources)]
    assert not unread, f"policy keys nobody reads: {unread}"


def test_the_rules_of_plugins_not_yet_built_are_neither_keys_nor_shown(make_app, tmp_path):
    """A preset may keep a regulation's rules for a plugin still to come (``planned``): they are
    not keys of the policy, not checked and not shown."""
    path = preset_file(tmp_path, lambda t: t.replace('planned = []', 'planned = ["future"]')
                       + '\n[future]\nrule_to_come = "many"\n')
    # a file of its own: the administrator it signs in is committed
    app = make_app(POLICY=path, DATABASE_URL=f"sqlite:///{tmp_path / 'planned.sqlite3'}")
    migrate.upgrade(app)
    keys = set(app.extensions["ejournal.policy"].keys)
    assert not {k for k in keys if k.split(".")[0] == "future"}
    assert not keys & {"journal.backdating_allowed", "reports.progress_periods",
                       "reports.activity_report"}
    admin = user_maker(app)("planned-admin", [Role.ADMIN])
    page = signed_in(app, admin).get("/admin/policy").get_data(as_text=True)
    assert "future." not in page and "rule_to_come" not in page


def test_a_section_not_marked_planned_and_declared_by_no_plugin_stops_start_up(app_config,
                                                                              tmp_path):
    path = preset_file(tmp_path, lambda t: t + '\n[future]\nrule_to_come = "many"\n')
    with pytest.raises(StartupError, match="неизвестный ключ «future.rule_to_come»"):
        create_app({**app_config, "POLICY": path})


def test_a_planned_section_is_checked_once_a_plugin_declares_it(app_config, tmp_path):
    path = preset_file(tmp_path, lambda t: t.replace(
        'planned = []', 'planned = ["testplugin"]')
        + '\n[testplugin]\nmax_notes = "many"\n')
    with pytest.raises(StartupError, match="testplugin.max_notes»: ожидается целое число"):
        create_app({**app_config, "POLICY": path, "PLUGINS": ["testplugin"],
                    "EXTRA_PLUGINS": {"testplugin": "tests.testplugin"}})


def test_keys_of_disabled_plugins_in_shared_sections_do_not_stop_start_up(make_app):
    """``notify.*`` is shared by the core and two plugins: with the plugins off, the preset's
    values for them are ignored, not taken for typos."""
    app = make_app(PLUGINS=["journal"])
    keys = app.extensions["ejournal.policy"].keys
    assert "notify.channels" in keys and "journal.edit_grace_days" in keys
    assert not {"notify.sms_new_marks", "notify.digest_weekday", "grades.min_marks"} & set(keys)


def test_an_unknown_key_stops_start_up_naming_file_and_key(app_config, tmp_path):
    path = preset_file(tmp_path, lambda t: t.replace("[journal]\n", "[journal]\nedit_grase_days = 1\n"))
    with pytest.raises(StartupError) as error:
        create_app({**app_config, "POLICY": path})
    assert str(error.value) == f"{path}: неизвестный ключ «journal.edit_grase_days»"


def test_an_unknown_section_stops_start_up(app_config, tmp_path):
    path = preset_file(tmp_path, lambda t: t + "\n[gradebook]\nx = 1\n")
    with pytest.raises(StartupError, match="неизвестный ключ «gradebook.x»"):
        create_app({**app_config, "POLICY": path})


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("edit_grace_days = 0", 'edit_grace_days = "0"', "journal.edit_grace_days»: ожидается целое число"),
    ("lock_after_finals = true", "lock_after_finals = 1", "grades.lock_after_finals»: ожидается true или false"),
    ('contact_editor = "curator"', 'contact_editor = "teacher"',
     "people.contact_editor»: допустимые значения: curator, administrator"),
    ('channels = ["sms", "email"]', 'channels = "sms"', "notify.channels»: ожидается список строк"),
    ("{ hours_from = 2, count = 5 }", "{ hours_from = 2, cnt = 5 }", "grades.min_marks»: ожидается список таблиц"),
    ("{ hours_from = 2, count = 5 }", "{ hours_from = 0, count = 5 }", "пороги hours_from должны возрастать"),
])
def test_a_wrong_type_stops_start_up_naming_file_and_key(app_config, tmp_path, old, new, expected):
    path = preset_file(tmp_path, lambda t: t.replace(old, new))
    with pytest.raises(StartupError) as error:
        create_app({**app_config, "POLICY": path})
    assert str(error.value).startswith(f"{path}: ключ «")
    assert expected in str(error.value)


def test_a_missing_preset_and_broken_toml_are_named(app_config, tmp_path):
    with pytest.raises(StartupError, match="файл пресета политики не найден .*есть: btt, ktis"):
        create_app({**app_config, "POLICY": "nosuch"})
    broken = tmp_path / "broken.toml"
    broken.write_text("[preset\n", encoding="utf-8")
    with pytest.raises(StartupError, match="broken.toml: ошибка TOML"):
        create_app({**app_config, "POLICY": str(broken)})


def test_sections_of_installed_but_disabled_plugins_are_not_checked(app_config, tmp_path):
    path = preset_file(tmp_path, lambda t: t + "\n[testplugin]\nmax_notes = 5\n")
    app = create_app({**app_config, "POLICY": path, "PLUGINS": [],
                      "EXTRA_PLUGINS": {"testplugin": "tests.testplugin"}})
    assert app.extensions["ejournal.policy"].preset.values.get("testplugin.max_notes") is None


def test_an_enabled_plugins_keys_are_checked_too(app_config, tmp_path):
    path = preset_file(tmp_path, lambda t: t + '\n[testplugin]\nmax_notes = "many"\n')
    with pytest.raises(StartupError, match="testplugin.max_notes»: ожидается целое число"):
        create_app({**app_config, "POLICY": path, "PLUGINS": ["testplugin"],
                    "EXTRA_PLUGINS": {"testplugin": "tests.testplugin"}})


def test_any_deny_wins(plugin_app):
    """The test plugin allows a small note; the core refuses a parent the action: deny wins."""
    from core.people.models import RoleAssignment, User

    parent = User(id=3, login="p", last_name="П", first_name="П", active=True)
    parent.roles = [RoleAssignment(role=Role.PARENT, scope_kind="child")]
    teacher = User(id=4, login="t", last_name="Т", first_name="Т", active=True)
    teacher.roles = [RoleAssignment(role=Role.TEACHER, scope_kind="college")]
    with plugin_app.test_request_context():
        assert policy.check("testplugin.note", teacher, 1) == Decision.allow()
        decision = policy.check("testplugin.note", parent, 1)
        assert not decision.allowed and decision.status == 403
        assert decision.reason == "У вас нет прав на это действие."


def test_policy_page_shows_the_preset_its_plugins_and_every_value(client, make_user, login):
    admin = make_user("policy-admin", roles=[Role.ADMIN])
    login(admin)
    page = client.get("/admin/policy").get_data(as_text=True)
    assert "БТТ" in page
    for key in client.application.extensions["ejournal.policy"].keys:
        assert key in page


def test_policy_page_names_the_values_in_russian(client, make_user, login):
    admin = make_user("policy-reader", roles=[Role.ADMIN])
    login(admin)
    page = client.get("/admin/policy").get_data(as_text=True)
    row = page[page.index("grades.min_marks_required_kinds"):]
    row = row[:row.index("</tr>")]
    assert "письменная работа, контрольная работа, лабораторная работа, практическая работа" in row
    assert "written" not in row.split("</code>", 1)[1]
    channels = page[page.index("notify.channels"):]
    assert "SMS, электронная почта" in channels[:channels.index("</tr>")]


def test_an_override_is_audited_and_takes_effect(app, client, make_user, login):
    admin = make_user("override-admin", roles=[Role.ADMIN])
    login(admin)
    response = client.post("/admin/policy/journal.edit_grace_days", data={"value": "2"})
    assert response.status_code == 302
    with app.test_request_context():
        assert policy.policy_value("journal.edit_grace_days") == 2
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "policy.override")).one()
    assert (entry.actor_login, entry.before, entry.after) == ("override-admin", None, 2)
    assert entry.target_id == "policy.journal.edit_grace_days"
    assert "изменено администратором" in client.get("/admin/policy").get_data(as_text=True)

    client.post("/admin/policy/journal.edit_grace_days", data={"value": "0", "reset": "1"})
    with app.test_request_context():
        assert policy.policy_value("journal.edit_grace_days") == 0
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-1] == "policy.reset"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("journal.edit_grace_days", "два", "Неверное целое число."),
    ("grades.min_marks", "1: три", "пороги и количества должны быть целыми числами"),
    ("grades.min_marks", "2: 5, 1: 3", "пороги hours_from должны возрастать"),
    ("people.contact_editor", "teacher", "Неверный вариант."),
])
def test_a_bad_override_is_refused_with_a_message_and_nothing_saved(app, client, make_user, login,
                                                                     key, value, message):
    admin = make_user("bad-override-admin", roles=[Role.ADMIN])
    login(admin)
    response = client.post(f"/admin/policy/{key}", data={"value": value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.test_request_context():
        assert not db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "policy.override")).all()


def test_a_list_and_tier_override_round_trips(app, client, make_user, login):
    admin = make_user("tiers-admin", roles=[Role.ADMIN])
    login(admin)
    assert client.post("/admin/policy/grades.min_marks",
                       data={"value": "1: 2, 3: 4"}).status_code == 302
    with app.test_request_context():
        assert policy.policy_value("grades.min_marks") == [
            {"hours_from": 1, "count": 2}, {"hours_from": 3, "count": 4}]
    assert "1: 2, 3: 4" in client.get("/admin/policy/grades.min_marks").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.TEACHER, Role.PARENT])
def test_only_the_administrator_may_override(client, make_user, login, role):
    user = make_user(f"no-override-{role}", roles=[role])
    login(user)
    assert client.post("/admin/policy/journal.edit_grace_days", data={"value": "5"}).status_code == 404


def test_the_director_sees_the_policy_read_only(client, make_user, login):
    login(make_user("policy-director", roles=[Role.DIRECTOR]))
    page = client.get("/admin/policy")
    assert page.status_code == 200
    assert "/admin/policy/journal.edit_grace_days" not in page.get_data(as_text=True)


def test_hook_policy_rules_many(plugin_app):
    """``check_many`` asks a batch rule once for all targets and the one-target rules of the
    other plugins (here the core's rights) for each target the batch left allowed."""
    from core.people.models import RoleAssignment, User
    from tests.testplugin import plugin as testplugin

    parent = User(id=3, login="p", last_name="П", first_name="П", active=True)
    parent.roles = [RoleAssignment(role=Role.PARENT, scope_kind="child")]
    teacher = User(id=4, login="t", last_name="Т", first_name="Т", active=True)
    teacher.roles = [RoleAssignment(role=Role.TEACHER, scope_kind="college")]
    with plugin_app.test_request_context():
        testplugin.CALLS.clear()
        allowed, refused = policy.check_many("testplugin.note", teacher, [1, 10**6])
        assert testplugin.CALLS == [("policy_rules_many", 2)]
        assert allowed == Decision.allow() == policy.check("testplugin.note", teacher, 1)
        assert refused == Decision.deny("Слишком много заметок")
        assert refused == policy.check("testplugin.note", teacher, 10**6)
        assert [d.status for d in policy.check_many("testplugin.note", parent, [1, 2])] == [403,
                                                                                          403]
        assert policy.check_many("testplugin.note", teacher, []) == []
