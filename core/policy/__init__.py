"""Policy: the college's rules as values of a preset, and checks of actions against them.

Code never asks "is this BTT?": it asks a value (``policy_value("grades.lock_after_finals")``) or
checks an action (``check("grade.edit", user, mark)``, or ``check_many`` for a page's worth of
targets). Every ``policy_rules`` implementation is asked and any deny wins.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from core import settings
from core.errors import DomainError, StartupError
from core.models import utcnow
from core.plugins import hook, plugin_registry
from core.policy.schema import CORE_KEYS, PRESET_META_KEYS, PolicyKey, validate_values

if TYPE_CHECKING:
    from core.people.models import User, UserLike

PRESETS_DIR = Path(__file__).parent / "presets"
OVERRIDE_PREFIX = "policy."


@dataclass(frozen=True)
class Decision:
    """The answer of a rule: allowed, or refused with a Russian reason shown as is."""

    allowed: bool
    reason: str = ""
    status: int = 409

    @classmethod
    def allow(cls) -> Decision:
        return cls(True)

    @classmethod
    def deny(cls, reason: str, status: int = 409) -> Decision:
        return cls(False, reason, status)

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class Preset:
    """A parsed and validated preset file."""

    name: str
    title: str
    path: Path
    plugins: list[str]
    values: dict[str, Any]


def preset_path(name_or_path: str) -> Path:
    """A preset shipped with the product by name, or a college's own file by path."""
    if name_or_path.endswith(".toml"):
        return Path(name_or_path)
    return PRESETS_DIR / f"{name_or_path}.toml"


