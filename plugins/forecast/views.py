"""The forecast's blueprint; its pages live in the modules named in ``PLUGIN.routes``
(``warning_views``: the early warning; ``readiness_views``: the demonstration exam and ВКР)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("forecast", __name__, url_prefix="/forecast", template_folder="templates")
