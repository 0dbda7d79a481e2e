"""What the diary shows of materials: a lesson's materials in its row, beside the self-study
task, and the disciplines' own materials under the week, each a link to a page that checks
scope again. A fixed number of queries whatever the number of materials."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from core.plugins.types import DiaryNote, DiarySection
from plugins.materials import services


def lesson_notes(lessons) -> dict[int, list[DiaryNote]]:
    found = services.of_lessons(lesson.id for lesson in lessons)
    return {lesson_id: [DiaryNote(
        "", title=material.kind_title,
        detail=_("Материал (%(kind)s):", kind=material.kind_title.lower()),
        link=url_for("materials.show", material_id=material.id), link_title=material.title)
        for material in materials] for lesson_id, materials in found.items()}


def sections(student_loads) -> list[DiarySection]:
    loads = {entry.load.id: entry.load for entry in student_loads}
    found = services.of_loads(loads)
    if not found:
        return []
    rows, links = [], []
    for load_id, load in sorted(loads.items(), key=lambda item: item[1].discipline.title):
        materials = found.get(load_id)
        if not materials:
            continue
        rows += [[load.discipline.title, material.kind_title, material.title]
                 for material in materials]
        links.append((_("%(discipline)s: все материалы", discipline=load.discipline.title),
                      url_for("materials.load", load_id=load_id)))
    return [DiarySection(_("Материалы по дисциплинам"),
                         [_("Дисциплина"), _("Вид"), _("Материал")], rows, order=30,
                         links=links)]
