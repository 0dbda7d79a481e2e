"""What the diary shows of materials: a lesson's materials in its row, beside the self-study
task, and the disciplines' own materials under the week, each a link to a page that checks
scope again. A fixed number of queries whatever the number of materials."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from core.people import scope
from core.plugins import hookimpl
from core.plugins.types import DiaryNote, DiarySection
from plugins.journal import api as journal
from plugins.materials import services


def _staff(user) -> bool:
    return user is not None and scope.is_staff(user)


def _shown(user, loads) -> set[int]:
    """The loads whose materials the diary shows ``user``: a family sees every journal of its
    diary (the diary holds only theirs); staff only those whose materials they may open."""
    loads = list(loads)
    if not _staff(user):
        return {load.id for load in loads}
    return {load.id for load in loads if services.may_see(user, load)}


@hookimpl(specname="diary_lesson_notes")
def lesson_notes(lessons, user) -> dict[int, list[DiaryNote]]:
    if _staff(user):
        shown = _shown(user, {lesson.load_id: journal.load_of(lesson)
                              for lesson in lessons}.values())
        lessons = [lesson for lesson in lessons if lesson.load_id in shown]
    found = services.of_lessons(lesson.id for lesson in lessons)
    return {lesson_id: [DiaryNote(
        "", title=material.kind_title,
        detail=_("Материал (%(kind)s):", kind=material.kind_title.lower()),
        link=url_for("materials.show", material_id=material.id), link_title=material.title)
        for material in materials] for lesson_id, materials in found.items()}


@hookimpl(specname="diary_sections")
def sections(student_loads, user) -> list[DiarySection]:
    loads = {entry.load.id: entry.load for entry in student_loads}
    shown = _shown(user, loads.values())
    loads = {load_id: load for load_id, load in loads.items() if load_id in shown}
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
