"""The administrator's year opening (BTT 4.1.1, KTIS 3.2): year, terms, groups, import, next year.

Pages of the blueprint ``year`` under /admin/year; the rules live in ``core.calendar.years``,
``core.people.groups`` and ``core.people.importer``, these views parse and render.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import (
    BooleanField,
    Form,
    FormField,
    SelectField,
    StringField,
)
from wtforms import FieldList as WTFieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from core import exports, pending_uploads
from core.calendar import mode as working_mode
from core.calendar.clock import college_today
from core.calendar.models import AcademicYear
from core.calendar.years import (
    Period,
    academic_start_year,
    current_year,
    default_periods,
    save_year,
    set_current,
    term_on,
)
from core.errors import DomainError
from core.extensions import db
from core.forms import DateField, IntegerField, TimeField
from core.params import to_id
from core.people import importer
from core.people.access import permission_required
from core.people.groups import (
    FORMS_OF_STUDY,
    GroupData,
    add_department,
    add_specialty,
    curator_candidates,
    open_next_year,
    save_group,
    split_group,
)
from core.people.models import Department, Group, GroupMembership, Specialty, User
from core.people.signers import curator_title

bp = Blueprint("year", __name__, url_prefix="/admin/year")



# --- forms ------------------------------------------------------------------------------------


class PeriodForm(Form):
    title = StringField(_l("Название"), validators=[Optional(), Length(max=60)])
    starts_on = DateField(_l("Начало"), validators=[Optional()])
    ends_on = DateField(_l("Окончание"), validators=[Optional()])


class BellForm(Form):
    starts_at = TimeField(_l("Начало"), validators=[Optional()])
    ends_at = TimeField(_l("Окончание"), validators=[Optional()])


class ShortDayForm(Form):
    on_date = DateField(_l("Дата"), validators=[Optional()])
    title = StringField(_l("Повод"), validators=[Optional(), Length(max=120)])


class YearForm(FlaskForm):
    title = StringField(_l("Учебный год"), validators=[InputRequired(_l("Введите название года")),
                                                       Length(max=20)],
                        description=_l("Например, «2026/2027»"))
    starts_on = DateField(_l("Начало учебного года"), validators=[InputRequired(_l("Укажите дату"))])
    ends_on = DateField(_l("Окончание учебного года"), validators=[InputRequired(_l("Укажите дату"))])
    make_current = BooleanField(_l("Сделать текущим учебным годом"))
    terms = WTFieldList(FormField(PeriodForm), min_entries=3, max_entries=4)
    holidays = WTFieldList(FormField(PeriodForm), min_entries=4, max_entries=6)
    # the working mode (BTT 4.1.1: «режим работы техникума в текущем учебном году»)
    week_days = SelectField(_l("Рабочая неделя"), coerce=int, default=6,
                            choices=[SelectChoice(n, str(t)) for n, t in working_mode.WEEK_DAYS.items()])
    alternating_weeks = BooleanField(
        _l("Расписание чередуется по неделям: числитель и знаменатель"),
        description=_l("Первая неделя учебного года — числитель, следующая — знаменатель, и так далее."))
    main_bells = WTFieldList(FormField(BellForm), min_entries=working_mode.MAX_PAIRS,
                             max_entries=working_mode.MAX_PAIRS)
    short_bells = WTFieldList(FormField(BellForm), min_entries=working_mode.MAX_PAIRS,
                              max_entries=working_mode.MAX_PAIRS)
    short_days = WTFieldList(FormField(ShortDayForm), min_entries=6, max_entries=12)


class DepartmentForm(FlaskForm):
    name = StringField(_l("Отделение"), validators=[InputRequired(_l("Введите название")),
                                                    Length(max=120)])


class SpecialtyForm(FlaskForm):
    code = StringField(_l("Код"), validators=[InputRequired(_l("Введите код")), Length(max=20)],
                       description=_l("Например, «15.02.08»"))
    name = StringField(_l("Название специальности"),
                       validators=[InputRequired(_l("Введите название")), Length(max=200)])
    department_id = SelectField(_l("Отделение"), coerce=to_id)
    courses = IntegerField(_l("Число курсов"), default=4,
                           validators=[InputRequired(_l("Введите число")),
                                       NumberRange(1, 6, _l("Число курсов — от 1 до 6"))])


class GroupForm(FlaskForm):
    name = StringField(_l("Группа"), validators=[InputRequired(_l("Введите название")),
                                                 Length(max=40)], description=_l("Например, «ТМ-26»"))
    specialty_id = SelectField(_l("Специальность"), coerce=to_id)
    course = IntegerField(_l("Курс"), default=1, validators=[InputRequired(_l("Введите курс")),
                                                            NumberRange(1, 6, _l("Курс — от 1 до 6"))])
    form_of_study = SelectField(_l("Форма обучения"), choices=[SelectChoice(f, f) for f in FORMS_OF_STUDY])
    admission_year = IntegerField(_l("Год набора"), validators=[InputRequired(_l("Введите год"))])
    curator_id = SelectField(_l("Руководитель группы"), coerce=to_id)  # titled by the policy


class SplitForm(FlaskForm):
    label = StringField(_l("Для чего деление"), validators=[Length(max=80)],
                        description=_l("Например, «Иностранный язык»"))
    count = SelectField(_l("Число подгрупп"), coerce=int, choices=[SelectChoice(2, "2"), SelectChoice(3, "3")])


class NextYearForm(FlaskForm):
    year_id = SelectField(_l("Новый учебный год"), coerce=to_id)
    graduation_date = DateField(_l("Дата выпуска"), validators=[InputRequired(_l("Укажите дату"))])
    order_no = StringField(_l("Приказ о выпуске"), validators=[InputRequired(_l("Укажите номер приказа")),
                                                               Length(max=40)])


class UploadForm(FlaskForm):
    file = FileField(_l("Файл CSV или XLSX"))
    order_no = StringField(_l("Приказ о зачислении"), validators=[Length(max=40)],
                           description=_l("Для новых обучающихся; например, «№ 215-к от 28.08.2026»"))


class ConfirmForm(FlaskForm):
    pass


# --- overview and year ------------------------------------------------------------------------


@bp.get("/")
@permission_required("admin.year.open")
def index():
    years = db.session.scalars(select(AcademicYear).options(
        selectinload(AcademicYear.bells), selectinload(AcademicYear.short_days))
        .order_by(AcademicYear.starts_on.desc())).all()
    counts = {group_id: n for group_id, n in db.session.execute(
        select(GroupMembership.group_id, func.count())
        .where(GroupMembership.left_on.is_(None)).group_by(GroupMembership.group_id))}
    groups = db.session.scalars(
        select(Group).order_by(Group.graduated, Group.course, Group.name)).all()
    department_form = DepartmentForm(prefix="dep")
    specialty_form = SpecialtyForm(prefix="spec")
    specialty_form.department_id.choices = _department_choices()
    return render_template(
        "admin/year/index.html", years=years, current=current_year(), groups=groups,
        counts=counts, departments=db.session.scalars(select(Department).order_by(Department.name)).all(),
        specialties=db.session.scalars(select(Specialty).order_by(Specialty.code)).all(),
        department_form=department_form, specialty_form=specialty_form,
        curator_title=curator_title(),
    )


def _periods(entries) -> tuple[list[Period], list[str]]:
    periods, problems = [], []
    for entry in entries:
        title = (entry.title.data or "").strip()
        starts, ends = entry.starts_on.data, entry.ends_on.data
        if not (title or starts or ends):
            continue
        if not (title and starts and ends):
            problems.append(_("Строка «%(title)s»: заполните название и обе даты.", title=title or "—"))
            continue
        periods.append(Period(title, starts, ends))
    return periods, problems


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:year_id>/edit", methods=["GET", "POST"])
@permission_required("admin.year.open")
def year_form(year_id: int | None = None):
    year = None
    if year_id is not None:
        year = db.session.get(AcademicYear, year_id) or abort(404)
    if request.method == "GET":
        if year is None:
            start = academic_start_year(college_today())
            while db.session.scalar(select(AcademicYear.id).where(
                    AcademicYear.title == f"{start}/{start + 1}")):
                start += 1
            starts, ends, terms, holidays = default_periods(start)
            data = {"title": f"{start}/{start + 1}", "starts_on": starts, "ends_on": ends,
                    "make_current": current_year() is None}
            data |= _mode_data(current_year(), with_days=False)
        else:
            terms = [Period(t.title, t.starts_on, t.ends_on) for t in year.terms]
            holidays = [Period(h.title, h.starts_on, h.ends_on) for h in year.holidays]
            data = {"title": year.title, "starts_on": year.starts_on, "ends_on": year.ends_on,
                    "make_current": year.is_current}
            data |= _mode_data(year)
        data["terms"] = [_period_dict(p) for p in terms]
        data["holidays"] = [_period_dict(p) for p in holidays]
        form = YearForm(data=data)
    else:
        form = YearForm()
    status = 200
    if form.validate_on_submit():
        terms, problems_t = _periods(form.terms)
        holidays, problems_h = _periods(form.holidays)
        main, short, short_days, problems_m = _mode_entries(form)
        problems = problems_t + problems_h + problems_m
        if not problems:
            try:
                saved = save_year(form.title.data.strip(), form.starts_on.data, form.ends_on.data,
                                  terms, holidays, make_current=form.make_current.data, year=year)
                working_mode.save_mode(saved, form.week_days.data, form.alternating_weeks.data,
                                       main, short, short_days)
            except DomainError as exc:
                problems.append(exc.message)
            else:
                db.session.commit()
                flash(_("Учебный год %(title)s сохранён.", title=saved.title), "success")
                return redirect(url_for("year.index"))
        db.session.rollback()
        for problem in problems:
            flash(problem, "danger")
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/year/year_form.html", form=form, year=year), status


def _mode_data(year: AcademicYear | None, *, with_days: bool = True) -> dict:
    """The working mode's form data of ``year`` (a new year starts from the current one's week
    and bells, without its dated shortened days)."""
    if year is None:
        return {"week_days": 6, "alternating_weeks": False}
    bells: dict[bool, dict[int, dict]] = {False: {}, True: {}}
    for bell in year.bells:
        bells[bell.short][bell.pair_number] = {"starts_at": bell.starts_at, "ends_at": bell.ends_at}
    pairs = range(1, working_mode.MAX_PAIRS + 1)
    return {
        "week_days": year.week_days or 6, "alternating_weeks": year.alternating_weeks,
        "main_bells": [bells[False].get(n, {}) for n in pairs],
        "short_bells": [bells[True].get(n, {}) for n in pairs],
        "short_days": [{"on_date": d.on_date, "title": d.title} for d in year.short_days]
        if with_days else [],
    }


def _mode_entries(form: YearForm):
    """The bells (pair → start, end) and shortened days of the posted form, each fault of a
    pair put on its row (a Russian form error) and listed."""
    problems: list[str] = []
    schedules = []
    for entries, label in ((form.main_bells, working_mode.MAIN_LABEL),
                           (form.short_bells, working_mode.SHORT_LABEL)):
        pairs = {number: (entry.starts_at.data, entry.ends_at.data)
                 for number, entry in enumerate(entries, start=1)}
        for number, text in working_mode.check_bells(pairs, str(label)):
            entries[number - 1].ends_at.errors = [*entries[number - 1].ends_at.errors, text]
            problems.append(text)
        schedules.append(pairs)
    days = []
    for entry in form.short_days:
        title = (entry.title.data or "").strip()
        if entry.on_date.data is None:
            if title:
                entry.on_date.errors = [*entry.on_date.errors, _("Укажите дату сокращённого дня.")]
                problems.append(_("Сокращённый день «%(title)s»: укажите дату.", title=title))
            continue
        days.append(working_mode.ShortDayEntry(entry.on_date.data, title))
    return schedules[0], schedules[1], days, problems


def _period_dict(period: Period) -> dict:
    return {"title": period.title, "starts_on": period.starts_on, "ends_on": period.ends_on}


@bp.post("/<int:year_id>/current")
@permission_required("admin.year.open")
def make_current(year_id: int):
    year = db.session.get(AcademicYear, year_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        set_current(year)
        db.session.commit()
        flash(_("Текущий учебный год: %(title)s.", title=year.title), "success")
    return redirect(url_for("year.index"))


# --- departments, specialties, groups ---------------------------------------------------------


def _department_choices():
    return [SelectChoice(0, _("— не указано —"))] + [
        SelectChoice(d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.name))]


def _form_errors(form) -> None:
    for field_errors in form.errors.values():
        for error in field_errors:
            flash(str(error), "danger")


def _add_from(form, add: Callable[[], Any], done: Callable[[Any], str]):
    """A posted add form of the year's page: when ``form`` is valid, ``add()`` and commit with
    ``done(added)`` flashed, or roll back and flash its refusal; back to the year's page."""
    if form.validate_on_submit():
        try:
            added = add()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(done(added), "success")
    else:
        _form_errors(form)
    return redirect(url_for("year.index"))


