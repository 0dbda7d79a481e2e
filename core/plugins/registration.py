"""The registration a plugin need not write: its models, blueprints and migration history.

A plugin declares them in its ``PluginInfo`` (``models``, ``blueprints``, ``routes``,
``migrations``) or follows the layout: ``models.py`` is imported for its tables, ``views.py``'s
``bp`` is registered, ``migrations/`` is its history (tables prefixed ``<name>_``). The core
implements ``register_models``, ``register_blueprints`` and ``migration_dirs`` for it, unless its
``plugin.py`` implements that hook itself (as a third-party plugin still may).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace

from flask import Flask

from core.errors import StartupError
from core.plugins import PluginInfo, hookimpl
from core.plugins.types import MigrationSource

#: the hooks done here; a plugin implementing one of them in ``plugin.py`` does it itself
HOOKS = ("register_models", "register_blueprints", "migration_dirs")


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def model_modules(info: PluginInfo, package: ModuleType) -> tuple[str, ...]:
    """The modules imported for the plugin's tables: declared, or ``<package>.models``."""
    if info.models is not None:
        return info.models
    default = f"{package.__name__}.models"
    return (default,) if _exists(default) else ()


def blueprint_paths(info: PluginInfo, package: ModuleType) -> tuple[str, ...]:
    """The plugin's blueprints as ``module:attribute``: declared, or ``<package>.views:bp``."""
    if info.blueprints is not None:
        return info.blueprints
    default = f"{package.__name__}.views"
    return (f"{default}:bp",) if _exists(default) else ()


def migration_source(info: PluginInfo, package: ModuleType) -> MigrationSource | None:
    """The plugin's migration history: the declared folder, or ``migrations/`` beside it."""
    if info.migrations == "":
        return None
    path = Path(package.__file__).resolve().parent / (info.migrations or "migrations")
    if info.migrations is None and not path.is_dir():
        return None
    return MigrationSource(info.name, path, f"{info.name}_")


def _blueprint(path: str, plugin: str):
    module_name, _, attr = path.partition(":")
    blueprint = getattr(importlib.import_module(module_name), attr or "bp", None)
    if blueprint is None:
        raise StartupError(f"плагин «{plugin}»: в {module_name} нет блюпринта {attr or 'bp'}")
    return blueprint


def declared_hooks(info: PluginInfo, package: ModuleType, own: ModuleType) -> SimpleNamespace:
    """An object to register beside the plugin's ``plugin.py``: the implementations of
    :data:`HOOKS` it declares or its layout implies and ``own`` does not implement."""
    hooks: dict[str, Callable] = {}
    models = model_modules(info, package)
    if models:
        def register_models() -> None:
            for module in models:
                importlib.import_module(module)

        hooks["register_models"] = register_models
    blueprints = blueprint_paths(info, package)
    if blueprints:
        def register_blueprints(app: Flask) -> None:
            for module in info.routes:  # their routes join a blueprint below
                importlib.import_module(module)
            for path in blueprints:
                app.register_blueprint(_blueprint(path, info.name))

        hooks["register_blueprints"] = register_blueprints
    source = migration_source(info, package)
    if source is not None:
        def migration_dirs() -> list[MigrationSource]:
            return [source]

        hooks["migration_dirs"] = migration_dirs
    return SimpleNamespace(**{name: hookimpl(function) for name, function in hooks.items()
                              if not hasattr(own, name)})
