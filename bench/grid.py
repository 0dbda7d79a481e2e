"""Benchmark: the journal grid page (30 students × 80 lessons with marks and absences) against a
floor.

The floor is measured in the same run: raw sqlite3 queries for the same data and one Jinja
template rendering the same table: for the teacher (past lessons read-only) marks in one input a
cell, which is more than the teacher's page renders; for the administrator, who may change every
cell, a mark's and an absence's input in every cell, as the page has them. Prints the page's median render time, the floor's, their
ratio (target ≤ 2.0), the page's SQL query count and its size, as HTML and as sent compressed. No absolute time is asserted anywhere.

    .venv/bin/python bench/grid.py [--students 30] [--lessons 80] [--runs 15]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jinja2 import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FLOOR_TEMPLATE = Environment(autoescape=True).from_string("""
<table>
<tr><th></th>{% for l in lessons %}<th title="{{ l[2] }}">{{ l[1] }}</th>{% endfor %}<th>Ср.</th></tr>
{% for s in students %}<tr><th>{{ s[1] }} {{ s[2] }}</th>
{% for l in lessons %}<td><input name="cell-grading-{{ l[0] }}-{{ s[0] }}" value="{{ marks.get((l[0], s[0]), '') }}">
{%- if absences is not none %}<input name="cell-attendance-{{ l[0] }}-{{ s[0] }}" value="{{ absences.get((l[0], s[0]), '') }}">{% endif %}</td>{% endfor %}
<td>{{ averages.get(s[0], '') }}</td></tr>{% endfor %}
</table>""")


def build(students: int, lessons: int, workdir: Path, plugins: list[str]):
    from core import create_app, migrate
    from core.extensions import db
    from plugins.attendance.models import Absence
    from plugins.grading.models import Mark
    from plugins.journal.tests.world import build as build_world

    app = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
        "PLUGINS": plugins, "WTF_CSRF_ENABLED": False, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
    })
    migrate.upgrade(app)
    world = build_world(app, students=students, lessons=lessons, prefix="b")
    with app.app_context():
        rows = []
        for i, lesson_id in enumerate(world.lessons):
            for j, student_id in enumerate(world.students):
                if (i + j) % 3:
                    rows.append(Mark(lesson_id=lesson_id, student_id=student_id, position=0,
                                     mark_type="oral", value=str(3 + (i * j) % 3), version=1))
        db.session.add_all(rows)
        db.session.add_all(Absence(lesson_id=lesson_id, student_id=student_id, kind="absent",
                                   hours=2, version=1)
                           for i, lesson_id in enumerate(world.lessons)
                           for j, student_id in enumerate(world.students) if (i * 7 + j) % 19 == 0)
        db.session.commit()
    return app, world


def floor(db_path: Path, load_id: int, with_absences: bool = False) -> str:
    """The same journal's table the plainest way: marks (and, ``with_absences``, the absences
    in a second input of every cell, as the administrator's page has them)."""
    connection = sqlite3.connect(db_path)
    load = connection.execute("SELECT group_id FROM journal_teaching_load WHERE id=?",
                              (load_id,)).fetchone()
    students = connection.execute(
        "SELECT s.id, s.last_name, s.first_name FROM core_student s JOIN core_group_membership m "
        "ON m.student_id = s.id WHERE m.group_id = ? ORDER BY s.last_name", load).fetchall()
    lessons = connection.execute(
        "SELECT id, date, topic FROM journal_lesson WHERE load_id = ? ORDER BY date, pair_number",
        (load_id,)).fetchall()
    marks: dict[tuple[int, int], str] = {}
    sums: dict[int, list[int]] = {}
    for lesson_id, student_id, value in connection.execute(
            "SELECT m.lesson_id, m.student_id, m.value FROM grading_mark m JOIN journal_lesson l "
            "ON l.id = m.lesson_id WHERE l.load_id = ?", (load_id,)):
        marks[(lesson_id, student_id)] = value
        sums.setdefault(student_id, []).append(int(value))
    averages = {s: f"{sum(v) / len(v):.2f}" for s, v in sums.items()}
    absences = None
    if with_absences:
        absences = {(lesson_id, student_id): f"н{hours}" for lesson_id, student_id, hours in
                    connection.execute(
                        "SELECT a.lesson_id, a.student_id, a.hours FROM attendance_absence a "
                        "JOIN journal_lesson l ON l.id = a.lesson_id WHERE l.load_id = ?",
                        (load_id,))}
    connection.close()
    return FLOOR_TEMPLATE.render(students=students, lessons=lessons, marks=marks,
                                 averages=averages, absences=absences)


def interleaved_medians(first, second, runs: int) -> tuple[float, float]:
    """Median times of two actions run alternately, so that a noisy neighbour slows both alike."""
    first(), second()  # warm up
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, into in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            action()
            into.append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--lessons", type=int, default=80)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--plugins", default="journal,grading,attendance,planning",
                        help="the plugins enabled (the grid's own, and planning, which links "
                             "the journal's plan)")
    args = parser.parse_args()
    from tests.fixtures import count_queries

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        app, world = build(args.students, args.lessons, workdir, args.plugins.split(","))
        url = f"/journal/load/{world.ids['load']}"
        for who, what, two_inputs in (
                ("teacher", "past lessons: read-only cells", False),
                ("admin", "every cell a mark's and an absence's input", True)):
            client = app.test_client()
            client.post("/auth/login", data={"login": world.users[who].login,
                                             "password": "secret-pass-1"})
            page = client.get(url)
            assert page.status_code == 200, page.status_code
            with count_queries(app) as counter:
                client.get(url)
            grid, base = interleaved_medians(
                lambda: client.get(url).data,  # noqa: B023  (run before the next iteration)
                lambda inputs=two_inputs: floor(workdir / "bench.sqlite3", world.ids["load"],
                                                inputs), args.runs)
            print(f"grid page {args.students}×{args.lessons} as {who} ({what}): "
                  f"median {grid * 1000:.1f} ms")
            print(f"  floor (raw sqlite3 + one Jinja template, {'marks and absences, two inputs' if two_inputs else 'marks, one input'} a cell): median {base * 1000:.1f} ms")
            print(f"  ratio: {grid / base:.2f} (target ≤ 2.0)")
            print(f"  SQL statements for the page: {counter.count}")
            packed = client.get(url, headers={"Accept-Encoding": "gzip"})
            target = 80 if who == "teacher" else 160
            print(f"  size: {len(page.data) / 1024:.1f} KB as HTML (target ≤ {target} KB), "
                  f"{len(packed.data) / 1024:.0f} KB sent {packed.headers.get('Content-Encoding')}")


if __name__ == "__main__":
    main()
