"""A region on one farm: one process serves several colleges (Сетевой Город is run per
region), each with its own instance folder (its ``config.py``: database, preset, plugins,
keys), chosen by host name or by path prefix. ``EJOURNAL_REGION`` names the region's file::

    [colleges.btt]
    prefix = "/btt"                      # https://journal.region.ru/btt/...
    instance = "/srv/ejournal/btt"

    [colleges.ktis]
    host = "ktis.journal.region.ru"      # or by host name
    instance = "/srv/ejournal/ktis"
    config = { POLICY = "ktis" }         # settings over the instance's config.py

Each college is an app of its own (``create_app``): its plugins, policy, database, sessions
(a cookie named after it, under its prefix), its worker queue and its sign-in counters. Its
commands run with ``ejournal --college NAME …``; its worker with ``ejournal --college NAME
worker``."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import NotFound

from core.errors import StartupError

REGION_ENV = "EJOURNAL_REGION"
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
#: variables that would give every college of the region the same database or keys
_SHARED_BY_MISTAKE = ("EJOURNAL_DATABASE_URL", "EJOURNAL_SECRET_KEY", "EJOURNAL_AUDIT_KEY",
                      "EJOURNAL_INSTANCE_PATH", "EJOURNAL_POLICY", "EJOURNAL_PLUGINS")


@dataclass(frozen=True)
class College:
    name: str
    instance: str
    host: str | None = None
    prefix: str | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def app_config(self) -> dict[str, Any]:
        """What sets the college apart in a shared process, then its own settings."""
        own: dict[str, Any] = {
            "INSTANCE_PATH": self.instance, "COLLEGE_NAME": self.name,
            "SESSION_COOKIE_NAME": f"ejournal_{self.name}",
            "REMEMBER_COOKIE_NAME": f"ejournal_remember_{self.name}",
            "WORKER_QUEUE": f"ejournal-{self.name}",
            "RATELIMIT_KEY_PREFIX": f"ejournal-{self.name}"}
        if self.prefix:
            own.update(APPLICATION_ROOT=self.prefix, SESSION_COOKIE_PATH=self.prefix,
                       REMEMBER_COOKIE_PATH=self.prefix)
        return {**own, **self.config}


def region_file(path: str | os.PathLike | None = None) -> Path | None:
    found = path or os.environ.get(REGION_ENV)
    return Path(found) if found else None


def read_region(path: str | os.PathLike) -> list[College]:
    """The colleges of the region's file, checked: names, one way in each, none shared."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StartupError(f"{REGION_ENV}: файл региона {path} не читается: {exc}") from exc
    colleges = []
    for name, entry in (data.get("colleges") or {}).items():
        if not _NAME.match(name):
            raise StartupError(f"регион: имя колледжа {name!r} — нужны строчные латинские "
                               "буквы, цифры, «-» или «_»")
        host, prefix = entry.get("host"), entry.get("prefix")
        if bool(host) == bool(prefix):
            raise StartupError(f"регион: у колледжа {name} должен быть ровно один из ключей "
                               "host или prefix")
        if prefix and (not prefix.startswith("/") or prefix.endswith("/") or prefix == "/"):
            raise StartupError(f"регион: prefix колледжа {name} — вида «/btt»")
        if not entry.get("instance"):
            raise StartupError(f"регион: у колледжа {name} не указан instance (его папка)")
        colleges.append(College(name, str(entry["instance"]), (host or "").lower() or None,
                                prefix, dict(entry.get("config") or {})))
    if not colleges:
        raise StartupError(f"регион: в {path} нет ни одного колледжа ([colleges.ИМЯ])")
    for attribute in ("host", "prefix", "instance"):
        values = [getattr(c, attribute) for c in colleges if getattr(c, attribute)]
        if len(values) != len(set(values)):
            raise StartupError(f"регион: у двух колледжей один и тот же {attribute}")
    return colleges


def college(name: str, path: str | os.PathLike | None = None) -> College:
    """One college of the region (``ejournal --college NAME``)."""
    found = region_file(path)
    if found is None:
        raise StartupError(f"--college: не задан файл региона ({REGION_ENV})")
    for item in read_region(found):
        if item.name == name:
            return item
    raise StartupError(f"--college: в регионе нет колледжа {name!r}")


class Region:
    """The WSGI app of the region: a request goes to the college of its host name, else of
    its path's prefix (which becomes the college's script root); anything else is a 404."""

    def __init__(self, apps: dict[str, Flask], colleges: Iterable[College]):
        self.apps = apps
        colleges = list(colleges)
        self.by_host = {c.host: apps[c.name] for c in colleges if c.host}
        self.by_prefix = sorted(((c.prefix, apps[c.name]) for c in colleges if c.prefix),
                                key=lambda item: -len(item[0]))

    def __call__(self, environ, start_response):
        host = (environ.get("HTTP_HOST") or "").rsplit(":", 1)[0].lower()
        if host in self.by_host:
            return self.by_host[host](environ, start_response)
        path = environ.get("PATH_INFO") or "/"
        for prefix, app in self.by_prefix:
            if path == prefix or path.startswith(prefix + "/"):
                environ = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + prefix,
                           "PATH_INFO": path[len(prefix):] or "/"}
                return app(environ, start_response)
        return NotFound("Такого колледжа в журнале региона нет.")(environ, start_response)


def create_region(path: str | os.PathLike | None = None) -> Region:
    """Every college's app, built once at start-up."""
    from core import create_app

    found = region_file(path)
    if found is None:
        raise StartupError(f"не задан файл региона ({REGION_ENV})")
    shared = [name for name in _SHARED_BY_MISTAKE if os.environ.get(name)]
    if shared:
        raise StartupError(f"регион: {', '.join(shared)} задан для всего процесса; у каждого "
                           "колледжа свои — в его config.py или в файле региона")
    colleges = read_region(found)
    return Region({c.name: create_app(c.app_config()) for c in colleges}, colleges)
