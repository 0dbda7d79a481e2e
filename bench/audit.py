"""Benchmark: the cost of the audit log on a commit, and of ``verify`` on a long chain.

Commits of one audited change each (the common case: a page's write) through the real path
(``audit.record`` then ``commit``), then ``audit.verify()`` over the whole chain. Prints the
median time of a commit (interleaved rounds) and of a verify, on SQLite by default or on the
PostgreSQL database given by ``--url`` (its public schema is dropped first). No absolute time is
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


def commits(app, count: int) -> float:
    """Seconds per commit of one audited change."""
    from core import audit
    from core.extensions import db

    with app.test_request_context():
        started = time.perf_counter()
        for number in range(count):
            audit.record("bench.commit", ("Student", number), after={"mark": "5"}, note="bench")
            db.session.commit()
        return (time.perf_counter() - started) / count


def fill(app, rows: int) -> None:
    from core import audit
    from core.extensions import db

    with app.test_request_context():
        for start in range(0, rows, 1000):
            for number in range(start, min(rows, start + 1000)):
                audit.record("bench.fill", ("Student", number), before={"mark": "4"},
                             after={"mark": "5"})
            db.session.commit()


def verify_seconds(app) -> tuple[float, int]:
    from core import audit

    with app.test_request_context():
        started = time.perf_counter()
        result = audit.verify()
        elapsed = time.perf_counter() - started
    assert result.ok, result.problem
    return elapsed, result.checked


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
    print(f"commit of one audited change: median {statistics.median(per_commit) * 1e3:.3f} ms "
          f"(rounds: {', '.join(f'{t * 1e3:.3f}' for t in per_commit)})")
    checked = verifies[0][1]
    times = [t for t, _ in verifies]
    print(f"verify of {checked} rows: median {statistics.median(times):.3f} s "
          f"(rounds: {', '.join(f'{t:.3f}' for t in times)})")


if __name__ == "__main__":
    main()
