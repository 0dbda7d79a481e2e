"""Past one server: two gunicorn app servers on two ports, one PostgreSQL, one Redis, one
worker. A session signed in through one is served by the other, the sign-in limit per address
is counted once for both, a report job started on one is downloaded from the other, and the
worker delivers the mail queued by either. Runs where the suite runs on PostgreSQL (CI's
PostgreSQL pass) and Redis answers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from core import migrate
from core.calendar.models import AcademicYear
from core.extensions import db
from core.people.models import User
from plugins.grading.tests.world import PASSWORD, build
from tests.concurrency import _fresh_schema, schema_url
from tests.fixtures import ROOT, TEST_DB_ENV
from tests.mail import Inbox, free_port

pytestmark = pytest.mark.committing
REDIS = "redis://127.0.0.1:6379/0"


def _services() -> str:
    url = os.environ.get(TEST_DB_ENV, "")
    if not url.startswith("postgresql"):
        pytest.skip("scale-out runs on PostgreSQL and Redis (CI's PostgreSQL pass)")
    import redis

    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    return url


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One user's browser behind a load balancer: one cookie jar (cookies do not name ports),
    each request sent to the server asked."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect())

    def send(self, base: str, path: str, data: dict | None = None, accept: str = "text/html"):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers={"Accept": accept})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def csrf(self, base: str, path: str) -> str:
        _status, _headers, page = self.send(base, path)
        return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()

    def sign_in(self, base: str, login: str, password: str = PASSWORD) -> int:
        token = self.csrf(base, "/auth/login")
        return self.send(base, "/auth/login", {"csrf_token": token, "login": login,
                                               "password": password})[0]


def _wait_until(check, what: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.fixture
def farm(make_app, tmp_path):
    url = _services()
    schema = f"scaleout_{os.getpid()}"
    _fresh_schema(url, schema)
    database = schema_url(url, schema)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    shared = {"DATABASE_URL": database, "REDIS_URL": REDIS, "SECRET_KEY": "scale-out-secret",
              "AUDIT_KEY": "scale-out-audit-key-of-at-least-32-characters",
              "WORKER_QUEUE": schema, "RATELIMIT_KEY_PREFIX": schema,
              "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port}
    app = make_app(**shared)
    migrate.upgrade(app)
    world = build(app, prefix="so")
    with app.app_context():
        db.session.execute(update(User).where(User.id == world.users["teacher"].id)
                           .values(email="teacher@college.example"))
        db.session.commit()
    env = {**os.environ, **{f"EJOURNAL_{key}": str(value) for key, value in shared.items()},
           "EJOURNAL_PLUGINS": json.dumps(app.config["PLUGINS"]), "EJOURNAL_POLICY": "btt"}
    processes, servers = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            own = {**env, "EJOURNAL_INSTANCE_PATH": str(tmp_path / f"server-{name}")}
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                 "wsgi:app"], cwd=ROOT, env=own, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
            servers.append(f"http://127.0.0.1:{port}")
        worker_env = {**env, "EJOURNAL_INSTANCE_PATH": str(tmp_path / "worker")}
        processes.append(subprocess.Popen([sys.executable, "-m", "core.cli", "worker"],
                                          cwd=ROOT, env=worker_env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        for base in servers:
            _wait_until(lambda base=base: _answers(base), f"{base} serves")
        yield app, world, servers, inbox
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        smtp.stop()
        import redis

        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"*{schema}*"):
            client.delete(key)
        with app.app_context():
            db.engine.dispose()
        _fresh_schema(url, schema, drop_only=True)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/auth/login", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def test_two_app_servers_share_sessions_jobs_mail_and_limits(farm):
    app, world, (a, b), inbox = farm
    admin = Browser()
    assert admin.sign_in(a, world.users["admin"].login) == 302
    status, _headers, home = admin.send(b, "/")
    assert status == 200 and "Соколова".encode() in home  # signed in through A, served by B

    # a report job started on A runs in the one worker and is downloaded from B
    with app.app_context():
        year_id = db.session.scalar(select(AcademicYear.id))
    query = f"group={world.ids['g1']}&year={year_id}"
    token = admin.csrf(a, f"/reports/reports.year_journal?run=1&{query}")
    status, headers, _body = admin.send(a, "/reports/reports.year_journal/jobs", {
        "csrf_token": token, "group": world.ids["g1"], "year": year_id, "format": "xlsx"})
    assert status == 302
    job = urllib.parse.urlparse(headers["Location"]).path

    def job_done() -> bool:
        answer = json.loads(admin.send(b, job, accept="application/json")[2])
        assert answer["status"] != "failed", answer
        return answer["status"] == "done"

    _wait_until(job_done, "the report job is done")
    status, headers, content = admin.send(b, job + "/file")
    assert status == 200 and content.startswith(b"PK")  # an XLSX workbook

    # mail queued through either server reaches the teacher through the one worker
    teacher_id = world.users["teacher"].id
    for base, subject in ((a, "Через первый сервер"), (b, "Через второй сервер")):
        token = admin.csrf(base, "/messages/new")
        status, _h, _b = admin.send(base, "/messages/new", {
            "csrf_token": token, "to": f"user:{teacher_id}", "subject": subject,
            "body": "Проверка доставки"})
        assert status == 302, subject

    def delivered() -> set[str]:
        return {str(message["Subject"]) for _to, message in list(inbox.messages)}

    _wait_until(lambda: {"Новое сообщение: Через первый сервер",
                         "Новое сообщение: Через второй сервер"} <= delivered(),
                "both mails delivered")

    # the limit of failed sign-ins per address is one count for both servers (Redis)
    stranger = Browser()
    answers = [stranger.sign_in(base, f"nobody{number}", "wrong")
               for number, base in enumerate([a, b] * 4)]
    assert 429 in answers
    assert answers.index(429) <= 5  # 5 per minute from one address, counted across servers
