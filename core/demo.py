"""The demo college: every enabled plugin adds its part through the ``demo_data`` hook."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from core.extensions import db
from core.plugins import plugin_registry


@dataclass
class DemoCollege:
    """What the demo has made so far; each plugin reads its requirements' parts and adds its own."""

    rng: random.Random
    today: date
    #: (role title, login, password) printed after loading
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    #: objects by kind, shared with later plugins: "year", "terms", "groups", "teachers", ...
    made: dict[str, Any] = field(default_factory=dict)

    def add_login(self, role_title: str, login: str, password: str) -> None:
        self.logins.append((role_title, login, password))


def load_demo(seed: int = 2026, force: bool = False, today: date | None = None):
    """Fill an empty database with the demo college; return the demo logins (``None`` if skipped)."""
    from core.people.models import User

    if not force and db.session.scalar(select(func.count()).select_from(User)):
        return None
    college = DemoCollege(rng=random.Random(seed), today=today or date.today())
    # one request's worth of work: settings and policy values are read once, as in a request
    with current_app.test_request_context():
        for impl in plugin_registry().in_order("demo_data"):
            impl.function(college=college)
            db.session.flush()
        db.session.commit()
    return college.logins