def read_preset_file(path: Path) -> dict[str, Any]:
    """Parse a preset and check its ``[preset]`` table; the values are checked later."""
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PRESETS_DIR.glob("*.toml")))
        raise StartupError(f"{path}: файл пресета политики не найден (есть: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StartupError(f"{path}: ошибка TOML: {exc}") from None
    meta = data.get("preset")
    if not isinstance(meta, dict):
        raise StartupError(f"{path}: нет таблицы [preset]")
    for key, value in meta.items():
        expected = PRESET_META_KEYS.get(key)
        if expected is None:
            raise StartupError(f"{path}: неизвестный ключ «preset.{key}»")
        if not isinstance(value, expected):
            raise StartupError(f"{path}: ключ «preset.{key}»: неверный тип")
    for list_key in ("plugins", "planned"):
        if not all(isinstance(p, str) for p in meta.get(list_key, [])):
            raise StartupError(f"{path}: ключ «preset.{list_key}»: ожидается список строк")
    return data


def all_keys() -> dict[str, PolicyKey]:
    """The core's keys and those of the enabled plugins."""
    keys = {k.key: k for k in CORE_KEYS}
    for batch in hook().policy_schema():
        for key in batch:
            if key.key in keys:
                raise StartupError(f"ключ политики «{key.key}» объявлен дважды")
            keys[key.key] = key
    return keys


def dormant_keys(app: Flask, installed: Mapping[str, str]) -> set[str]:
    """Keys declared by installed plugins that are not enabled: a preset may state them (it is
    written for the whole product), and they are ignored while their plugin is off."""
    enabled = set(app.extensions["ejournal.plugins"].names)
    keys: set[str] = set()
    with app.app_context():
        for name, target in installed.items():
            if name in enabled:
                continue
            try:
                hooks = importlib.import_module(f"{target.partition(':')[0]}.plugin")
            except ImportError:
                continue  # its sections are still skipped by the plugin's name
            declare = getattr(hooks, "policy_schema", None)
            if callable(declare):
                keys |= {key.key for key in declare()}
    return keys


def load_preset(
    app: Flask, path: Path, data: dict[str, Any], installed: Mapping[str, str]
) -> Preset:
    """Validate the preset's values against the schema of the app's enabled plugins.

    ``installed`` maps each installed plugin's name to its import path.
    """
    with app.app_context():
        keys = all_keys()
    enabled = set(app.extensions["ejournal.plugins"].names)
    core_sections = {k.section for k in keys.values()}
    skip = (set(installed) - enabled) - core_sections
    meta = data["preset"]
    planned = set(meta.get("planned", []))
    values = validate_values(str(path), data, keys, skip, dormant_keys(app, installed), planned)
    return Preset(
        name=meta.get("name", path.stem),
        title=meta.get("title", path.stem),
        path=path,
        plugins=list(meta.get("plugins", [])),
        values=values,
    )


class PolicyValues:
    """The effective policy: administrator overrides, then the preset, then the defaults."""

    def __init__(self, preset: Preset, keys: dict[str, PolicyKey]):
        self.preset = preset
        self.keys = keys

    def overrides(self) -> dict[str, Any]:
        stored = settings.stored()
        return {
            key[len(OVERRIDE_PREFIX):]: value
            for key, value in stored.items()
            if key.startswith(OVERRIDE_PREFIX) and key[len(OVERRIDE_PREFIX):] in self.keys
        }

    def preset_value(self, key: str) -> Any:
        return self.preset.values.get(key, self.keys[key].default)

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys:
            raise KeyError(f"unknown policy key {key!r}")
        overrides = self.overrides()
        return overrides[key] if key in overrides else self.preset_value(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.keys else default

    def items(self) -> list[tuple[PolicyKey, Any, bool]]:
        """Every key with its effective value and whether it is overridden."""
        overrides = self.overrides()
        return [
            (spec, overrides.get(key, self.preset_value(key)), key in overrides)
            for key, spec in self.keys.items()
        ]


def current_policy() -> PolicyValues:
    return current_app.extensions["ejournal.policy"]


def policy_value(key: str) -> Any:
    """The effective value of a policy key."""
    return current_policy()[key]


def set_override(key: str, value: Any, actor: User | None = None) -> bool:
    """Override a preset value (validated against its schema); audited with old and new."""
    policy = current_policy()
    spec = policy.keys.get(key)
    if spec is None:
        raise DomainError(f"Неизвестный ключ политики «{key}»")
    problem = spec.check(value)
    if problem:
        raise DomainError(f"«{spec.title}»: {problem}")
    if value == policy.preset_value(key):
        return settings.remove(OVERRIDE_PREFIX + key, actor=actor, action="policy.reset")
    return settings.put(OVERRIDE_PREFIX + key, value, actor=actor, action="policy.override")


def reset_override(key: str, actor: User | None = None) -> bool:
    return settings.remove(OVERRIDE_PREFIX + key, actor=actor, action="policy.reset")


def check(action: str, user: UserLike, target: Any = None, at: datetime | None = None) -> Decision:
    """Ask every ``policy_rules`` implementation; the first deny (in call order) wins."""
    decisions = hook().policy_rules(
        action=action, user=user, target=target, at=at or utcnow(), policy=current_policy()
    )
    for decision in decisions:
        if decision is not None and not decision.allowed:
            return decision
    return Decision.allow()


def check_many(action: str, user: Any, targets: Sequence[Any],
               at: datetime | None = None) -> list[Decision]:
    """``check`` of each of ``targets``, in their order, asked once for the batch: the
    ``policy_rules_many`` implementations judge all targets in one pass; the plugins without
    one are asked ``policy_rules`` for each target the batch answers left allowed (a page's
    lessons outside the edit window cost one pass, not a hook call each)."""
    targets = list(targets)
    at = at or utcnow()
    policy = current_policy()
    allowed = Decision.allow()
    decisions = [allowed] * len(targets)
    manager = plugin_registry().pm
    for answer in manager.hook.policy_rules_many(action=action, user=user, targets=targets,
                                                 at=at, policy=policy):
        for index, decision in enumerate(answer or ()):
            if decision is not None and not decision.allowed and decisions[index].allowed:
                decisions[index] = decision
    batched = [impl.plugin for impl in manager.hook.policy_rules_many.get_hookimpls()]
    one_by_one = manager.subset_hook_caller("policy_rules", remove_plugins=batched)
    for index, target in enumerate(targets):
        if not decisions[index].allowed:
            continue
        for decision in one_by_one(action=action, user=user, target=target, at=at,
                                   policy=policy):
            if decision is not None and not decision.allowed:
                decisions[index] = decision
                break
    return decisions
