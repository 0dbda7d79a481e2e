"""Benchmark: printed reports against plain xhtml2pdf on the same HTML (ratios in one run).

Builds a group of 30 students with 10 journals of 34 lessons (marks, absences, finals) and
measures:

- the one-page summary statement: the whole report layer (data, template, PDF with the resource
  policy) against plain ``pisa.CreatePDF`` of the very HTML the layer produced (goal ≤ 1.3), and
  its time (target < 0.5 s, shown for information);
- the year journal (about 60 pages) the same way, in a child process so that its peak memory
  (ru_maxrss) is its own (targets < 15 s and < 300 MiB, shown for information).

Prints medians of interleaved runs; asserts nothing.

    .venv/bin/python bench/pdf.py [--journals 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_app(workdir: Path):
    from core import create_app

    return create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1,
    })


def build(workdir: Path, journals: int) -> dict:
    from sqlalchemy import insert, select

    from core import migrate
    from core.calendar.models import AcademicYear
    from core.extensions import db
    from plugins.attendance.models import Absence
    from plugins.grading.models import Final, Mark
    from plugins.journal.models import Discipline, Lesson, TeachingLoad
    from plugins.journal.tests.world import TERM_START
    from plugins.journal.tests.world import build as build_world

    app = make_app(workdir)
    migrate.upgrade(app)
    world = build_world(app, students=30, lessons=0, prefix="b")
    with app.app_context():
        teacher_id = world.users["teacher"].id
        for number in range(journals):
            discipline = Discipline(code=f"ОП.{number + 1:02d}",
                                    name=f"Дисциплина профессионального цикла № {number + 1}",
                                    kind="discipline")
            db.session.add(discipline)
            db.session.flush()
            load = TeachingLoad(teacher_id=teacher_id, group_id=world.ids["group"],
                                discipline_id=discipline.id, term_id=world.ids["term"],
                                hours_per_week=2, hours_total=68)
            db.session.add(load)
            db.session.flush()
            db.session.execute(insert(Lesson), [
                {"load_id": load.id, "date": TERM_START + timedelta(days=3 * day),
                 "pair_number": 1 + number % 4, "hours": 2, "work_type": "lecture",
                 "topic": f"Тема {day + 1}: построение и чтение чертежей деталей", "homework":
                 "§ 12, задачи 1–5", "taught_by_id": teacher_id, "version": 1}
                for day in range(34)])
            lessons = db.session.scalars(select(Lesson.id).where(Lesson.load_id == load.id)).all()
            db.session.execute(insert(Mark), [
                {"lesson_id": lesson, "student_id": student, "position": 0, "mark_type": "oral",
                 "value": str(3 + (i * j) % 3), "version": 1}
                for i, lesson in enumerate(lessons) for j, student in enumerate(world.students)
                if (i + j) % 3 == 0])
            db.session.execute(insert(Absence), [
                {"lesson_id": lesson, "student_id": student, "kind": "absent", "hours": 2,
                 "minutes": 0, "reason": "", "version": 1}
                for i, lesson in enumerate(lessons) for j, student in enumerate(world.students)
                if (i * 7 + j) % 23 == 0])
            db.session.execute(insert(Final), [
                {"load_id": load.id, "student_id": student, "kind": "term",
                 "value": "na" if j % 11 == 0 else str(3 + j % 3), "version": 1}
                for j, student in enumerate(world.students)])
        db.session.commit()
        year_id = db.session.scalar(select(AcademicYear.id))
    return {"group": world.ids["group"], "year": year_id, "admin": world.users["admin"].id}


def measure(workdir: Path, ids: dict, name: str, file_format: str = "pdf",
            warm: bool = True) -> dict:
    """One run: the report layer, then plain xhtml2pdf on the HTML it produced."""
    from xhtml2pdf import pisa

    from core.extensions import db
    from core.people.models import User
    from plugins.reports import pdf, registry, render

    app = make_app(workdir)
    with app.test_request_context():
        user = db.session.get(User, ids["admin"])
        provider = registry.providers()[name]
        query = registry.parse(user, provider, {"group": str(ids["group"]),
                                                "year": str(ids["year"])})
        if warm:  # fonts loaded and templates compiled once, as in a running server
            render.render(provider, query, file_format)
        started = time.perf_counter()
        rendered = render.render(provider, query, file_format)
        ours = time.perf_counter() - started
        html = render.print_html(provider.build(query))
        started = time.perf_counter()
        out = BytesIO()
        pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=pdf.link_callback)
        plain = time.perf_counter() - started
    pages = rendered.content.count(b"/Type /Page\n") or rendered.content.count(b"/Type /Page")
    return {"ours": ours, "plain": plain, "pages": pages,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(workdir: str, ids: str, name: str) -> None:
    # the long journal runs cold (as the worker's first job would); the statement warm
    print(json.dumps(measure(Path(workdir), json.loads(ids), name,
                             warm=name != "reports.year_journal")))


def run_child(workdir: Path, ids: dict, name: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(workdir), json.dumps(ids),
                           name], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(title: str, runs: list[dict], target: str) -> None:
    ours = statistics.median(r["ours"] for r in runs)
    plain = statistics.median(r["plain"] for r in runs)
    print(f"{title}: {runs[0]['pages']} pages; report layer {ours:.2f} s, plain xhtml2pdf "
          f"{plain:.2f} s, ratio {ours / plain:.2f} (goal ≤ 1.3); {target}; "
          f"peak {max(r['peak_mib'] for r in runs):.0f} MiB")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journals", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        ids = build(workdir, args.journals)
        statements, journals = [], []
        for _run in range(args.runs):
            statements.append(run_child(workdir, ids, "grading.summary"))
            journals.append(run_child(workdir, ids, "reports.year_journal"))
        report("summary statement", statements, "target < 0.5 s")
        report("year journal", journals, "targets < 15 s and < 300 MiB")


if __name__ == "__main__":
    main()