@bp.post("/departments")
@permission_required("admin.year.open")
def department_add():
    form = DepartmentForm(prefix="dep")
    return _add_from(form, lambda: add_department(form.name.data),
                     lambda department: _("Отделение «%(name)s» добавлено.",
                                          name=department.name))


@bp.post("/specialties")
@permission_required("admin.year.open")
def specialty_add():
    form = SpecialtyForm(prefix="spec")
    form.department_id.choices = _department_choices()

    def add() -> Specialty:
        department = db.session.get(Department, form.department_id.data) if form.department_id.data else None
        return add_specialty(form.code.data, form.name.data, department, form.courses.data)

    return _add_from(form, add, lambda specialty: _("Специальность %(code)s добавлена.",
                                                    code=specialty.code))


@bp.route("/groups/new", methods=["GET", "POST"])
@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@permission_required("admin.year.open")
def group_form(group_id: int | None = None):
    group = None
    if group_id is not None:
        group = db.session.get(Group, group_id) or abort(404)
    specialties = db.session.scalars(select(Specialty).order_by(Specialty.code)).all()
    if not specialties:
        flash(_("Сначала добавьте специальность."), "warning")
        return redirect(url_for("year.index"))
    if group is not None and request.method == "GET":
        form = GroupForm(obj=group, curator_id=group.curator_id or 0)
    else:
        form = GroupForm(admission_year=academic_start_year(college_today()))
    form.specialty_id.choices = [SelectChoice(s.id, f"{s.code} {s.name}") for s in specialties]
    form.curator_id.label.text = curator_title()
    form.curator_id.choices = [SelectChoice(0, _("— не назначен —"))] + [
        SelectChoice(u.id, u.full_name) for u in curator_candidates()]
    status = 200
    if form.validate_on_submit():
        specialty = db.session.get(Specialty, form.specialty_id.data)
        curator = db.session.get(User, form.curator_id.data) if form.curator_id.data else None
        data = GroupData(name=form.name.data, specialty=specialty, course=form.course.data,
                         form_of_study=form.form_of_study.data,
                         admission_year=form.admission_year.data, curator=curator,
                         year=group.year if group is not None and group.year else current_year())
        try:
            saved = save_group(data, group)
        except DomainError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Группа %(name)s сохранена.", name=saved.name), "success")
            return redirect(url_for("year.index"))
    if request.method == "POST":
        status = 422
    split = SplitForm(prefix="split")
    return render_template("admin/year/group_form.html", form=form, group=group,
                           split=split), status


