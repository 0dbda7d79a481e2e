"""A region on one farm: two colleges served by one process (``core.region``), one by path
prefix and one by host name, each with its own preset, plugins and database. Nothing of one
reaches the other: users, sessions, plugins, settings, the outbox; ``ejournal --college``
runs a command for one of them."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from werkzeug.test import Client

from core import migrate, outbox, settings
from core.cli import cli
from core.errors import StartupError
from core.extensions import db
from core.people.models import User
from core.people.roles import Role
from core.plugins.manager import available_plugins
from core.region import REGION_ENV, create_region, read_region
from tests.college import PASSWORD, add_user
from tests.concurrency import _fresh_schema, schema_url
from tests.fixtures import TEST_DB_ENV

KTIS_HOST = "ktis.region.test"
COMMON = {"AUDIT_KEY": "region-audit-key-of-at-least-32-characters", "WTF_CSRF_ENABLED": False,
          "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value) if isinstance(value, int) else '"' + str(value) + '"'


def _databases(tmp_path) -> tuple[dict[str, str], list[str]]:
    url = os.environ.get(TEST_DB_ENV, "")
    if not url.startswith("postgresql"):
        return {name: f"sqlite:///{tmp_path / f'{name}.sqlite3'}" for name in ("btt", "ktis")}, []
    schemas, urls = [], {}
    for name in ("btt", "ktis"):
        schema = f"region_{name}_{os.getpid()}"
        _fresh_schema(url, schema)
        schemas.append(schema)
        urls[name] = schema_url(url, schema)
    return urls, schemas


@pytest.fixture
def region(tmp_path, monkeypatch):
    databases, schemas = _databases(tmp_path)
    every = sorted(available_plugins())
    without_forum = [name for name in every if name != "forum"]
    # the first college keeps its database and key in its instance's config.py, as a
    # college does; the second has them in the region's file
    btt = tmp_path / "btt"
    btt.mkdir()
    (btt / "config.py").write_text(f'DATABASE_URL = "{databases["btt"]}"\n'
                                   'SECRET_KEY = "btt-secret"\n', encoding="utf-8")
    lines = ["[colleges.btt]", 'prefix = "/btt"', f'instance = "{btt}"',
             "[colleges.btt.config]", 'POLICY = "btt"', f"PLUGINS = {_toml(every)}",
             *(f"{key} = {_toml(value)}" for key, value in COMMON.items()),
             "[colleges.ktis]", f'host = "{KTIS_HOST}"', f'instance = "{tmp_path / "ktis"}"',
             "[colleges.ktis.config]", 'POLICY = "ktis"', f"PLUGINS = {_toml(without_forum)}",
             f'DATABASE_URL = "{databases["ktis"]}"', 'SECRET_KEY = "ktis-secret"',
             *(f"{key} = {_toml(value)}" for key, value in COMMON.items())]
    path = tmp_path / "region.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("EJOURNAL_DATABASE_URL", "EJOURNAL_INSTANCE_PATH", "EJOURNAL_POLICY",
                 "EJOURNAL_PLUGINS", "EJOURNAL_SECRET_KEY", "EJOURNAL_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(REGION_ENV, str(path))
    farm = create_region()
    for name, app in farm.apps.items():
        migrate.upgrade(app)
        with app.app_context():
            add_user(f"{name}.admin", Role.ADMIN, "Администраторова", name.upper())
            settings.put("college.name", f"Колледж {name.upper()}")
            outbox.enqueue("email", f"parent@{name}.example", f"region-{name}",
                           subject="Проверка", text="Текст")
            db.session.commit()
    yield farm
    for app in farm.apps.values():
        with app.app_context():
            db.engine.dispose()
    for schema in schemas:
        _fresh_schema(os.environ[TEST_DB_ENV], schema, drop_only=True)


def _sign_in(client: Client, login: str, base: str = "", host: str = "localhost") -> int:
    response = client.post(f"{base}/auth/login", data={"login": login, "password": PASSWORD},
                           headers={"Host": host})
    return response.status_code


def test_each_college_is_reached_by_its_prefix_or_host_and_nothing_crosses(region):
    client = Client(region)
    assert _sign_in(client, "btt.admin", "/btt") == 302
    home = client.get("/btt/", headers={"Host": "localhost"})
    assert home.status_code == 200 and "Здравствуйте, BTT!" in home.get_data(as_text=True)
    assert 'href="/btt/' in home.get_data(as_text=True)  # links stay within the college
    # the same browser at the other college: not signed in there, and its user is unknown
    other = client.get("/", headers={"Host": KTIS_HOST})
    assert other.status_code == 302 and "/auth/login" in other.headers["Location"]
    assert _sign_in(client, "btt.admin", host=KTIS_HOST) != 302
    assert _sign_in(client, "ktis.admin", host=KTIS_HOST) == 302
    page = client.get("/", headers={"Host": KTIS_HOST}).get_data(as_text=True)
    assert "Здравствуйте, KTIS!" in page and "BTT" not in page
    # still signed in at the first: the cookies are the college's own
    assert client.get("/btt/", headers={"Host": "localhost"}).status_code == 200
    # the forum is enabled in BTT only
    assert client.get("/btt/forum/", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/forum/", headers={"Host": KTIS_HOST}).status_code == 404
    # an address of no college
    assert client.get("/nowhere/", headers={"Host": "localhost"}).status_code == 404


def test_each_college_keeps_its_own_users_settings_outbox_and_policy(region):
    for name, app in region.apps.items():
        with app.app_context():
            logins = set(db.session.scalars(select(User.login)))
            assert f"{name}.admin" in logins
            assert not {login for login in logins if login.endswith(".admin")} - {f"{name}.admin"}
            assert settings.get("college.name") == f"Колледж {name.upper()}"
            recipients = set(db.session.scalars(select(outbox.OutboxMessage.recipient)))
            assert recipients == {f"parent@{name}.example"}
            assert app.config["POLICY"] == name
            assert ("forum" in app.config["PLUGINS"]) == (name == "btt")
    queues = {app.config["WORKER_QUEUE"] for app in region.apps.values()}
    assert len(queues) == 2  # one Redis may serve both workers


def test_a_command_runs_for_the_college_named(region):
    runner = CliRunner()
    for name in ("btt", "ktis"):
        result = runner.invoke(cli, ["--college", name, "db", "current"])
        assert result.exit_code == 0, result.output
    with region.apps["ktis"].app_context():
        before = db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage))
    result = runner.invoke(cli, ["--college", "nosuch", "db", "current"])
    assert result.exit_code != 0
    with region.apps["ktis"].app_context():
        assert db.session.scalar(select(func.count()).select_from(outbox.OutboxMessage)) == before


def test_a_region_file_with_a_mistake_is_refused_in_russian(tmp_path):
    path = tmp_path / "region.toml"
    for text, words in (("", "нет ни одного колледжа"),
                        ('[colleges.a]\ninstance = "x"\n', "ровно один из ключей"),
                        ('[colleges.a]\nprefix = "a"\ninstance = "x"\n', "вида «/btt»"),
                        ('[colleges.a]\nprefix = "/a"\ninstance = "x"\n'
                         '[colleges.b]\nprefix = "/a"\ninstance = "y"\n', "один и тот же"),
                        ('[colleges.A]\nprefix = "/a"\ninstance = "x"\n', "имя колледжа")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(StartupError, match=words):
            read_region(path)
