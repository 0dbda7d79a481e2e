"""Hook implementations of sign-in."""

from __future__ import annotations

from core.people.roles import STAFF, Role
from core.plugins import hookimpl
from core.policy import Decision


@hookimpl
def register_blueprints(app):
    from core.auth.views import bp

    app.register_blueprint(bp)


@hookimpl
def policy_rules(action, user, target, at, policy):
    """BTT 4.3.2: a student may not change their own password when the policy says so."""
    if action != "password.change" or not user.is_authenticated:
        return None
    only_student = user.has_role(Role.STUDENT) and not user.has_role(*STAFF)
    if only_student and not policy["people.students_may_change_password"]:
        from flask_babel import gettext as _

        from core.people.signers import curator_title

        return Decision.deny(_("Обучающиеся не меняют пароль сами: новый пароль выдаёт "
                               "%(curator)s.", curator=curator_title(False)), status=403)
    return None

