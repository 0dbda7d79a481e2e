"""The administrator's health page: the same readings as ``/healthz`` and ``/metrics``
(``core.health``), in Russian, at a glance."""

from __future__ import annotations

from flask import render_template

from core import health
from core.admin.views import bp
from core.people.access import permission_required


@bp.get("/health")
@permission_required("admin.health.view")
def health_page():
    checks = health.collect()
    return render_template("admin/health.html", checks=checks,
                           failing=sum(1 for check in checks if not check.ok))
