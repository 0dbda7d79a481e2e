"""Uploads as the forms bring them (``werkzeug.FileStorage``-like), for the services."""

from __future__ import annotations

import io

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Upload:
    def __init__(self, name: str, content: bytes):
        self.filename, self._content = name, content

    def read(self, size: int = -1) -> bytes:
        return io.BytesIO(self._content).read(size)
