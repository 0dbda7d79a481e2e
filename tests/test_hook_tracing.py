"""Hook tracing for debugging: ``TRACE_HOOKS`` (``EJOURNAL_TRACE_HOOKS=1``) logs each hook call
with the plugins that implement it and its time; off by default, when pluggy is left untouched."""

from __future__ import annotations

import logging
import re

from core.plugins import hook, plugin_registry

LOGGER = "core.plugins.manager"


def _traced(caplog, app) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER), app.app_context():
        hook(app).about_items()
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_tracing_logs_a_hook_call_with_its_implementations_and_time(make_app, caplog):
    app = make_app(TRACE_HOOKS=True, PLUGINS=["journal"])
    [line] = [m for m in _traced(caplog, app) if m.startswith("hook about_items:")]
    assert re.fullmatch(r"hook about_items: \d+\.\d\d ms \[.*core\.hooks.*\]", line), line


def test_tracing_names_each_plugin_that_implements_the_hook(make_app, caplog):
    app = make_app(TRACE_HOOKS=True, PLUGINS=["journal", "attendance"])
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER), app.app_context():
        hook(app).policy_schema()
    [line] = [r.getMessage() for r in caplog.records if "hook policy_schema:" in r.getMessage()]
    assert "journal" in line and "attendance" in line


def test_tracing_is_read_from_the_environment(make_app, caplog, monkeypatch):
    monkeypatch.setenv("EJOURNAL_TRACE_HOOKS", "1")
    app = make_app(PLUGINS=["journal"])
    assert any(m.startswith("hook about_items:") for m in _traced(caplog, app))


def test_tracing_is_off_by_default_and_leaves_pluggy_untouched(make_app, caplog):
    app = make_app(PLUGINS=["journal"])
    pm = plugin_registry(app).pm
    assert pm._inner_hookexec.__name__ != "traced_hookexec"
    assert _traced(caplog, app) == []
