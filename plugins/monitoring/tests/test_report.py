"""The monthly report of the journal's use (KTIS 6.1) through the reports plugin: the same
counts as the usage page, on screen and in XLSX, for the administration only."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

from openpyxl import load_workbook

from plugins.monitoring.tests.world import sign_in_at

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _month(app, world) -> None:
    for key, at in (("teacher", datetime(2026, 11, 9, 5, 0, tzinfo=UTC)),
                    ("teacher", datetime(2026, 11, 9, 10, 0, tzinfo=UTC)),
                    ("teacher2", datetime(2026, 11, 10, 21, 30, tzinfo=UTC)),
                    ("pa_active", datetime(2026, 11, 15, 17, 0, tzinfo=UTC)),
                    ("teacher", datetime(2026, 10, 30, 7, 0, tzinfo=UTC))):
        sign_in_at(app, world, key, at)


def test_the_monthly_report_counts_by_day_and_role(app, world, as_, clock):
    clock.set(NOW)
    _month(app, world)
    client = as_("deputy")
    page = client.get("/reports/monitoring.usage", query_string={"run": 1, "month": "2026-11"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Использование журнала за 11.2026" in html and "Охват семей" in html
    sheet = client.get("/reports/monitoring.usage/file.xlsx", query_string={"month": "2026-11"})
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.data)).active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Дата")
    teachers = header.index("Преподаватель")
    by_day = {row[0]: row for row in rows if row and isinstance(row[0], str)
              and re.fullmatch(r"\d\d\.11\.2026", row[0])}
    assert len(by_day) == 30
    assert by_day["09.11.2026"][teachers] == 2
    assert by_day["11.11.2026"][teachers] == 1  # 00:30 Moscow
    assert by_day["10.11.2026"][teachers] == 0
    assert by_day["15.11.2026"][header.index("Родитель")] == 1
    month = next(row for row in rows if row and row[0] == "За месяц: разных пользователей")
    # the two teachers, the parent and the deputy who signed in to run the report
    assert month[teachers] == 2 and month[header.index("Всего пользователей")] == 4


def test_the_monthly_report_is_the_administrations(app, world, as_):
    assert as_("admin").get("/reports/monitoring.usage").status_code == 200
    for key in ("teacher", "curator", "pa_active"):
        assert as_(key).get("/reports/monitoring.usage").status_code == 404, key