@bp.post("/groups/<int:group_id>/split")
@permission_required("admin.year.open")
def group_split(group_id: int):
    group = db.session.get(Group, group_id) or abort(404)
    form = SplitForm(prefix="split")
    if form.validate_on_submit():
        try:
            split_group(group, form.label.data, form.count.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(_("Подгруппы созданы."), "success")
    else:
        _form_errors(form)
    return redirect(url_for("year.group_form", group_id=group.id))


# --- next year --------------------------------------------------------------------------------


@bp.route("/next", methods=["GET", "POST"])
@permission_required("admin.year.open")
def next_year():
    current = current_year()
    candidates = db.session.scalars(
        select(AcademicYear).where(AcademicYear.is_current.is_(False))
        .where(AcademicYear.starts_on > (current.starts_on if current else date(1900, 1, 1)))
        .order_by(AcademicYear.starts_on)).all()
    form = NextYearForm(graduation_date=current.ends_on if current else None)
    form.year_id.choices = [SelectChoice(y.id, y.title) for y in candidates]
    groups = db.session.scalars(select(Group).where(Group.graduated.is_(False))
                                .order_by(Group.course, Group.name)).all()
    status = 200
    if form.validate_on_submit():
        new_year = db.session.get(AcademicYear, form.year_id.data)
        try:
            result = open_next_year(new_year, form.graduation_date.data, form.order_no.data,
                                    actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            form.order_no.errors = [*form.order_no.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Открыт учебный год %(title)s: переведено групп — %(p)s, выпущено групп — "
                    "%(g)s (обучающихся — %(n)s).", title=new_year.title, p=len(result.promoted),
                    g=len(result.graduated), n=result.graduates), "success")
            return redirect(url_for("year.index"))
    if request.method == "POST":
        status = 422
    return render_template("admin/year/next.html", form=form, current=current, groups=groups,
                           candidates=candidates), status


# --- import -----------------------------------------------------------------------------------


def load_upload(token: str) -> tuple[bytes, dict]:
    """The file and its details for ``token``, only for the user who uploaded it; else 404."""
    found = pending_uploads.stashed(current_user.id, token)
    if found is None:
        abort(404)
    return found


def _joined_on() -> date:
    year = current_year()
    if year is None:
        raise DomainError(_("Сначала создайте учебный год и сделайте его текущим."))
    term = term_on(year, college_today())
    return term.starts_on if term else year.starts_on


def _plan(data: bytes, filename: str):
    header, rows = importer.read_table(data, filename)
    return importer.plan_import(header, rows, college_today())


@bp.route("/import", methods=["GET", "POST"])
@permission_required("admin.year.open")
def import_upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("admin/year/import.html", form=form, columns=importer.COLUMNS,
                               current=current_year()), (422 if request.method == "POST" else 200)
    upload = form.file.data
    error = None
    if upload is None or not getattr(upload, "filename", ""):
        error = _("Выберите файл.")
    else:
        data = upload.read(importer.MAX_BYTES + 1)
        try:
            joined_on = _joined_on()
            plan = _plan(data, upload.filename)
        except importer.ImportFileError as exc:
            error = str(exc)
        except DomainError as exc:
            error = exc.message
    if error:
        form.file.errors = [error]
        return render_template("admin/year/import.html", form=form, columns=importer.COLUMNS,
                               current=current_year()), 422
    db.session.rollback()  # the check only read
    token = None
    if plan.ok:
        token = pending_uploads.stash(current_user.id, data, {
            "filename": upload.filename, "order_no": (form.order_no.data or "").strip()})
    return render_template("admin/year/import_preview.html", plan=plan, counts=plan.counts(),
                           token=token, filename=upload.filename, joined_on=joined_on,
                           confirm=ConfirmForm(),
                           titles={key: str(title) for key, title, _r in importer.COLUMNS}), (200 if plan.ok else 422)


@bp.post("/import/<token>/confirm")
@permission_required("admin.year.open")
def import_confirm(token: str):
    data, meta = load_upload(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        joined_on = _joined_on()
        plan = _plan(data, meta["filename"])
    except (importer.ImportFileError, DomainError) as exc:
        db.session.rollback()
        pending_uploads.drop(token)
        db.session.commit()
        flash(getattr(exc, "message", str(exc)), "danger")
        return redirect(url_for("year.import_upload"))
    if not plan.ok:
        db.session.rollback()
        pending_uploads.drop(token)
        db.session.commit()
        flash(_("Данные изменились с момента проверки: загрузите файл ещё раз."), "danger")
        return redirect(url_for("year.import_upload"))
    result = importer.apply_plan(plan, joined_on, meta.get("order_no") or _("импорт"),
                                 actor=current_user)
    pending_uploads.drop(token)  # with the import, or not at all
    db.session.commit()
    counts = result.counts
    flash(_("Импорт выполнен: обучающихся добавлено %(a)s, изменено %(b)s, без изменений %(c)s; "
            "родителей добавлено %(d)s, изменено %(e)s.", a=counts["students_create"],
            b=counts["students_update"], c=counts["students_unchanged"],
            d=counts["parents_create"], e=counts["parents_update"]), "success")
    return redirect(url_for("year.index"))


@bp.post("/import/<token>/cancel")
@permission_required("admin.year.open")
def import_cancel(token: str):
    load_upload(token)
    if ConfirmForm().validate_on_submit():
        pending_uploads.drop(token)
        db.session.commit()
        flash(_("Импорт отменён."), "info")
    return redirect(url_for("year.import_upload"))


@bp.get("/import/template.<fmt>")
@permission_required("admin.year.open")
def import_template(fmt: str):
    header = importer.template_header()
    example = ["ТМ-26", "26-1508-001", "Смирнова", "Анна", "Сергеевна", "14.03.2010",
               "anna.smirnova@mail.ru", "8 916 123-45-67",
               "Смирнова", "Елена", "Викторовна", "e.smirnova@mail.ru", "8 (916) 765-43-21", "мать"]
    example += [""] * (len(header) - len(example))
    if fmt == "csv":
        return Response(exports.csv_text([header, example]), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=import-template.csv"})
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Обучающиеся"
        exports.append_row(sheet, header)
        exports.append_row(sheet, example)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return Response(buffer.getvalue(), headers={
            "Content-Disposition": "attachment; filename=import-template.xlsx"},
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    abort(404)
