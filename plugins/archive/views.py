"""The archive's pages (one blueprint, ``archive``); the upkeep's are in ``upkeep_views``."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("archive", __name__, url_prefix="/archive", template_folder="templates")
