"""The demo college served to Chromium on 25 November 2026 at 12:00 in Moscow, its clock ticking:
each journey signs in as one of the demo's people and works through a real day (tests/browser.py
has the page helpers). Screenshots go to ``artefacts/journeys/<journey>/`` under the
repository, or under ``EJOURNAL_ARTEFACTS``."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core import migrate
from core.demo import load_demo
from core.extensions import db
from core.people.models import User
from tests.fixtures import ROOT

DEMO_DAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday, 12:00 in Moscow


@pytest.fixture
def demo_site(make_app, tmp_path, clock, serve) -> SimpleNamespace:
    """The demo college as it is served (CSRF checked, real commits on a SQLite file, no
    worker woken): ``base`` its URL, ``app``, ``user(login)`` a demo person whose password is
    ``tests.browser.PASSWORD``."""
    from core.auth.passwords import hash_password

    clock.set(DEMO_DAY, tick=True)
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", WORKER_WAKE=False,
                   WTF_CSRF_ENABLED=True, SERVER_NAME=None, TESTING=False,
                   SQLITE_BEGIN_MODE="IMMEDIATE", RATELIMIT_ENABLED=False)
    migrate.upgrade(app)
    with app.app_context():
        load_demo(seed=2026, today=DEMO_DAY.date())
        db.session.commit()

    def user(login: str) -> User:
        from tests.browser import PASSWORD

        with app.app_context():
            found = db.session.scalar(select(User).where(User.login == login))
            found.password_hash = hash_password(PASSWORD)
            db.session.commit()
            db.session.expunge(found)
            return found

    return SimpleNamespace(app=app, base=serve(app), user=user)


@pytest.fixture
def shots(request) -> Path:
    """This journey's folder of screenshots, kept after the run as its artefacts."""
    root = Path(os.environ.get("EJOURNAL_ARTEFACTS") or ROOT / "artefacts")
    folder = root / "journeys" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
