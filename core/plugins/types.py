"""Values passed across hooks. Plugins build these; the core reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class MigrationSource:
    """A migration history: ``name`` is its branch (``core`` or the plugin name).

    ``table_prefix`` selects the tables autogenerate may touch; the version table is
    ``alembic_version`` for the core and ``alembic_version_<name>`` for a plugin.
    """

    name: str
    path: Path
    table_prefix: str

    @property
    def version_table(self) -> str:
        return "alembic_version" if self.name == "core" else f"alembic_version_{self.name}"


@dataclass(frozen=True)
class SettingSpec:
    """A typed per-college setting with its default and a Russian title for the admin form."""

    key: str
    type: type
    default: Any
    title: str
    help: str = ""


@dataclass(frozen=True)
class Permission:
    """An action and the roles that may perform it (scope is checked separately)."""

    action: str
    roles: frozenset[str]
    title: str = ""


@dataclass(frozen=True)
class EventHandler:
    """Subscribe ``handler(event)`` to domain event ``event`` (``*`` for all).

    ``phase="in_transaction"`` runs inside the transaction that raised the event, before commit
    (write outbox rows there); ``"after_commit"`` runs only once the change is committed.
    """

    event: str
    handler: Callable[[Any], None]
    phase: Literal["in_transaction", "after_commit"] = "after_commit"


@dataclass(frozen=True)
class HealthResult:
    name: str
    ok: bool
    detail: Any = None


@dataclass(frozen=True)
class HealthCheck:
    """A named check for ``/healthz``; ``run()`` returns a ``HealthResult``."""

    name: str
    run: Callable[[], HealthResult]


@dataclass(frozen=True)
class NavItem:
    """A main-menu entry; ``order`` sorts the menu (lower first)."""

    title: str
    endpoint: str
    order: int = 100
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Widget:
    """A home-page block rendered from ``template`` with ``context``."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class AboutItem:
    label: str
    value: str


@dataclass(frozen=True)
class DiaryNote:
    """What a plugin shows in a lesson's row of a student's diary: a mark, an absence."""

    text: str
    title: str = ""
    css: str = ""


@dataclass(frozen=True)
class DiarySection:
    """A table under a student's diary week (marks by discipline, absences): plain texts, which
    the template escapes."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    order: int = 100
    note: str = ""


@dataclass(frozen=True)
class ScheduledJob:
    """A job the worker runs: ``schedule`` holds ``huey.crontab`` arguments (UTC), e.g.
    ``{"minute": "0"}`` for every hour; ``run()`` is called inside an app context."""

    name: str
    schedule: dict[str, str]
    run: Callable[[], Any]
