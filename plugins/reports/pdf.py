"""HTML to PDF with xhtml2pdf, reading nothing but the package's fonts (DESIGN §10).

The resource policy allows only ``core/static/fonts``; every other address (a file, a remote
image, a user's ``<img src="file:///etc/passwd">`` that escaped escaping) is refused by the link
callback before xhtml2pdf could open it. Text is never marked safe: templates escape it.
"""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

import core

log = logging.getLogger(__name__)
FONTS = (Path(core.__file__).parent / "static" / "fonts").resolve()
FONT_FILES = {"regular": FONTS / "DejaVuSans.ttf", "bold": FONTS / "DejaVuSans-Bold.ttf"}


class PdfError(RuntimeError):
    """xhtml2pdf could not lay the document out."""


def link_callback(uri: str, _rel: str | None = None) -> str:
    """Only the shipped fonts resolve; anything else becomes nothing."""
    try:
        path = Path(uri.removeprefix("file://")).resolve()
    except (OSError, ValueError):
        return ""
    if path.parent == FONTS and path.is_file():
        return str(path)
    log.warning("pdf: refused to read %s", uri[:200])
    return ""


def render(html: str) -> bytes:
    """The PDF of ``html`` (a page of the print template)."""
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=link_callback,
                            resource_policy=ResourceAccessPolicy(base_dir=str(FONTS),
                                                                 allow_remote=False))
    if result.err:
        raise PdfError(f"xhtml2pdf: {result.err} errors")
    return out.getvalue()
