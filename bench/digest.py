"""Benchmark: weekly digests for 1,000 parents handed to a local SMTP server (aiosmtpd).

Builds the digests through the real path (each parent's children's diary week rendered to HTML
and text, queued in the outbox), then delivers them with the outbox's worker function and, in the
same run, sends the same prepared messages with plain smtplib over one connection. Prints the
build time, the delivery rate (target ≥ 200 messages a second) and the ratio of the two rates
(goal ≥ 0.6), medians of interleaved rounds (each round sends every message again). No absolute
time is asserted anywhere.

    .venv/bin/python bench/digest.py [--parents 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(parents: int, workdir: Path, port: int):
    from core import create_app, migrate
    from core.extensions import db
    from core.people.roles import Role
    from plugins.grading.tests.world import build as build_world
    from plugins.notify_email.models import Preference
    from tests.college import add_guardian, add_user

    app = create_app({
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(workdir / "instance"), "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port, "WORKER_WAKE": False, "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1,
    })
    migrate.upgrade(app)
    world = build_world(app, prefix="bench")
    with app.app_context():
        for number in range(parents):
            user = add_user(f"parent{number}", Role.PARENT, "Родителева", f"Мария{number}")
            add_guardian(user.id, "Родителева", "Мария", [world.students[number % 4]],
                         email=f"parent{number}@family.example")
            db.session.add(Preference(user_id=user.id, digest_weekday=world.dates[-1].isoweekday()))
        db.session.commit()
    return app, world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parents", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from core import outbox
    from core.extensions import db
    from plugins.notify_email import services

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app, world = build(args.parents, Path(tmp), controller.port)
            day = world.dates[-1]
            with app.test_request_context():
                started = time.perf_counter()
                queued = services.queue_digests(datetime(day.year, day.month, day.day, 9,
                                                         tzinfo=UTC))
                built = time.perf_counter() - started
                prepared = [(m.recipient, m.payload.encode()) for m in db.session.scalars(
                    db.select(outbox.OutboxMessage))]
                db.session.commit()
                ours, plain = [], []
                for _round in range(args.rounds):  # interleaved: both meet the same machine
                    db.session.execute(db.update(outbox.OutboxMessage).values(
                        status="pending", not_before=datetime(2000, 1, 1, tzinfo=UTC)))
                    db.session.commit()
                    started = time.perf_counter()
                    counts = outbox.deliver_due(limit=args.parents * 2)
                    ours.append(time.perf_counter() - started)
                    assert counts["sent"] == queued == args.parents, (counts, queued)
                    started = time.perf_counter()
                    with smtplib.SMTP("127.0.0.1", controller.port) as connection:
                        for recipient, data in prepared:
                            connection.sendmail("ejournal@localhost", [recipient], data)
                    plain.append(time.perf_counter() - started)
    finally:
        controller.stop()
    ours, plain = statistics.median(ours), statistics.median(plain)
    print(f"digests built and queued: {queued} in {built:.2f} s ({queued / built:.0f} a second)")
    print(f"outbox delivery: {queued / ours:.0f} messages a second (target ≥ 200)")
    print(f"plain smtplib, same messages, one connection: {queued / plain:.0f} a second")
    print(f"ratio: {plain / ours:.2f} (goal ≥ 0.6)")
    print(f"received by the SMTP server: {counter.count}")


if __name__ == "__main__":
    main()
