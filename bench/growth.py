"""Benchmark: the pages people open often, in year one and in year seven.

Loads the demo college (its current year and one finished year), times each page a user opens
often (the list of journals, the grid, a lesson, the diary, «Пропуски», every role's home page,
the audit and delivery logs, the main reports) and counts its SQL statements; then grows the
same database by seven finished past years, each made of copies of the demo's finished year
with its dates moved back by whole weeks (loads, lessons, marks, absences, finals, plans and
their histories: every row that hangs off the year's terms), until there are at least
``--marks`` marks, with the audit and delivery logs grown in proportion; and times the same
pages again. Prints, per page, both times, their ratio (target ≤ 1.2) and both statement counts.
Both measurements are made in the same run on the same machine; no absolute time is a target.

    .venv/bin/python bench/growth.py [--database sqlite|postgresql] [--marks 2000000] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Date, DateTime, event, func, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "ej_growth_bench"
PASSWORD = "demo2026"
PAST_YEARS = 7
WEEKS_A_YEAR = 52  # moving by whole weeks keeps every lesson on its weekday
CHUNK = 5000


# --- the college -------------------------------------------------------------------------------


def _pg_admin(*statements: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def database_url(kind: str, workdir: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'{name}.sqlite3'}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}_{name}"


def fresh(kind: str, workdir: Path, name: str) -> str:
    if kind == "postgresql":
        database = f"{PG_DATABASE}_{name}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
                  f'CREATE DATABASE "{database}"')
    return database_url(kind, workdir, name)


def clone(kind: str, workdir: Path, source: str, name: str) -> str:
    """A copy of the database ``source`` named ``name`` (its engines disposed first)."""
    if kind == "sqlite":
        import sqlite3

        with sqlite3.connect(workdir / f"{source}.sqlite3") as origin, \
                sqlite3.connect(workdir / f"{name}.sqlite3") as copy:
            origin.backup(copy)
    else:
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}_{name}" WITH (FORCE)',
                  f'CREATE DATABASE "{PG_DATABASE}_{name}" TEMPLATE "{PG_DATABASE}_{source}"')
    return database_url(kind, workdir, name)


def load_demo(url: str, workdir: Path) -> None:
    env = {**os.environ, "EJOURNAL_DATABASE_URL": url,
           "EJOURNAL_INSTANCE_PATH": str(workdir / "instance"),
           "EJOURNAL_BACKUP_DESTINATIONS": "[]"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([sys.executable, "-m", "core.cli", *command], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)


def make_app(url: str, workdir: Path):
    from core import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(workdir / "instance"),
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                       "WORKER_IMMEDIATE": False, "BACKUP_DESTINATIONS": []})


# --- the pages ---------------------------------------------------------------------------------


def pages(app) -> list[tuple[str, str, str]]:
    """(label, login, URL) of the pages to time, found in the demo."""
    from core.calendar.clock import college_today
    from core.calendar.models import AcademicYear, Term
    from core.extensions import db
    from core.people.models import Group, User
    from plugins.journal.models import Lesson, TeachingLoad

    with app.test_request_context():
        today = college_today()
        teacher = db.session.scalar(select(User).where(User.login == "biriukova.iue"))
        term = db.session.scalar(select(Term).join(AcademicYear).where(
            AcademicYear.is_current.is_(True)).order_by(Term.number))
        load_id = db.session.scalar(select(TeachingLoad.id).where(
            TeachingLoad.teacher_id == teacher.id, TeachingLoad.term_id == term.id)
            .order_by(TeachingLoad.id))
        lesson_id = db.session.scalar(select(Lesson.id).where(
            Lesson.load_id == load_id, Lesson.date <= today).order_by(Lesson.date.desc()))
        group = db.session.scalar(select(Group).where(Group.curator_id.is_not(None))
                                  .order_by(Group.name))
        curator = db.session.get(User, group.curator_id)
        year_id = db.session.scalar(select(AcademicYear.id).where(
            AcademicYear.is_current.is_(True)))
    period = f"start={term.starts_on.isoformat()}&end={min(today, term.ends_on).isoformat()}"
    return [
        ("journal list (teacher)", "biriukova.iue", "/journal/"),
        ("journal list (administrator)", "admin", "/journal/"),
        ("grid (teacher)", "biriukova.iue", f"/journal/load/{load_id}"),
        ("grid (administrator)", "admin", f"/journal/load/{load_id}"),
        ("lesson page", "biriukova.iue", f"/journal/lessons/{lesson_id}"),
        ("diary (parent)", "anisimova.sv", "/diary/"),
        ("diary (student)", "anisimov.am", "/diary/"),
        ("«Пропуски» (curator)", curator.login, f"/attendance/groups/{group.id}/week"),
        ("home (teacher)", "biriukova.iue", "/"),
        ("home (curator)", curator.login, "/"),
        ("home (parent)", "anisimova.sv", "/"),
        ("home (student)", "anisimov.am", "/"),
        ("home (deputy)", "deputy", "/"),
        ("home (director)", "director", "/"),
        ("home (administrator)", "admin", "/"),
        ("audit log", "admin", "/admin/audit"),
        ("delivery log", "admin", "/admin/delivery"),
        ("report: progress statement", "deputy",
         f"/reports/grading.progress?run=1&group={group.id}&{period}"),
        ("report: attendance", "deputy",
         f"/reports/attendance.group?run=1&group={group.id}&{period}"),
        ("report: year journal", "deputy",
         f"/reports/reports.year_journal?run=1&group={group.id}&year={year_id}"),
        ("reports index", "deputy", "/reports/"),
    ]


class Statements:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def _seen(self, *_args, **_kwargs):
        self.count += 1

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._seen)


class Visitor:
    """One app's signed-in clients, one per login."""

    def __init__(self, app):
        from core.extensions import db

        self.app, self.clients = app, {}
        with app.app_context():
            self.engine = db.engine

    def client(self, login: str):
        if login not in self.clients:
            client = self.app.test_client()
            answer = client.post("/auth/login", data={"login": login, "password": PASSWORD})
            if answer.status_code != 302:
                raise SystemExit(f"cannot sign in as {login}: {answer.status_code}")
            self.clients[login] = client
        return self.clients[login]

    def landing(self, login: str, url: str) -> str:
        """The page a URL ends on (the diary sends a family to its child's page)."""
        for _ in range(3):
            answer = self.client(login).get(url)
            if answer.status_code not in (301, 302, 303):
                return url
            url = answer.headers["Location"]
        return url

    def timed(self, login: str, url: str) -> float:
        started = time.perf_counter()
        self.client(login).get(url)
        return time.perf_counter() - started

    def statements(self, login: str, url: str) -> tuple[int, int]:
        client = self.client(login)
        with Statements(self.engine) as counted:
            status = client.get(url).status_code
        return counted.count, status


