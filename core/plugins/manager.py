"""Build one pluggy PluginManager per app from the enabled plugins.

Start-up fails with one clear line (``StartupError``) for an unknown plugin, a missing or
disabled requirement, a dependency cycle, or a misspelt hook implementation. With tracing on
(``TRACE_HOOKS``, ``EJOURNAL_TRACE_HOOKS=1``) every hook call is logged with its implementations and
the time it took; off, pluggy calls the hooks untouched.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType

import pluggy

from core.errors import StartupError
from core.plugins import PROJECT, PluginInfo, hookspecs
from core.plugins.registration import declared_hooks

ENTRY_POINT_GROUP = "ejournal.plugins"

log = logging.getLogger(__name__)

#: the core's own hook implementations, registered before any plugin (the core eats its own food)
CORE_HOOK_MODULES = (
    "core.hooks",
    "core.audit_labels",
    "core.auth.plugin",
    "core.people.plugin",
    "core.admin.plugin",
    "core.backup.plugin",
    "core.help.plugin",
)


@dataclass(frozen=True)
class LoadedPlugin:
    info: PluginInfo
    package: ModuleType
    hooks: ModuleType


class PluginRegistry:
    """The app's plugin manager and the plugins it holds, in dependency order."""

    def __init__(self, pm: pluggy.PluginManager, plugins: list[LoadedPlugin]):
        self.pm = pm
        self.plugins = plugins

    @property
    def names(self) -> list[str]:
        return [p.info.name for p in self.plugins]

    def is_enabled(self, name: str) -> bool:
        return name in self.names

    def in_order(self, hook_name: str) -> list[pluggy.HookImpl]:
        """Implementations of ``hook_name`` in dependency order: the core first, then each plugin
        after the plugins it requires (pluggy itself calls them last-registered first)."""
        rank = {name: i for i, name in enumerate([*CORE_HOOK_MODULES, *self.names])}

        def rank_of(registered: str) -> int:
            # "grading.registration", "grading.diary": registered for the plugin "grading"
            return rank[registered] if registered in rank else rank[registered.rpartition(".")[0]]

        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        return sorted(impls, key=lambda impl: rank_of(impl.plugin_name))


def registration_name(plugin: str) -> str:
    """The name under which the core's registration hooks for ``plugin`` are registered."""
    return f"{plugin}.registration"


def available_plugins(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Installed plugins by name: entry points of ``ejournal.plugins`` plus ``extra`` import paths."""
    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    found.update(extra or {})
    return found


def build_registry(enabled: Iterable[str], extra: dict[str, str] | None = None,
                   trace: bool = False) -> PluginRegistry:
    """Load, order and register the enabled plugins; raise ``StartupError`` on any problem.
    With ``trace`` every hook call is logged (:func:`trace_hook_calls`)."""
    available = available_plugins(extra)
    enabled = list(dict.fromkeys(enabled))
    loaded = {name: _load(name, available) for name in enabled}
    for plugin in loaded.values():
        for required in plugin.info.requires:
            if required not in loaded:
                state = "не установлен" if required not in available else "не включён"
                raise StartupError(
                    f"плагин «{plugin.info.name}» требует плагин «{required}», но он {state}"
                )
    ordered = _dependency_order(loaded)

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for module_name in CORE_HOOK_MODULES:
        pm.register(importlib.import_module(module_name), name=module_name)
    for plugin in ordered:
        declared = declared_hooks(plugin.info, plugin.package, plugin.hooks)
        if vars(declared):
            pm.register(declared, name=registration_name(plugin.info.name))
        pm.register(plugin.hooks, name=plugin.info.name)
        for module_name in plugin.info.hook_modules:
            pm.register(importlib.import_module(module_name),
                        name=f"{plugin.info.name}.{module_name.rpartition('.')[2]}")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise StartupError(f"ошибка в реализации хука: {exc}") from None
    if trace:
        trace_hook_calls(pm)
    return PluginRegistry(pm, ordered)


def trace_hook_calls(pm: pluggy.PluginManager) -> Callable[[], None]:
    """Log (INFO, this module's logger) each call of a hook of ``pm``: its name, the plugins whose
    implementations ran, in pluggy's calling order, and the milliseconds it took. Return the
    function that stops the tracing."""
    started = threading.local()  # a stack per thread: a hook may call another hook

    def before(hook_name: str, hook_impls: list[pluggy.HookImpl], kwargs: dict) -> None:
        started.__dict__.setdefault("stack", []).append(time.perf_counter())

    def after(outcome, hook_name: str, hook_impls: list[pluggy.HookImpl], kwargs: dict) -> None:
        took = (time.perf_counter() - started.stack.pop()) * 1000
        plugins = ", ".join(impl.plugin_name for impl in reversed(hook_impls)) or "—"
        failed = f", raised {type(outcome.exception).__name__}" if outcome.exception else ""
        log.info("hook %s: %.2f ms [%s]%s", hook_name, took, plugins, failed)

    if log.getEffectiveLevel() > logging.INFO:
        log.setLevel(logging.INFO)  # asked for: shown even where logging is not configured
    if not log.hasHandlers():
        log.addHandler(logging.StreamHandler())
    return pm.add_hookcall_monitoring(before, after)


def _load(name: str, available: dict[str, str]) -> LoadedPlugin:
    if name not in available:
        known = ", ".join(sorted(available)) or "нет ни одного"
        raise StartupError(f"неизвестный плагин «{name}» (установлены: {known})")
    target = available[name]
    module_path, _, attr = target.partition(":")
    try:
        package = importlib.import_module(module_path)
    except ImportError as exc:
        raise StartupError(f"плагин «{name}» не загружается: {exc}") from None
    info = getattr(package, attr or "PLUGIN", None)
    if not isinstance(info, PluginInfo):
        raise StartupError(f"плагин «{name}»: в {module_path} нет PLUGIN = PluginInfo(...)")
    if info.name != name:
        raise StartupError(f"плагин «{name}» называет себя «{info.name}»")
    hooks = importlib.import_module(f"{package.__name__}.plugin")
    return LoadedPlugin(info, package, hooks)


def _dependency_order(loaded: dict[str, LoadedPlugin]) -> list[LoadedPlugin]:
    """Topological order (requirements first, otherwise as listed); a cycle is an error."""
    ordered: list[LoadedPlugin] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " → ".join([*path[path.index(name):], name])
            raise StartupError(f"циклическая зависимость плагинов: {cycle}")
        state[name] = "visiting"
        for required in loaded[name].info.requires:
            visit(required, [*path, name])
        state[name] = "done"
        ordered.append(loaded[name])

    for name in loaded:
        visit(name, [])
    return ordered
