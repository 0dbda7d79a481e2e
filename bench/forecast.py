"""Backtest of the forecast on the demo's finished previous year (issue #22, item 5).

For every journal of the previous year, the forecast is made at the middle of its term (the
marks, absences and lessons up to that day only) and compared with the term's final the teacher
actually set (its value at the term's end, from the finals' history: before any retake). Beside
it, in the same run, the naive forecast: the rounded current weighted average at mid-term.

Printed per term and for the year:

- MAE: the mean absolute error of the expected mark against the final, over the finals that
  are marks (2–5) and that both forecasts give a mark for;
- exact: the share of those forecast exactly;
- range: the share of finals inside the forecast's range (the model only);
- risk recall: the share of real failures (a final of 2 or н/а) the risk flag caught
  (the model: risk "fail" or "na"; the naive one: a rounded average of 2);
- risk precision: the share of flags that were real failures.

Then the year again with one part of the model switched off at a time (the trend, the other
disciplines' average, the pace towards the minimum), to show what each part is worth.

The model's parameters were chosen on the first term (see the README); the second term is
the held-out check.

    .venv/bin/python bench/forecast.py [--url sqlite:////tmp/demo/ej.sqlite3] [--seed 2026]

Without ``--url`` a demo college is built in a temporary folder (about a minute).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FAILED = ("2", "na")


def _app(url: str | None, workdir: Path, seed: int):
    from core import create_app, migrate

    app = create_app({
        "DATABASE_URL": url or f"sqlite:///{workdir / 'demo.sqlite3'}",
        "INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
        "AUDIT_KEY": "bench-audit-key-of-thirty-two-characters", "WORKER_WAKE": False,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1,
    })
    if url is None:
        from core.demo import load_demo
        from core.extensions import db

        migrate.upgrade(app)
        with app.app_context():
            load_demo(seed=seed)
            db.session.commit()
    return app


@dataclass
class Tally:
    pairs: int = 0
    model_error: int = 0
    naive_error: int = 0
    model_exact: int = 0
    naive_exact: int = 0
    in_range: int = 0
    failures: int = 0
    model_flags: int = 0
    model_hits: int = 0
    naive_flags: int = 0
    naive_hits: int = 0
    finals: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    —"


def backtest(app) -> dict[str, Tally]:
    from core.calendar.clock import college_zone
    from core.extensions import db  # noqa: F401  (the app's session)
    from plugins.forecast import api, model
    from plugins.grading import api as grading
    from plugins.journal import api as journal

    results: dict[str, Tally] = {}
    with app.test_request_context():
        today = datetime.now(UTC).date()
        finished = [load for load in journal.loads() if load.term.ends_on < today]
        zone = college_zone()
        by_term: dict[int, list] = {}
        for load in finished:
            by_term.setdefault(load.term.id, []).append(load)
        for loads in by_term.values():
            term = loads[0].term
            middle = term.starts_on + (term.ends_on - term.starts_on) / 2
            at = datetime.combine(middle, time(20, 0), tzinfo=zone).astimezone(UTC)
            end = datetime.combine(term.ends_on + timedelta(days=1), time(0, 0),
                                   tzinfo=zone).astimezone(UTC)
            finals = grading.finals_as_set([load.id for load in loads], "term", end)
            forecasts = api.forecasts_for_loads([load.id for load in loads], at=at)
            tally = results.setdefault(f"{term.title}", Tally())
            for (student_id, load_id), found in forecasts.items():
                actual = finals.get((load_id, student_id))
                if actual is None or actual not in ("2", "3", "4", "5", "na"):
                    continue
                tally.finals += 1
                naive = None if found.current is None else model.clamp_mark(found.current)
                failed = actual in FAILED
                tally.failures += failed
                model_flag = found.risk != "none"
                naive_flag = naive == 2
                tally.model_flags += model_flag
                tally.model_hits += model_flag and failed
                tally.naive_flags += naive_flag
                tally.naive_hits += naive_flag and failed
                if actual == "na" or found.expected is None or naive is None:
                    continue
                mark = int(actual)
                tally.pairs += 1
                tally.model_error += abs(found.expected - mark)
                tally.naive_error += abs(naive - mark)
                tally.model_exact += found.expected == mark
                tally.naive_exact += naive == mark
                tally.in_range += found.low <= mark <= found.high
    return results


def report(results: dict[str, Tally]) -> str:
    total = Tally()
    for tally in results.values():
        total.add(tally)
    lines = [f"{'':28} {'MAE':>11} {'exact':>15} {'range':>7} {'recall':>15} "
             f"{'precision':>15}",
             f"{'':28} {'model naive':>11} {'model  naive':>15} {'model':>7} "
             f"{'model  naive':>15} {'model  naive':>15}"]
    for title, tally in [*results.items(), ("Year", total)]:
        pairs = tally.pairs or 1
        lines.append(
            f"{title[:28]:28} {tally.model_error / pairs:5.3f} {tally.naive_error / pairs:5.3f} "
            f"{_share(tally.model_exact, tally.pairs)} {_share(tally.naive_exact, tally.pairs)} "
            f"{_share(tally.in_range, tally.pairs)} "
            f"{_share(tally.model_hits, tally.failures)} {_share(tally.naive_hits, tally.failures)} "
            f"{_share(tally.model_hits, tally.model_flags)} "
            f"{_share(tally.naive_hits, tally.naive_flags)}")
        lines.append(f"{'':28} finals {tally.finals}, marks compared {tally.pairs}, failures "
                     f"{tally.failures}, flags {tally.model_flags} (model) / "
                     f"{tally.naive_flags} (naive)")
    return "\n".join(lines)


#: the model with one part switched off, to show what each part is worth on the same data
VARIANTS = (("without the trend", {"TREND_MAX_SHIFT": 0.0}),
            ("without the other disciplines", {"PRIOR_WEIGHT": 0.0}),
            ("without the pace (no н/а from the minimum)", {"NA_PROBABILITY": 2.0}))


def ablation(app) -> str:
    from plugins.forecast import model

    lines = ["", "The year, with one part of the model switched off:",
             f"{'':44} {'MAE':>5} {'exact':>6} {'recall':>6} {'precision':>9}"]
    for title, changes in VARIANTS:
        kept = {name: getattr(model, name) for name in changes}
        try:
            for name, value in changes.items():
                setattr(model, name, value)
            total = Tally()
            for tally in backtest(app).values():
                total.add(tally)
        finally:
            for name, value in kept.items():
                setattr(model, name, value)
        lines.append(f"{title:44} {total.model_error / (total.pairs or 1):5.3f} "
                     f"{_share(total.model_exact, total.pairs)} "
                     f"{_share(total.model_hits, total.failures)} "
                     f"{_share(total.model_hits, total.model_flags):>9}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="the database of a demo college (default: build one)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        app = _app(args.url, Path(workdir), args.seed)
        print(report(backtest(app)))
        print(ablation(app))


if __name__ == "__main__":
    main()
