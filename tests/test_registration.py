"""The core registers a plugin's models, blueprints and migration history from its ``PluginInfo``
or its layout (``core.plugins.registration``); a hook its ``plugin.py`` implements stays its own."""

from __future__ import annotations

import dataclasses

import plugins.grading
import plugins.journal
import tests.testplugin
from core import migrate
from core.plugins import plugin_registry
from core.plugins.manager import registration_name
from core.plugins.registration import (
    blueprint_paths,
    declared_hooks,
    migration_source,
    model_modules,
)
from tests.testplugin import plugin as testplugin_hooks


def test_the_layout_names_models_views_and_migrations():
    journal = plugins.journal
    assert model_modules(journal.PLUGIN, journal) == ("plugins.journal.models",)
    assert blueprint_paths(journal.PLUGIN, journal) == ("plugins.journal.views:bp",)
    source = migration_source(journal.PLUGIN, journal)
    assert (source.name, source.table_prefix) == ("journal", "journal_")
    assert source.path.name == "migrations" and source.path.parent.name == "journal"


def test_what_the_plugin_info_declares_overrides_the_layout():
    journal = plugins.journal
    info = dataclasses.replace(journal.PLUGIN, models=(), blueprints=("a.b:other",),
                               migrations="")
    assert model_modules(info, journal) == ()
    assert blueprint_paths(info, journal) == ("a.b:other",)
    assert migration_source(info, journal) is None
    assert set(vars(declared_hooks(info, journal, object()))) == {"register_blueprints"}


def test_a_hook_the_plugin_implements_itself_is_left_to_it():
    """The test plugin writes all three hooks itself (it has a ``migrations/`` folder too)."""
    declared = declared_hooks(tests.testplugin.PLUGIN, tests.testplugin, testplugin_hooks)
    assert vars(declared) == {}


def test_the_core_registers_a_plugins_blueprint_with_the_routes_it_declares(make_app):
    app = make_app(PLUGINS=["journal", "grading"])
    assert {"journal", "grading"} <= set(app.blueprints)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"journal.planning_disciplines", "grading.flags_page"} <= endpoints
    assert plugins.grading.PLUGIN.routes == ("plugins.grading.flag_views",)


def test_the_core_gives_each_plugins_migration_history_in_dependency_order(make_app):
    app = make_app(PLUGINS=["grading", "journal"])
    assert [s.name for s in migrate.sources(app)] == ["core", "journal", "grading"]
    impls = plugin_registry(app).in_order("migration_dirs")
    assert [i.plugin_name for i in impls] == ["core.hooks", registration_name("journal"),
                                             registration_name("grading")]


def test_a_plugins_hook_modules_are_registered_beside_its_plugin_py(app):
    """``PluginInfo.hook_modules``: the diary and the reports of grading answer their hooks
    themselves (``@hookimpl(specname=...)``), with no forwarding function in ``plugin.py``."""
    import plugins.grading.diary as diary
    import plugins.grading.plugin as grading_hooks

    pm = plugin_registry(app).pm
    assert pm.get_plugin("grading.diary") is diary
    by_hook = {impl.plugin_name for impl in pm.hook.diary_sections.get_hookimpls()}
    assert {"grading.diary", "attendance.diary"} <= by_hook
    assert "grading.reports" in {impl.plugin_name
                                 for impl in pm.hook.report_providers.get_hookimpls()}
    assert not hasattr(grading_hooks, "diary_sections")
