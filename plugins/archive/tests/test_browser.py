"""The archive in a real browser (Debian's Chromium through Playwright): the administrator sees
what blocks closing a term, closes it once nothing does, watches the progress bar while the
worker writes it, then sees its files."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from plugins.archive.models import ArchivedPeriod
from plugins.archive.tests.world import (
    SMIRNOVA,
    after_term,
    finals_everywhere,
    make,
    run_worker,
    set_final,
)
from tests.browser import NEEDS_CHROMIUM, shot, signed_in_page

pytestmark = NEEDS_CHROMIUM


@pytest.mark.committing
def test_the_administrator_closes_a_term_and_sees_progress_then_the_files(
        live_app, base, chromium, clock, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    monkeypatch.setitem(live_app.config, "ARCHIVE_PATH", str(tmp_path / "archive"))
    world = make(live_app, clock, prefix="ab")
    finals_everywhere(live_app, world, but_smirnova=True)
    after_term(clock, world)
    admin = signed_in_page(chromium, base, world.users["admin"])
    admin.goto(f"{base}/admin/")
    admin.click("text=Архив журналов")
    row = admin.locator("#archive-periods tr", has_text="1 семестр")
    expect(row).to_contain_text("Не выставлены итоговые оценки за семестр")
    expect(row).to_contain_text("ИСП-22")
    expect(row.locator("button")).to_have_count(0)
    shot(admin, "archive-01-blocked")

    set_final(live_app, world, "other_load", SMIRNOVA, "4")
    admin.reload()
    row = admin.locator("#archive-periods tr", has_text="1 семестр")
    expect(row.locator(".blocker")).to_have_count(0)
    row.locator("text=Сдать в архив").click()
    expect(admin.locator("[role=progressbar]")).to_be_visible()
    expect(admin.locator("#archive-state")).to_have_text("записывается")
    shot(admin, "archive-02-progress")

    with live_app.app_context():
        period_id = db.session.scalar(select(ArchivedPeriod.id))
    page_url = admin.url
    admin.goto("about:blank")  # the page's refreshes would wait on SQLite's write lock here
    run_worker(live_app, period_id)  # the worker's task, here
    admin.goto(page_url)
    expect(admin.locator("#archive-state")).to_have_text("в архиве")
    files = admin.locator("#archive-files tbody tr")
    expect(files.first).to_be_visible()
    assert files.count() >= 10
    expect(admin.locator("#archive-files")).to_contain_text("печатный журнал (PDF)")
    expect(admin.locator("#archive-files")).to_contain_text("Журнал группы за учебный год")
    shot(admin, "archive-03-files")
    with admin.expect_download() as download:
        admin.locator("#archive-files a", has_text="Опись архива").click()
    assert download.value.suggested_filename == "manifest.json"
