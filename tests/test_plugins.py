"""The plugin machinery: discovery, requirements, start-up failures, isolation between apps."""

from __future__ import annotations

import pytest

from core import create_app
from core.errors import StartupError
from core.plugins import plugin_registry
from core.plugins.manager import available_plugins
from tests.conftest import TESTPLUGIN

BAD = {
    "needs_missing": "tests.badplugins:needs_missing",
    "needs_test": "tests.badplugins:needs_test",
    "cycle_a": "tests.badplugins:cycle_a",
    "cycle_b": "tests.badplugins:cycle_b",
    "misspelt": "tests.badplugins:misspelt",
}


def build(app_config, plugins, extra=None):
    return create_app({**app_config, "PLUGINS": plugins, "EXTRA_PLUGINS": {**TESTPLUGIN, **(extra or {})}})


def test_unknown_plugin_name_stops_start_up_naming_it(app_config):
    with pytest.raises(StartupError, match="неизвестный плагин «gradnig»"):
        build(app_config, ["gradnig"])


def test_a_plugin_whose_requirement_is_disabled_stops_start_up_naming_both(app_config):
    with pytest.raises(StartupError) as error:
        build(app_config, ["needs_test"], BAD)
    message = str(error.value)
    assert "«needs_test»" in message and "«testplugin»" in message and "не включён" in message
    assert "\n" not in message


def test_a_missing_requirement_is_named_as_not_installed(app_config):
    with pytest.raises(StartupError, match="«needs_missing» требует плагин «nothere», но он не установлен"):
        build(app_config, ["needs_missing"], BAD)


def test_a_dependency_cycle_stops_start_up(app_config):
    with pytest.raises(StartupError, match="циклическая зависимость плагинов: cycle_a → cycle_b → cycle_a"):
        build(app_config, ["cycle_a", "cycle_b"], BAD)


def test_a_misspelt_hook_implementation_stops_start_up(app_config):
    with pytest.raises(StartupError, match="nav_itemz"):
        build(app_config, ["misspelt"], BAD)


def test_the_cli_prints_one_line_for_a_start_up_error(app_config, monkeypatch, tmp_path, capsys):
    from core import cli

    monkeypatch.setenv("EJOURNAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("EJOURNAL_PLUGINS", '["gradnig"]')
    monkeypatch.setattr("sys.argv", ["ejournal", "routes"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("ejournal: неизвестный плагин «gradnig»")
    assert len(err.splitlines()) == 1


DEPENDENT = {"dependent": "tests.dependentplugin"}


def test_plugins_are_ordered_requirements_first_whatever_the_list_order(app_config):
    app = build(app_config, ["dependent", "testplugin"], DEPENDENT)
    assert plugin_registry(app).names == ["testplugin", "dependent"]
    demo_impls = [impl.plugin_name for impl in plugin_registry(app).in_order("demo_data")]
    assert demo_impls.index("testplugin") < demo_impls.index("dependent")
    assert demo_impls[0] == "core.people.plugin"


def test_two_apps_in_one_process_do_not_see_each_others_hooks(app_config, plugin_app):
    plain = create_app({**app_config, "PLUGINS": []})
    assert plugin_registry(plain).pm is not plugin_registry(plugin_app).pm
    assert "testplugin" in plugin_registry(plugin_app).names
    assert "testplugin" not in plugin_registry(plain).names
    with plugin_app.test_request_context():
        from flask_login import AnonymousUserMixin

        from core.plugins import hook

        titles = [i.title for batch in hook().nav_items(user=AnonymousUserMixin()) for i in batch]
        assert "Тестовый раздел" in titles
    with plain.test_request_context():
        titles = [i.title for batch in hook().nav_items(user=AnonymousUserMixin()) for i in batch]
        assert "Тестовый раздел" not in titles


def test_installed_plugins_are_found_through_entry_points():
    installed = available_plugins()
    for name, target in installed.items():
        assert target.startswith(f"plugins.{name}"), (name, target)


def test_preset_plugin_list_is_used_when_config_names_none(app_config, tmp_path):
    import shutil

    from core.policy import PRESETS_DIR

    preset = tmp_path / "mine.toml"
    shutil.copy(PRESETS_DIR / "btt.toml", preset)
    preset.write_text(preset.read_text(encoding="utf-8").replace(
        'name = "btt"', 'name = "mine"'), encoding="utf-8")
    app = create_app({**app_config, "PLUGINS": None, "POLICY": str(preset)})
    with app.app_context():
        from core.policy import current_policy

        assert plugin_registry(app).names == [
            p.info.name for p in plugin_registry(app).plugins
        ]
        assert set(plugin_registry(app).names) == set(current_policy().preset.plugins)
