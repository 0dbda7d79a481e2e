"""ejournal: an electronic gradebook and attendance register for vocational colleges.

``create_app(config=None)`` builds an app; there is no module-level app and no global plugin
manager, so two apps in one process never share state.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from core import config as app_config
from core import (
    database,  # noqa: F401  (SQLite pragmas)
    error_tracker,
    metrics,
    params,
    transactions,  # noqa: F401  (registers the before-commit order)
)
from core.auth.sessions import install as install_sessions
from core.database import read_first
from core.extensions import babel, compress, csrf, db, limiter, login_manager, mail
from core.i18n import select_locale
from core.people import permissions
from core.plugins import plugin_registry
from core.plugins.manager import available_plugins, build_registry
from core.policy import PolicyValues, all_keys, load_preset, preset_path, read_preset_file
from core.web import install_web
from core.worker import init_worker

__version__ = "0.1.0"

REPO_ROOT = Path(__file__).resolve().parent.parent


def translation_directories(registry) -> list[str]:
    """The core's catalogues, then each enabled plugin's own ``translations/`` folder."""
    folders = [REPO_ROOT / "translations"]
    for plugin in registry.plugins:
        folders.append(Path(plugin.package.__file__).resolve().parent / "translations")
    return [str(folder) for folder in folders if folder.is_dir()]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, the enabled plugins, the policy preset, the extensions."""
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("EJOURNAL_INSTANCE_PATH")
    app = Flask(
        "core",
        instance_path=str(Path(instance or REPO_ROOT / "instance").resolve()),
        instance_relative_config=True,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder="static",
    )
    app_config.load_config(app, config)
    hops = app.config["TRUSTED_PROXIES"]
    if hops:  # the client's address and scheme as the proxies saw them, for limits and audit
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    path = preset_path(app.config["POLICY"])
    preset_data = read_preset_file(path)
    enabled = app.config["PLUGINS"]
    if enabled is None:
        enabled = preset_data["preset"].get("plugins", [])
    extra = app.config["EXTRA_PLUGINS"]
    app.extensions["ejournal.plugins"] = build_registry(enabled, extra,
                                                        trace=bool(app.config["TRACE_HOOKS"]))
    registry = plugin_registry(app)

    db.init_app(app)
    login_manager.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(translation_directories(registry)),
    )
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    compress.init_app(app)  # pages and JSON; files and streams go as they are
    params.install(app)  # after CSRF's check, before any route

    registry.pm.hook.register_models()
    preset = load_preset(app, path, preset_data, available_plugins(extra))
    with app.app_context():
        app.extensions["ejournal.policy"] = PolicyValues(preset, all_keys())
        permissions.declared()  # an action declared twice stops the start-up
    install_web(app)
    read_first(app)  # safe requests read on SQLite without the write lock
    error_tracker.init_app(app)
    metrics.init_app(app)
    install_sessions(app)  # before the blueprints' request hooks
    registry.pm.hook.register_blueprints(app=app)
    registry.pm.hook.register_cli(cli=app.cli)
    init_worker(app)
    return app
