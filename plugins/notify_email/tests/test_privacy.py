"""Property: whatever the families and whatever happens in the journal, no mail or SMS a parent
receives names a child who is not theirs (REQUIREMENTS §1; [FAMILY] acceptance).

Each case draws families at random (a parent of one or two children, a child with one or two
parents, some sharing), random marks and absences, then sends everything both channels have:
alerts, weekly digests, SMS of new marks and the monthly SMS report.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from core import migrate, outbox
from core.auth.passwords import hash_password
from core.extensions import db
from core.people.models import Guardian, RoleAssignment, StudentGuardian, User
from core.people.roles import ROLE_SCOPE, Role
from plugins.grading.tests.world import PASSWORD, build
from plugins.notify_email import services as email
from plugins.notify_email.models import Preference
from plugins.notify_email.tests.test_email import TODAY, mark
from plugins.notify_sms import services as sms
from plugins.notify_sms.tests.test_sms import gateway  # noqa: F401  (a fixture)
from tests.mail import Inbox, free_port

NAMES = ("Петров", "Смирнова", "Кузнецов", "Фёдорова")  # the world's students, in order


def draw_families(rng: random.Random) -> list[set[int]]:
    """Four to six parents; every child has at least one; some parents share a child."""
    parents = [set(rng.sample(range(4), rng.choice((1, 1, 2)))) for _ in range(rng.randint(4, 6))]
    for child in range(4):
        if not any(child in children for children in parents):
            rng.choice(parents).add(child)
    return parents


def add_families(app, world, parents: list[set[int]], weekday: int) -> dict[str, set[str]]:
    """Parents with e-mail and phone; returns each address's and phone's children's names."""
    theirs: dict[str, set[str]] = {}
    with app.app_context():
        for number, children in enumerate(parents):
            user = User(login=f"pp.parent{number}", password_hash=hash_password(PASSWORD),
                        last_name="Родителева", first_name=f"Мать{number}")
            user.roles.append(RoleAssignment(role=Role.PARENT, scope_kind=ROLE_SCOPE[Role.PARENT]))
            db.session.add(user)
            db.session.flush()
            address, phone = f"p{number}@family.example", f"+7900000{number:04d}"
            guardian = Guardian(last_name="Родителева", first_name=f"Мать{number}",
                                user_id=user.id, email=address, phone=phone)
            db.session.add(guardian)
            db.session.flush()
            for child in children:
                db.session.add(StudentGuardian(student_id=world.students[child],
                                               guardian_id=guardian.id))
            db.session.add(Preference(user_id=user.id, digest_weekday=weekday))
            theirs[address] = theirs[phone] = {NAMES[child] for child in children}
        db.session.commit()
    return theirs


def happen(app, world, rng: random.Random) -> None:
    """A dozen random marks and absences in distinct cells of the last five lessons, by the
    admin (no edit window); Смирнова has left the group by then."""
    cells = [(lesson, student) for lesson in range(TODAY - 4, TODAY + 1) for student in (0, 2, 3)]
    for lesson, student in rng.sample(cells, 12):
        if rng.random() < 0.3:
            mark(app, world, "admin", lesson, student, "н", kind="attendance")
        else:
            mark(app, world, "admin", lesson, student, rng.choice("2345"))


@pytest.mark.parametrize(("seed", "preset"), [(1, "btt"), (2, "btt"), (3, "ktis"), (4, "ktis")])
def test_no_parent_ever_receives_another_familys_child(make_app, tmp_path, gateway,  # noqa: F811
                                                       seed, preset):
    rng = random.Random(seed)
    handler, url = gateway
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'privacy.sqlite3'}", POLICY=preset,
                       MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                       MAIL_SUPPRESS_SEND=False, SMS_GATEWAY_URL=url, SMS_DAILY_CAP=100,
                       PUBLIC_URL="https://journal.example")
        migrate.upgrade(app)
        world = build(app, prefix="pp")
        day = world.dates[TODAY]
        theirs = add_families(app, world, draw_families(rng), day.isoweekday())
        happen(app, world, rng)
        noon = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)  # 12:00 in Moscow
        first = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        first_noon = datetime(first.year, first.month, first.day, 9, tzinfo=UTC)
        with app.test_request_context():
            email.queue_digests(noon)
            sms.queue_period_reports(first_noon)
            counts = outbox.deliver_due(now=first_noon)  # later than any message's due time
            queued = db.session.scalars(select(outbox.OutboxMessage)).all()
    finally:
        controller.stop()

    assert counts["failed"] == 0 and counts["sent"] == len(queued) > 0
    received = [(rcpts[0], message.get_body(("plain",)).get_content()
                 + (message.get_body(("html",)).get_content()
                    if message.get_body(("html",)) else "") + str(message["Subject"]))
                for rcpts, message in inbox.messages]
    received += [(fields["to"], fields["text"]) for fields in handler.received]
    assert len(received) == len(queued)
    assert {message.channel for message in queued} == {"email", "sms"}
    for recipient, content in received:
        strangers = set(NAMES) - theirs[recipient]
        assert not [name for name in strangers if name in content], (recipient, content)
        assert any(name in content for name in theirs[recipient]), (recipient, content)
