"""The administration's planning pages: disciplines with curriculum hours, teaching load, the
weekly timetable and its dated changes (routes of the journal's blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from core.calendar import mode as working_mode
from core.calendar.models import AcademicYear, Term
from core.errors import NotFound
from core.extensions import db
from core.forms import attempt, page_status
from core.params import arg_id
from core.people.access import permission_required
from core.people.models import Group, RoleAssignment, Subgroup, SubjectCommission, User
from core.people.permissions import can
from core.people.roles import Role
from plugins.journal import planning
from plugins.journal.forms import (
    ChangeForm,
    CurriculumForm,
    DisciplineForm,
    EndSlotForm,
    LoadForm,
    SlotForm,
)
from plugins.journal.models import (
    DISCIPLINE_KINDS,
    WORK_KINDS,
    CurriculumHours,
    Discipline,
    Lesson,
    TeachingLoad,
    TimetableChange,
    TimetableSlot,
    parse_work_kinds,
)
from plugins.journal.views import NOT_FOUND, bp

#: the action of keeping disciplines, curriculum hours and teaching loads
PLANNING = "journal.planning.edit"
#: the action of entering and changing the timetable (roles: the journal's ``permissions``)
TIMETABLE = "journal.timetable.edit"
NONE = (0, "—")


def _or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        raise NotFound(_(NOT_FOUND))
    return found


def _terms() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Term.id, Term.title, AcademicYear.title).join(AcademicYear)
                              .order_by(AcademicYear.starts_on.desc(), Term.number)).all()
    return [(term_id, f"{year} · {title}") for term_id, title, year in rows]


def _groups() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Group.id, Group.name).where(Group.graduated.is_(False))
                                   .order_by(Group.name)).all())


def _disciplines() -> list[tuple[int, str]]:
    return [(d.id, d.title) for d in db.session.scalars(select(Discipline).order_by(
        Discipline.code, Discipline.name))]


def _teachers() -> list[tuple[int, str]]:
    users = db.session.scalars(select(User).join(RoleAssignment).where(
        RoleAssignment.role == Role.TEACHER, User.active.is_(True))
        .order_by(User.last_name, User.first_name).distinct())
    return [(user.id, user.full_name) for user in users]


def _subgroups() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Subgroup, Group.name).join(Group)
                              .where(Group.graduated.is_(False)).order_by(Group.name)).all()
    return [NONE] + [(subgroup.id, f"{name}: {subgroup.title}") for subgroup, name in rows]


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, str(label)) for value, label in pairs]


def _kind_titles(stored: str | None) -> str:
    """The Russian titles of stored kinds of work, for a list page ("—" when none)."""
    return ", ".join(str(WORK_KINDS[kind]) for kind in parse_work_kinds(stored)) or "—"


# --- disciplines --------------------------------------------------------------------------------


@bp.get("/planning/disciplines")
@permission_required(PLANNING)
def planning_disciplines():
    disciplines = db.session.scalars(select(Discipline).order_by(Discipline.code,
                                                                  Discipline.name)).all()
    commissions = dict(db.session.execute(select(SubjectCommission.id,
                                                 SubjectCommission.name)).all())
    return render_template("journal/planning/disciplines.html", disciplines=disciplines,
                           kinds=DISCIPLINE_KINDS, commissions=commissions,
                           work_kinds=_kind_titles)


@bp.route("/planning/disciplines/new", methods=["GET", "POST"], endpoint="planning_discipline_new")
@bp.route("/planning/disciplines/<int:discipline_id>", methods=["GET", "POST"])
@permission_required(PLANNING)
def planning_discipline(discipline_id: int | None = None):
    discipline = _or_404(Discipline, discipline_id) if discipline_id else None
    form = DisciplineForm(obj=discipline)
    form.parent_id.choices = _choices([NONE] + [
        (d.id, d.title) for d in db.session.scalars(
            select(Discipline).where(Discipline.kind == "pm").order_by(Discipline.code))])
    form.commission_id.choices = _choices([NONE] + list(db.session.execute(
        select(SubjectCommission.id, SubjectCommission.name).order_by(SubjectCommission.name))))
    if request.method == "GET" and discipline is not None:
        form.parent_id.data = discipline.parent_id or 0
        form.commission_id.data = discipline.commission_id or 0
        form.work_kinds.data = list(parse_work_kinds(discipline.work_kinds))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in planning.DISCIPLINE_FIELDS}
        done, saved = attempt(lambda: planning.save_discipline(current_user, values, discipline),
                              form.name)
        if done:
            flash(_("Дисциплина сохранена."), "success")
            return redirect(url_for("journal.planning_discipline", discipline_id=saved.id))
    hours = curriculum = None
    if discipline is not None:
        curriculum = CurriculumForm(prefix="plan")
        curriculum.group_id.choices = _choices(_groups())
        curriculum.term_id.choices = _choices(_terms())
        hours = db.session.execute(
            select(CurriculumHours, Group.name, Term.title).join(Group).join(Term)
            .where(CurriculumHours.discipline_id == discipline.id)
            .order_by(Term.starts_on, Group.name)).all()
    return render_template("journal/planning/discipline.html", form=form, discipline=discipline,
                           curriculum=curriculum, hours=hours), page_status(form)


@bp.post("/planning/disciplines/<int:discipline_id>/hours")
@permission_required(PLANNING)
def planning_curriculum(discipline_id: int):
    discipline = _or_404(Discipline, discipline_id)
    form = CurriculumForm(prefix="plan")
    form.group_id.choices = _choices(_groups())
    form.term_id.choices = _choices(_terms())
    if not form.validate_on_submit():
        flash(_("Часы не сохранены: %(why)s", why="; ".join(
            str(error) for errors in form.errors.values() for error in errors)), "danger")
    else:
        done, _row = attempt(lambda: planning.set_curriculum_hours(
            current_user, discipline, form.group_id.data, form.term_id.data, form.hours.data))
        if done:
            flash(_("Часы по учебному плану сохранены."), "success")
    return redirect(url_for("journal.planning_discipline", discipline_id=discipline.id))


# --- teaching load ------------------------------------------------------------------------------


@bp.get("/planning/loads")
@permission_required(TIMETABLE)  # the list leads to each load's timetable
def planning_loads():
    terms = _terms()
    term_id = arg_id("term")
    if term_id not in {t for t, _title in terms}:
        term_id = terms[0][0] if terms else None
    rows = db.session.execute(
        select(TeachingLoad, Group.name, Discipline, User)
        .join(Group, Group.id == TeachingLoad.group_id)
        .join(Discipline, Discipline.id == TeachingLoad.discipline_id)
        .join(User, User.id == TeachingLoad.teacher_id)
        .where(TeachingLoad.term_id == term_id)
        .order_by(Group.name, Discipline.code)).all()
    subgroups = dict(_subgroups())
    return render_template("journal/planning/loads.html", rows=rows, terms=terms,
                           term_id=term_id, subgroups=subgroups, work_kinds=_kind_titles,
                           can_plan=can(current_user, PLANNING))


def _load_form(load: TeachingLoad | None) -> LoadForm:
    form = LoadForm(obj=load)
    form.teacher_id.choices = _choices(_teachers())
    form.group_id.choices = _choices(_groups())
    form.subgroup_id.choices = _choices(_subgroups())
    form.discipline_id.choices = _choices(_disciplines())
    form.term_id.choices = _choices(_terms())
    if request.method == "GET":
        form.kinds_from_discipline.data = load is None or load.work_kinds is None
        if load is not None:
            form.subgroup_id.data = load.subgroup_id or 0
            form.work_kinds.data = list(parse_work_kinds(
                load.discipline.work_kinds if load.work_kinds is None else load.work_kinds))
    return form


def _load_values(form: LoadForm) -> dict:
    values = {name: getattr(form, name).data for name in planning.LOAD_FIELDS}
    if form.kinds_from_discipline.data:
        values["work_kinds"] = None  # follows the discipline's kinds of work
    return values


@bp.route("/planning/loads/new", methods=["GET", "POST"], endpoint="planning_load_new")
@bp.route("/planning/loads/<int:load_id>", methods=["GET", "POST"])
@permission_required(PLANNING)
def planning_load(load_id: int | None = None):
    load = _or_404(TeachingLoad, load_id) if load_id else None
    form = _load_form(load)
    if form.validate_on_submit():
        values = _load_values(form)
        done, saved = attempt(lambda: planning.save_load(current_user, values, load),
                              form.teacher_id)
        if done:
            flash(_("Нагрузка сохранена."), "success")
            return redirect(url_for("journal.planning_timetable", load_id=saved.id))
    lessons = load is not None and db.session.scalar(
        select(db.func.count(Lesson.id)).where(Lesson.load_id == load.id))
    discipline_kinds = _kind_titles(load.discipline.work_kinds) if load is not None else ""
    return render_template("journal/planning/load.html", form=form, load=load,
                           lessons=lessons, discipline_kinds=discipline_kinds), page_status(form)


@bp.post("/planning/loads/<int:load_id>/delete")
@permission_required(PLANNING)
def planning_load_delete(load_id: int):
    load = _or_404(TeachingLoad, load_id)
    term_id = load.term_id
    done, _none = attempt(lambda: planning.delete_load(current_user, load))
    if not done:
        return redirect(url_for("journal.planning_load", load_id=load_id))
    flash(_("Нагрузка удалена."), "success")
    return redirect(url_for("journal.planning_loads", term=term_id))


# --- timetable ----------------------------------------------------------------------------------


def _timetable_page(load: TeachingLoad, slot_form: SlotForm, change_form: ChangeForm):
    slots = db.session.scalars(select(TimetableSlot).where(TimetableSlot.load_id == load.id)
                               .order_by(TimetableSlot.weekday, TimetableSlot.pair_number)).all()
    changes = db.session.scalars(select(TimetableChange).where(
        TimetableChange.slot_id.in_([slot.id for slot in slots]))
        .order_by(TimetableChange.on_date)).all()
    change_form.slot_id.choices = _choices([(slot.id, _slot_title(slot)) for slot in slots])
    term = db.session.get(Term, load.term_id)
    return render_template(
        "journal/planning/timetable.html", load=load, slots=slots, changes=changes,
        slot_form=slot_form, change_form=change_form, end_form=EndSlotForm(prefix="end"),
        weekdays=planning.WEEKDAYS, group=db.session.get(Group, load.group_id),
        term=term, titles={s.id: _slot_title(s) for s in slots},
        can_plan=can(current_user, PLANNING), mode=working_mode.mode_of(term.year_id),
        weeks=working_mode.WEEKS
    ), page_status(slot_form, change_form)


def _slot_title(slot: TimetableSlot) -> str:
    title = f"{planning.WEEKDAYS[slot.weekday]}, {slot.pair_number} " + _("пара")
    if slot.week in working_mode.WEEKS:
        title += f" ({working_mode.WEEKS[slot.week]})"
    return title


def _slot_form(load: TeachingLoad) -> SlotForm:
    """The weekly lesson form: the days of the year's working week (BTT 4.1.1)."""
    form = SlotForm(prefix="slot")
    mode = working_mode.mode_of(db.session.get(Term, load.term_id).year_id)
    days = (mode.week_days if mode else None) or 7
    form.weekday.choices = _choices([(n, t) for n, t in planning.WEEKDAYS.items() if n <= days])
    return form


