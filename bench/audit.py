"""Benchmark: the cost of the audit log on a commit, and of ``verify`` on a long chain.

Commits of one audited change each (the common case: a page's write) through the real path
(``audit.record`` then ``commit``), then ``audit.verify()`` over the whole chain. Prints the
median time of a commit and of a verify over the rounds, on SQLite by default or on the
PostgreSQL database given by ``--url`` (its public schema is dropped first): wall time, and this
process's CPU time, which other loads of a shared machine disturb far less. No absolute time is
asserted anywhere: run it on two versions of the code to compare them.

    .venv/bin/python bench/audit.py [--commits 500] [--rows 50000] [--rounds 5] [--url ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(workdir: Path, url: str | None):
    from core import create_app, migrate

    if url:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({
        "DATABASE_URL": url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
        "AUDIT_KEY": "bench-audit-key-of-thirty-two-characters", "PLUGINS": [],
        "WORKER_WAKE": False,
    })
    migrate.upgrade(app)
    return app


def commits(app, count: int) -> tuple[float, float]:
    """Seconds per commit of one audited change: wall, CPU."""
    from core import audit
    from core.extensions import db

    with app.test_request_context():
        started, cpu = time.perf_counter(), time.process_time()
        for number in range(count):
            audit.record("bench.commit", ("Student", number), after={"mark": "5"}, note="bench")
            db.session.commit()
        return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


def fill(app, rows: int) -> None:
    from core import audit
    from core.extensions import db

    with app.test_request_context():
        for start in range(0, rows, 1000):
            for number in range(start, min(rows, start + 1000)):
                audit.record("bench.fill", ("Student", number), before={"mark": "4"},
                             after={"mark": "5"})
            db.session.commit()


def verify_seconds(app) -> tuple[float, float, int]:
    """Seconds of a verify (wall, CPU) and the rows checked."""
    from core import audit

    with app.test_request_context():
        started, cpu = time.perf_counter(), time.process_time()
        result = audit.verify()
        elapsed = time.perf_counter() - started, time.process_time() - cpu
    assert result.ok, result.problem
    return *elapsed, result.checked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = build(Path(tmp), args.url)
        commits(app, 50)  # warm up
        per_commit = [commits(app, args.commits) for _ in range(args.rounds)]
        fill(app, args.rows)
        verifies = [verify_seconds(app) for _ in range(args.rounds)]
    wall, cpu = (statistics.median(t[i] for t in per_commit) * 1e3 for i in (0, 1))
    print(f"commit of one audited change: median {wall:.3f} ms wall, {cpu:.3f} ms CPU")
    wall, cpu = (statistics.median(t[i] for t in verifies) for i in (0, 1))
    print(f"verify of {verifies[0][2]} rows: median {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
