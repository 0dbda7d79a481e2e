"""Every mark and absence a family reads in the diary is legible: its text against its own
background has a contrast of at least 4.5:1 (WCAG 2.1 AA), on a phone, measured in Chromium from
the computed colours (a badge's white text on a pale ground once hid every mark)."""

from __future__ import annotations

import pytest

from plugins.attendance import services as attendance
from plugins.grading import services as grading
from plugins.grading.tests.test_mark_flags import PAST, PETROV, add_parent
from plugins.grading.tests.world import build, save_on_the_day
from tests.browser import NEEDS_CHROMIUM, sign_in
from tests.concurrency import cell_of as cell

pytestmark = NEEDS_CHROMIUM

# the contrast of each note's text with the first opaque background behind it
CONTRASTS = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const ground = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('.diary-note')].map((el) => {
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(ground(el))];
    return [el.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


@pytest.mark.committing
def test_marks_and_absences_in_the_diary_are_legible(live_app, serve, chromium, tmp_path):
    world = build(live_app, prefix="dc")
    add_parent(live_app, world, "parent", PETROV)
    save_on_the_day(live_app, world, grading.save_cells, "teacher",  # a lesson a week
                    [cell(world, PAST, PETROV, "5"), cell(world, PAST + 1, PETROV, "2")])
    save_on_the_day(live_app, world, attendance.save_cells, "teacher",
                    [cell(world, PAST + 2, PETROV, "н"), cell(world, PAST + 3, PETROV, "оп10")])
    base = serve(live_app)

    page = chromium.new_page(viewport={"width": 390, "height": 844})
    sign_in(page, base, world.users["parent"])
    notes: dict[str, float] = {}
    for lesson in range(PAST, PAST + 4):
        page.goto(f"{base}/diary/students/{world.students[PETROV]}"
                  f"?week={world.dates[lesson].isoformat()}")
        page.screenshot(path=str(tmp_path / f"diary-phone-{lesson}.png"), full_page=True)
        notes.update(page.evaluate(CONTRASTS))

    assert {"5", "2", "н", "оп10"} <= set(notes), notes
    assert all(ratio >= 4.5 for ratio in notes.values()), notes
