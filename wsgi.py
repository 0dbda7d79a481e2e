"""The WSGI entry point: ``gunicorn wsgi:app``: one college, or every college of the region
that ``EJOURNAL_REGION`` names (``core.region``)."""

import os

from core import create_app
from core.region import REGION_ENV, create_region

app = create_region() if os.environ.get(REGION_ENV) else create_app()
