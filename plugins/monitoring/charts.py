"""The usage page's charts: ``ReportChart`` values drawn by the reports plugin's SVG drawing
(plain shapes, no script), with the labels of long series thinned so they stay legible."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.people.roles import role_title
from core.plugins.types import ReportChart
from plugins.monitoring.usage import Usage
from plugins.reports.charts import Drawing, draw

#: at most this many labels under an axis; the others are left blank
MAX_LABELS = 12


def period_label(bucket: str, start: date) -> str:
    if bucket == "month":
        return start.strftime("%m.%Y")
    return start.strftime("%d.%m")


def _labels(found: Usage) -> list[str]:
    step = max(1, -(-len(found.starts) // MAX_LABELS))
    return [period_label(found.bucket, start) if n % step == 0 else ""
            for n, start in enumerate(found.starts)]


def usage_charts(found: Usage) -> list[ReportChart]:
    """Sign-ins and active users of each role, one line per role."""
    labels = _labels(found)
    kind = "line" if len(found.starts) > 12 else "bar"
    return [
        ReportChart(_("Входы по ролям"), labels,
                    [(role_title(s.role), [float(v) for v in s.sign_ins]) for s in found.roles],
                    kind=kind),
        ReportChart(_("Активные пользователи по ролям"), labels,
                    [(role_title(s.role), [float(v) for v in s.active]) for s in found.roles],
                    kind=kind),
    ]


def drawings(charts: list[ReportChart]) -> list[Drawing]:
    return [draw(chart) for chart in charts]
