"""The plugin machinery: markers, plugin metadata and access to the app's plugin manager."""

from __future__ import annotations

from dataclasses import dataclass, field

import pluggy
from flask import Flask, current_app

PROJECT = "ejournal"
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class PluginInfo:
    """What a plugin package says about itself in its ``PLUGIN`` attribute."""

    name: str
    title: str
    version: str = "0.1.0"
    requires: tuple[str, ...] = field(default_factory=tuple)
    #: registration the core does for the plugin (``core.plugins.registration``); ``None``
    #: follows the layout, ``()`` (``""`` for migrations) declares none.
    #: Modules imported for their tables; by default ``<package>.models`` when it exists
    models: tuple[str, ...] | None = None
    #: blueprints as ``"module:attribute"``; by default ``<package>.views:bp`` when it exists
    blueprints: tuple[str, ...] | None = None
    #: modules whose routes join those blueprints, imported before they are registered
    routes: tuple[str, ...] = ()
    #: the migration history's folder, relative to the package; by default ``migrations``
    migrations: str | None = None
    #: further modules of hook implementations (``@hookimpl(specname=...)`` on the functions
    #: that do the work, e.g. the diary's), registered right after ``plugin.py``
    hook_modules: tuple[str, ...] = ()


def plugin_registry(app: Flask | None = None):
    """The :class:`~core.plugins.manager.PluginRegistry` of ``app`` (default: the current app)."""
    return (app or current_app).extensions["ejournal.plugins"]


def hook(app: Flask | None = None) -> pluggy.HookRelay:
    """The hook relay of ``app``'s plugin manager: ``hook().nav_items(user=...)``."""
    return plugin_registry(app).pm.hook
