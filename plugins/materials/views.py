"""The materials' pages: a load's materials by kind (staff who read the journal, the load's
students and parents), one material with its description and files, the form to add or change
one, its removal, and the files, served only to those who may see the material."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from core import markup, uploads
from core.errors import NotFound
from core.extensions import db
from core.forms import attempt, page_status
from core.params import parse_id
from core.people import scope
from core.people.models import Group, short_names
from plugins.journal import api as journal
from plugins.materials import files, services
from plugins.materials.forms import MaterialForm
from plugins.materials.models import KINDS

bp = Blueprint("materials", __name__, url_prefix="/materials", template_folder="templates")


@bp.url_value_preprocessor
def _room_for_files(endpoint, values):
    # five files of 10 MB are more than the site's usual request; set before any
    # ``before_request`` (CSRF, the NUL check) reads the form (Flask runs these first)
    if request.method == "POST" and endpoint in ("materials.new", "materials.edit"):
        request.max_content_length = files.MAX_REQUEST


def _group_name(load: journal.LoadInfo) -> str:
    return db.session.scalar(select(Group.name).where(Group.id == load.group_id)) or ""


def _lesson_choices(load: journal.LoadInfo) -> list[tuple[str, str]]:
    choices = [("", _("Вся дисциплина"))]
    for lesson in reversed(journal.lessons(load)):
        label = f"{lesson.date.strftime('%d.%m.%Y')}, {lesson.pair_number} {_('пара')}"
        if lesson.topic:
            label += f" — {lesson.topic[:60]}"
        choices.append((str(lesson.id), label))
    return choices


def _context(load: journal.LoadInfo) -> dict:
    return {"load": load, "group_name": _group_name(load), "kinds": KINDS,
            "staff": scope.is_staff(current_user)}


@bp.get("/loads/<int:load_id>")
@login_required
def load(load_id: int):
    found = services.load_or_404(current_user, load_id)
    materials = services.of_load(found.id)
    lessons = journal.lessons_by_id(m.lesson_id for m in materials if m.lesson_id)
    by_kind = {kind: [m for m in materials if m.kind == kind] for kind in KINDS}
    return render_template("materials/load.html", by_kind=by_kind, lessons=lessons,
                           may_add=services.may_add(current_user, found),
                           authors=short_names({m.author_id for m in materials}),
                           previews={m.id: markup.plain(m.description, 200) for m in materials},
                           **_context(found))


@bp.route("/loads/<int:load_id>/new", methods=["GET", "POST"])
@login_required
def new(load_id: int):
    found = services.load_or_404(current_user, load_id)
    if not services.may_add(current_user, found):
        return _not_found()
    form = MaterialForm()
    form.lesson.choices = _lesson_choices(found)
    if request.method == "GET":
        form.lesson.data = request.args.get("lesson", "")
    if form.validate_on_submit():
        done, material = attempt(lambda: services.add(
            current_user, found, kind=form.kind.data, title=form.title.data,
            description=form.description.data, url=form.url.data,
            files=uploads.files_of(), lesson_id=parse_id(form.lesson.data)),
            form.files, outside_is_404=True)
        if done:
            flash(_("Материал добавлен."), "success")
            return redirect(url_for("materials.show", material_id=material.id))
    return render_template("materials/form.html", form=form, material=None,
                           **_context(found)), page_status(form)


def _not_found():
    raise NotFound(_("Такой страницы нет или она вам недоступна."))


@bp.get("/<int:material_id>")
@login_required
def show(material_id: int):
    material, found = services.material_or_404(current_user, material_id)
    lesson = journal.get_lesson(material.lesson_id) if material.lesson_id else None
    return render_template("materials/show.html", material=material, lesson=lesson,
                           may_change=services.may_change(current_user, material, found),
                           authors=short_names({material.author_id}), **_context(found))


@bp.route("/<int:material_id>/edit", methods=["GET", "POST"])
@login_required
def edit(material_id: int):
    material, found = services.material_or_404(current_user, material_id)
    if not services.may_change(current_user, material, found):
        return _not_found()
    form = MaterialForm(obj=material)
    form.lesson.choices = _lesson_choices(found)
    form.remove_files.choices = [(f.id, f.filename) for f in material.files]
    if request.method == "GET":
        form.lesson.data = str(material.lesson_id or "")
    if form.validate_on_submit():
        done, _material = attempt(lambda: services.update(
            current_user, material, found, kind=form.kind.data, title=form.title.data,
            description=form.description.data, url=form.url.data,
            files=uploads.files_of(), remove_file_ids=form.remove_files.data or (),
            lesson_id=parse_id(form.lesson.data)),
            form.files, outside_is_404=True)
        if done:
            flash(_("Изменения сохранены."), "success")
            return redirect(url_for("materials.show", material_id=material_id))
        material, found = services.material_or_404(current_user, material_id)
    return render_template("materials/form.html", form=form, material=material,
                           **_context(found)), page_status(form)


@bp.post("/<int:material_id>/remove")
@login_required
def remove(material_id: int):
    material, found = services.material_or_404(current_user, material_id)
    done, _none = attempt(lambda: services.remove(current_user, material, found),
                          outside_is_404=True)
    if done:
        flash(_("Материал «%(title)s» убран.", title=material.title), "success")
    return redirect(url_for("materials.load", load_id=found.id))


@bp.get("/files/<int:file_id>")
@login_required
def file(file_id: int):
    found = services.file_or_404(current_user, file_id)
    return uploads.download(found.content, found.content_type, found.filename)
