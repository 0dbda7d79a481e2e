"""Pages and JSON answers go compressed to a browser that accepts it (the 30 x 80 grid page is
hundreds of KB of repetitive HTML), and unchanged to a client that does not."""

from __future__ import annotations

import gzip

from core.people.roles import Role


def test_a_page_goes_gzip_to_a_browser_that_accepts_it(app, client, login, make_user):
    login(make_user("admin.gzip", [Role.ADMIN]))
    plain = client.get("/admin/policy")
    packed = client.get("/admin/policy", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) * 3 < len(plain.data)


def test_json_answers_are_compressed_too(make_app):
    app = make_app()
    @app.get("/test/cells")
    def cells():
        return {"cells": [{"lesson_id": n, "student_id": n, "value": "5"} for n in range(100)]}

    client = app.test_client()
    plain = client.get("/test/cells")
    packed = client.get("/test/cells", headers={"Accept-Encoding": "br, gzip"})
    assert packed.mimetype == "application/json" and packed.headers["Content-Encoding"] == "br"
    assert len(packed.data) * 5 < len(plain.data)


def test_a_download_goes_as_it_is(make_app):
    app = make_app()
    @app.get("/test/file")
    def download():
        from io import BytesIO

        from flask import send_file

        return send_file(BytesIO(b"a;b\n" * 1000), mimetype="text/csv", download_name="x.csv")

    answer = app.test_client().get("/test/file", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in answer.headers and answer.data == b"a;b\n" * 1000
