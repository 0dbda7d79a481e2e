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


def plugin_registry(app: Flask | None = None):
    """The :class:`~core.plugins.manager.PluginRegistry` of ``app`` (default: the current app)."""
    return (app or current_app).extensions["ejournal.plugins"]


def hook(app: Flask | None = None) -> pluggy.HookRelay:
    """The hook relay of ``app``'s plugin manager: ``hook().nav_items(user=...)``."""
    return plugin_registry(app).pm.hook
