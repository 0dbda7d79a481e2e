"""The administrator's upkeep pages: each period's state and last verification, a check from
the page, the preview of the purge listing what the act then lists, the act as a page and a PDF.
Only the administrator opens them."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime

from core.extensions import db
from plugins.archive.models import ArchivedPeriod
from plugins.archive.tests import sealed
from tests.fixtures import signed_in


def _rows(html: str, css: str) -> list[str]:
    table = re.search(rf'<table class="[^"]*{css}[^"]*">(.*?)</table>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]


def test_preview_lists_what_the_act_lists_and_the_act_prints(app, clock, tmp_path):
    world, period_id = sealed.build(app, "pg", with_data=False)
    clock.set(datetime(2025, 12, 31, 9, tzinfo=UTC))
    admin = signed_in(app, world.users["admin"])
    teacher = signed_in(app, world.users["teacher"])
    assert teacher.get("/archive/upkeep").status_code == 404
    assert teacher.get(f"/archive/period/{period_id}/purge").status_code == 404

    page = admin.get("/archive/upkeep").get_data(as_text=True)
    assert "pg 2020/2021, 1 семестр" in page and "не проводилась" in page
    assert "30.12.2025" in page and "30.12.2045" in page
    checked = admin.post(f"/archive/period/{period_id}/verify", follow_redirects=True)
    assert "архив цел" in checked.get_data(as_text=True)
    assert "цел" in admin.get("/archive/upkeep").get_data(as_text=True)
    archive_page = admin.get("/archive/").get_data(as_text=True)  # the archive's own page
    assert re.search(r'href="/archive/verification/\d+" class="text-success">цел</a>',
                     archive_page)

    preview = admin.get(f"/archive/period/{period_id}/purge?stage=journal").get_data(as_text=True)
    files, records, kept = (_rows(preview, css) for css in
                            ("purge-files", "purge-records", "purge-kept"))
    assert len(files) == 1 and "journals/" in files[0]
    assert any(row.startswith("Текущие оценки grading_mark 2") for row in records)
    assert len(kept) == 2 and "statements/" in kept[0] and "30.12.2045" in kept[0]
    assert "manifest.json" in kept[1] and "постоянно" in kept[1]

    done = admin.post(f"/archive/period/{period_id}/purge", data={"stage": "journal"})
    assert done.status_code == 302
    act_page = admin.get(done.headers["Location"]).get_data(as_text=True)
    # the act's rows: number, path, title, SHA-256, size; the preview's: path, title, size
    assert [row.split(" ")[1] for row in _rows(act_page, "act-files")] == [
        row.split(" ")[0] for row in files]
    act_records = _rows(act_page, "act-records")
    assert [r for r in act_records if not r.startswith("Всего")] == [
        r for r in records if not r.startswith("Всего")]
    assert _rows(act_page, "act-kept")[0].split(" ")[0] == kept[0].split(" ")[0]

    act_id = done.headers["Location"].rsplit("/", 1)[1]
    pdf = admin.get(f"/archive/act/{act_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    path = tmp_path / "act.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "АКТ № 1" in text and "о выделении к уничтожению" in text
    assert "Текущие оценки" in text and "journals/" in text and "statements/" in text
    # done once: the preview now leads to the act, a second purge is refused
    again = admin.post(f"/archive/period/{period_id}/purge", data={"stage": "journal"})
    assert again.status_code == 303
    with app.test_request_context():
        assert db.session.get(ArchivedPeriod, period_id).state == "archived"
