"""The act of destruction as a page and as a printable PDF (xhtml2pdf with the package's fonts,
through the reports plugin's renderer): «Акт о выделении к уничтожению документов, не
подлежащих хранению» with the files and the record counts removed and the statements kept."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import render_template, send_file

from core import settings
from core.extensions import db
from core.people.models import short_names
from plugins.archive import purge
from plugins.archive.models import ArchivedPeriod
from plugins.archive.record_models import DestructionAct
from plugins.reports import pdf


def russian_day(iso: str) -> str:
    """A day the act stored as ``YYYY-MM-DD``, as the act prints it: ``DD.MM.YYYY``."""
    return ".".join(reversed(iso.split("-")))


def context(act: DestructionAct) -> dict[str, Any]:
    """What the act's page and its PDF show."""
    period = db.session.get(ArchivedPeriod, act.period_id)
    return {
        "act": act, "period": period, "college": settings.get("college.name"),
        "director": settings.get("college.director"),
        "actor": short_names([act.actor_id]).get(act.actor_id),
        "stage_title": purge.STAGE_TITLES[act.retention],
        "kept_until": russian_day(act.kept_until),
        "record_total": sum(item["count"] for item in act.records),
        "kept": [{**item, "until": russian_day(item["kept_until"])
                  if item.get("kept_until") else None} for item in act.kept],
        "size_total": sum(item.get("size") or 0 for item in act.files),
        "fonts": pdf.FONT_FILES,
    }


def render_pdf(act: DestructionAct) -> bytes:
    return pdf.render(render_template("archive/act_print.html", **context(act)))


def download(act: DestructionAct):
    return send_file(BytesIO(render_pdf(act)), mimetype="application/pdf", as_attachment=False,
                     download_name=f"akt-unichtozheniya-{act.number}.pdf")