def measure(one, seven, chosen: list[tuple[str, str, str]], runs: int) -> list[tuple]:
    """Per page: the median times in year one and seven, measured in turns (so that the
    machine's noise falls on both alike), the statements and statuses of both."""
    rows = []
    for label, login, url in chosen:
        url = one.landing(login, url)
        for visitor in (one, seven):
            for _ in range(2):
                visitor.timed(login, url)  # warm: templates compiled, caches filled
        first, last = [], []
        for _ in range(runs):
            first.append(one.timed(login, url))
            last.append(seven.timed(login, url))
        rows.append((label, statistics.median(first), statistics.median(last),
                     *one.statements(login, url), *seven.statements(login, url)))
    return rows


# --- growing -----------------------------------------------------------------------------------


class Copier:
    """Copies rows that hang (by foreign keys, through any number of tables) off some rows
    already copied, with new ids, their links moved to the copies, and their dates shifted."""

    def __init__(self, connection, metadata, shift: timedelta, skip: set[str]):
        self.connection, self.metadata, self.shift, self.skip = connection, metadata, shift, skip
        self.moved: dict[str, dict[int, int]] = {}  # table -> old id -> new id
        self.next_id: dict[str, int] = {}

    def new_ids(self, table, old_ids: list[int]) -> dict[int, int]:
        start = self.next_id.get(table.name)
        if start is None:
            start = (self.connection.scalar(select(func.max(table.c.id))) or 0) + 1
        self.next_id[table.name] = start + len(old_ids)
        return {old: start + number for number, old in enumerate(old_ids)}

    def shifted(self, table, row: dict) -> dict:
        for column in table.columns:
            value = row.get(column.name)
            if value is None:
                continue
            moves = (isinstance(column.type, DateTime) and isinstance(value, datetime)) or (
                isinstance(column.type, Date) and isinstance(value, date))
            if moves:
                row[column.name] = value + self.shift
        return row

    def copy(self, table, rows: list[dict], overrides=None) -> None:
        has_id = "id" in table.c and table.c.id.primary_key
        ids = self.new_ids(table, [row["id"] for row in rows]) if has_id else {}
        links = [(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys
                 if fk.column.name == "id"]
        out = []
        for row in rows:
            row = self.shifted(table, dict(row))
            for column, target in links:
                if row.get(column) is not None and row[column] in self.moved.get(target, {}):
                    row[column] = self.moved[target][row[column]]
            if has_id:
                row["id"] = ids[row["id"]]
            if overrides:
                row.update(overrides(row))
            out.append(row)
        for start in range(0, len(out), CHUNK):
            self.connection.execute(insert(table), out[start:start + CHUNK])
        if has_id:
            self.moved.setdefault(table.name, {}).update(ids)

    def follow(self) -> dict[str, int]:
        """Copy every table's rows that link to copied rows, parents before children."""
        copied = {}
        for table in self.metadata.sorted_tables:
            if table.name in self.skip or table.name in self.moved:
                continue
            links = [fk for fk in table.foreign_keys if fk.column.name == "id"
                     and fk.column.table.name in self.moved and fk.column.table is not table]
            if not links:
                continue
            rows = []
            seen = set()
            for fk in links:
                old = list(self.moved[fk.column.table.name])
                for start in range(0, len(old), CHUNK):
                    for row in self.connection.execute(select(table).where(
                            fk.parent.in_(old[start:start + CHUNK]))).mappings():
                        key = tuple(row[c.name] for c in table.primary_key.columns)
                        if key not in seen:
                            seen.add(key)
                            rows.append(dict(row))
            if rows:
                self.copy(table, rows)
                copied[table.name] = len(rows)
        return copied


def grow(app, marks_wanted: int) -> dict[str, int]:
    """Seven finished past years before the demo's finished one, each of as many copies of
    it as reach ``marks_wanted`` marks in all; the audit and delivery logs grown alike."""
    from core.calendar.models import AcademicYear, Holiday, Term
    from core.extensions import db

    metadata = db.metadata
    totals: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            base = connection.execute(select(AcademicYear).where(
                AcademicYear.is_current.is_(False)).order_by(AcademicYear.starts_on)).mappings().first()
            marks_now = connection.scalar(text("SELECT count(*) FROM grading_mark"))
            terms = [dict(row) for row in connection.execute(
                select(Term).where(Term.year_id == base["id"])).mappings()]
            base_marks = connection.scalar(text(
                "SELECT count(*) FROM grading_mark m JOIN journal_lesson l ON l.id = m.lesson_id "
                "JOIN journal_teaching_load t ON t.id = l.load_id JOIN core_term r "
                "ON r.id = t.term_id WHERE r.year_id = :y"), {"y": base["id"]})
            copies = max(1, -(-(marks_wanted - marks_now) // (PAST_YEARS * max(base_marks, 1))))
            print(f"growing: {PAST_YEARS} past years × {copies} copies of the finished year "
                  f"({base_marks:,} marks each)", flush=True)
            skip = {"core_academic_year", "core_term", "core_holiday", "core_audit",
                    "core_outbox"}
            for back in range(1, PAST_YEARS + 1):
                shift = -timedelta(weeks=WEEKS_A_YEAR * back)
                years = Copier(connection, metadata, shift, skip)
                first = base["starts_on"].year - back
                years.copy(AcademicYear.__table__, [dict(base)], lambda _row, first=first: {
                    "title": f"{first}/{first + 1}", "is_current": False})
                years.copy(Term.__table__, [dict(term) for term in terms])
                holidays = [dict(row) for row in connection.execute(
                    select(Holiday).where(Holiday.year_id == base["id"])).mappings()]
                if holidays:
                    years.copy(Holiday.__table__, holidays)
                for _copy in range(copies):
                    loads = Copier(connection, metadata, shift, skip | {"core_group"})
                    loads.moved["core_term"] = {term["id"]: years.moved["core_term"][term["id"]]
                                                for term in terms}
                    loads.next_id = years.next_id
                    for name, count in loads.follow().items():
                        totals[name] = totals.get(name, 0) + count
                    years.next_id = loads.next_id
                print(f"  {first}/{first + 1}: done", flush=True)
        seed_outbox(app)
        with engine.begin() as connection:
            for name, wanted in (("core_audit", 500_000), ("core_outbox", 200_000)):
                totals[name] = grow_log(connection, metadata.tables[name], wanted)
    return totals


def seed_outbox(app) -> None:
    """The demo sends nothing; the log to grow needs a row of each channel."""
    from core import outbox
    from core.extensions import db

    with app.test_request_context():
        outbox.enqueue("email", "parent@family.example", "growth-email", subject="Дневник",
                       text="Оценки за неделю")
        outbox.enqueue("sms", "+79990000000", "growth-sms", text="Пропуск занятия")
        db.session.commit()


def grow_log(connection, table, wanted: int) -> int:
    """The log's rows again until about ``wanted``, the rounds spread back over the seven
    years (a bench's copy: the audit chain of the copies is not a chain, and nothing here
    verifies it)."""
    rows = [dict(row) for row in connection.execute(select(table)).mappings()]
    if not rows:
        return 0
    factor = max(1, wanted // len(rows))
    copier = Copier(connection, None, timedelta(0), set())
    unique = {c.name for c in table.columns if c.unique} | {
        c.name for constraint in table.constraints if getattr(constraint, "columns", None)
        and constraint.__class__.__name__ == "UniqueConstraint" for c in constraint.columns}
    added = 0
    for back in range(1, factor + 1):
        copier.shift = -timedelta(weeks=WEEKS_A_YEAR * PAST_YEARS) * back / factor
        copier.copy(table, [dict(row) for row in rows], lambda row, back=back: {
            name: f"{row[name]}~{back}" for name in unique if isinstance(row.get(name), str)})
        added += len(rows)
    return added


def counts(app) -> dict[str, int]:
    from core.extensions import db

    with app.app_context():
        return {name: db.session.scalar(text(f"SELECT count(*) FROM {name}")) for name in (
            "grading_mark", "journal_lesson", "journal_teaching_load", "attendance_absence",
            "core_audit", "core_outbox")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--marks", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from core.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        url = fresh(args.database, workdir, "one")
        print(f"== growth on {args.database}: loading the demo college", flush=True)
        load_demo(url, workdir)
        grown = clone(args.database, workdir, "one", "seven")
        app = make_app(grown, workdir)
        grow(app, args.marks)
        with app.app_context():
            if args.database == "postgresql":
                with db.engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
            db.engine.dispose()
        one, seven = make_app(url, workdir), make_app(grown, workdir)
        for label, app in (("year one", one), ("year seven", seven)):
            print(f"{label}:", ", ".join(f"{k} {v:,}" for k, v in counts(app).items()))
        rows = measure(Visitor(one), Visitor(seven), pages(one), args.runs)
        print(f"\n{'page':34} {'year 1':>8} {'year 7':>8} {'ratio':>6}  SQL 1→7  status")
        worst = 0.0
        for label, first, last, sql_one, status_one, sql_seven, status_seven in rows:
            ratio = last / first
            worst = max(worst, ratio)
            mark = "ok" if ratio <= 1.2 and sql_seven == sql_one else "OVER"
            print(f"{label:34} {first * 1000:7.1f}ms {last * 1000:7.1f}ms {ratio:6.2f}  "
                  f"{sql_one:>3}→{sql_seven:<3}  {status_one}/{status_seven} {mark}")
        print(f"\nworst ratio {worst:.2f} (target ≤ 1.2; statements must not grow)")


if __name__ == "__main__":
    main()
