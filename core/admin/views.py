"""Administration: the active policy with overrides, settings, «О системе», the audit log."""

from __future__ import annotations

import sys

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired

from core import settings
from core.admin.forms import make_policy_form, parse_value
from core.errors import DomainError
from core.extensions import db
from core.forms import IntegerField
from core.people.access import permission_required
from core.people.permissions import can, declared
from core.people.roles import Role, role_titles
from core.plugins import hook, plugin_registry
from core.plugins.types import Permission
from core.policy import current_policy, reset_override, set_override

bp = Blueprint("admin", __name__, url_prefix="/admin")



@bp.get("/")
@permission_required("admin.view")
def index():
    links = [link for batch in hook().admin_links(user=current_user) for link in batch]
    links.sort(key=lambda link: (link.order, link.title))
    return render_template("admin/index.html", links=links)


@bp.get("/policy")
@permission_required("admin.view")
def policy_page():
    policy = current_policy()
    return render_template(
        "admin/policy.html",
        preset=policy.preset,
        plugins=plugin_registry().plugins,
        items=policy.items(),
        can_edit=can(current_user, "admin.settings.edit"),
        rights=_rights(),
    )


def _rights() -> list[tuple[Permission, list[str]]]:
    """Every declared action with the titles of the roles that may do it."""
    titles = role_titles()
    return [(permission, [titles[role] for role in Role if role in permission.roles])
            for _action, permission in sorted(declared().items())]


@bp.route("/policy/<key>", methods=["GET", "POST"])
@permission_required("admin.settings.edit")
def policy_edit(key: str):
    policy = current_policy()
    spec = policy.keys.get(key)
    if spec is None:
        abort(404)
    form = make_policy_form(spec, policy[key])
    if request.method == "POST" and request.form.get("reset"):
        if form.validate_on_submit():  # CSRF
            reset_override(key, actor=current_user)
            db.session.commit()
            flash(_("Значение возвращено к пресету."), "success")
            return redirect(url_for("admin.policy_page"))
    elif form.validate_on_submit():
        try:
            value = parse_value(spec.kind, form.value.data)
            changed = set_override(key, value, actor=current_user)
        except ValueError as exc:
            form.value.errors.append(str(exc))
        except DomainError as exc:
            form.value.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Значение сохранено.") if changed else _("Значение не изменилось."), "success")
            return redirect(url_for("admin.policy_page"))
    status = 422 if form.errors else 200
    return render_template("admin/policy_edit.html", spec=spec, form=form,
                           preset_value=policy.preset_value(key)), status


def _setting_field(spec):
    if spec.type is bool:
        return BooleanField(spec.title)
    if spec.type is int:
        return IntegerField(spec.title, validators=[InputRequired(_("Введите целое число"))])
    return StringField(spec.title)


@bp.route("/settings", methods=["GET", "POST"])
@permission_required("admin.settings.edit")
def settings_page():
    specs = settings.specs()
    fields = {key.replace(".", "__"): _setting_field(spec) for key, spec in specs.items()}
    form_class = type("SettingsForm", (FlaskForm,), fields)
    form = form_class(data={key.replace(".", "__"): settings.get(key) for key in specs})
    if form.validate_on_submit():
        changed = 0
        try:
            for key in specs:
                value = form[key.replace(".", "__")].data
                if specs[key].type is str:
                    value = (value or "").strip()
                changed += settings.set_setting(key, value, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(_("Настройки сохранены.") if changed else _("Изменений нет."), "success")
            return redirect(url_for("admin.settings_page"))
    status = 422 if form.errors else 200
    return render_template("admin/settings.html", form=form, specs=specs), status


@bp.get("/about")
@permission_required("admin.view")
def about():
    items = [item for batch in hook().about_items() for item in batch]
    items.append(type(items[0])(_("Python"), sys.version.split()[0]))
    return render_template("admin/about.html", items=items, plugins=plugin_registry().plugins,
                           preset=current_policy().preset)


@bp.get("/settings/history")
@permission_required("admin.view")
def settings_history():
    from core.audit import AuditEntry

    rows = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(("policy.override", "policy.reset", "setting.change",
                                      "setting.reset")))
        .order_by(AuditEntry.id.desc())
        .limit(500)
    ).all()
    return render_template("admin/settings_history.html", rows=rows)