@bp.route("/planning/loads/<int:load_id>/timetable", methods=["GET", "POST"])
@permission_required(TIMETABLE)
def planning_timetable(load_id: int):
    load = _or_404(TeachingLoad, load_id)
    slot_form, change_form = _slot_form(load), ChangeForm(prefix="change")
    if request.method == "GET":
        term = db.session.get(Term, load.term_id)
        slot_form.valid_from.data = term.starts_on
    if slot_form.validate_on_submit():
        done, _slot = attempt(lambda: planning.add_slot(
            current_user, load, slot_form.weekday.data, slot_form.pair_number.data,
            slot_form.hours.data, slot_form.valid_from.data, slot_form.valid_to.data,
            slot_form.week.data or None), slot_form.weekday)
        if done:
            flash(_("Занятие добавлено в расписание."), "success")
            return redirect(url_for("journal.planning_timetable", load_id=load.id))
    return _timetable_page(load, slot_form, change_form)


def _slot_of(load_id: int, slot_id: int) -> tuple[TeachingLoad, TimetableSlot]:
    load = _or_404(TeachingLoad, load_id)
    slot = _or_404(TimetableSlot, slot_id)
    if slot.load_id != load.id:
        raise NotFound(_(NOT_FOUND))
    return load, slot


@bp.post("/planning/loads/<int:load_id>/timetable/<int:slot_id>/end")
@permission_required(TIMETABLE)
def planning_slot_end(load_id: int, slot_id: int):
    load, slot = _slot_of(load_id, slot_id)
    form = EndSlotForm(prefix="end")
    if not form.validate_on_submit():
        flash(_("Укажите последний день занятия по расписанию."), "danger")
    else:
        planning.end_slot(current_user, slot, form.last_day.data)
        db.session.commit()
        flash(_("Расписание изменено."), "success")
    return redirect(url_for("journal.planning_timetable", load_id=load.id))


@bp.post("/planning/loads/<int:load_id>/timetable/changes")
@permission_required(TIMETABLE)
def planning_change(load_id: int):
    load = _or_404(TeachingLoad, load_id)
    slot_form, form = _slot_form(load), ChangeForm(prefix="change")
    slots = {slot.id: slot for slot in db.session.scalars(
        select(TimetableSlot).where(TimetableSlot.load_id == load.id))}
    form.slot_id.choices = _choices([(slot_id, _slot_title(slot))
                                     for slot_id, slot in slots.items()])
    if form.validate_on_submit():
        done, _change = attempt(lambda: planning.add_change(
            current_user, slots[form.slot_id.data], form.on_date.data,
            cancelled=form.action.data == "cancel", moved_to_date=form.moved_to_date.data,
            moved_to_pair=form.moved_to_pair.data, reason=form.reason.data), form.on_date)
        if done:
            flash(_("Изменение расписания записано."), "success")
            return redirect(url_for("journal.planning_timetable", load_id=load.id))
    return _timetable_page(load, slot_form, form)
