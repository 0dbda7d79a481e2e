"""Every file of a report a staff user takes away is audited (issue #14 item 9, 152-ФЗ): the
PDF and XLSX of a report on screen and the file of a long report's job, one row a file, against
the group (or whoever else) the report is about."""

from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEntry
from core.extensions import db
from plugins.grading.tests.world import build
from plugins.reports.models import ReportJob
from tests.fixtures import signed_in


def exports(app) -> list[tuple[str, str, str, dict]]:
    with app.app_context():
        return [(row.actor_login, row.target_type, row.target_id, row.after)
                for row in db.session.scalars(select(AuditEntry).where(
                    AuditEntry.action == "reports.export").order_by(AuditEntry.id))]


def test_each_pdf_and_xlsx_of_a_groups_report_leaves_one_audit_row(app):
    world = build(app, prefix="ea")
    args = {"group": str(world.ids["g1"]), "start": world.dates[0].isoformat(),
            "end": world.dates[-1].isoformat()}
    deputy = signed_in(app, world.users["deputy"])
    for file_format in ("xlsx", "pdf", "xlsx"):
        response = deputy.get(f"/reports/grading.progress/file.{file_format}", query_string=args)
        assert response.status_code == 200 and response.data
    found = exports(app)
    assert [(login, kind, target, after["format"]) for login, kind, target, after in found] == [
        (world.users["deputy"].login, "Group", str(world.ids["g1"]), file_format)
        for file_format in ("xlsx", "pdf", "xlsx")]
    assert found[0][3]["report"] == "grading.progress"
    assert found[0][3]["params"]["group"] == str(world.ids["g1"])


def test_a_long_reports_file_is_audited_when_it_is_downloaded(app):
    world = build(app, prefix="eb")
    with app.app_context():
        job = ReportJob(user_id=world.users["admin"].id, report="reports.year_journal",
                        params={"group": str(world.ids["g1"]), "year": "1"}, file_format="xlsx",
                        status="done", content=b"PK", filename="year.xlsx")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    admin = signed_in(app, world.users["admin"])
    assert admin.get(f"/reports/jobs/{job_id}").status_code == 200
    assert exports(app) == []  # looking at the job's page takes nothing away
    assert admin.get(f"/reports/jobs/{job_id}/file").data == b"PK"
    assert exports(app) == [(world.users["admin"].login, "Group", str(world.ids["g1"]), {
        "report": "reports.year_journal", "format": "xlsx", "job_id": job_id,
        "params": {"group": str(world.ids["g1"]), "year": "1"}})]
