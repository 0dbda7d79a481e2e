"""Checks in the tests' world through the pages."""

from __future__ import annotations

import re
import subprocess

from tests.fixtures import signed_in


def client_of(app, world, who: str):
    return signed_in(app, world.users[who])


def start(client, role: str = "deputy", kind: str = "regular", start: str = "2026-09-23",
          end: str = "2026-10-07") -> int:
    response = client.post("/control/checks", data={"role": role, "kind": kind, "start": start,
                                                    "end": end})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/checks/(\d+)", response.headers["Location"])[1])


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content,
                          capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())
