"""Who may do what in the forum. Seeing it is the staff's (``core.people.scope.is_staff``);
opening, pinning and closing topics the director's and the roles of ``forum.topic_roles``;
moderating (hiding and restoring posts, reading their history) the director's and the
administrator's; editing a post its author's, within ``forum.edit_minutes`` of writing it."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from core.people import scope
from core.people.permissions import can
from core.people.roles import Role
from core.policy import Decision, policy_value
from plugins.forum.models import Post

#: the roles a preset may let open topics besides the director
TOPIC_ROLES = (Role.DEPUTY, Role.METHODIST, Role.ADMIN, Role.SUPERVISOR, Role.COMMISSION_HEAD,
               Role.CURATOR, Role.TEACHER)
#: the action of hiding and restoring posts and reading their history (``permissions``)
MODERATE = "forum.moderate"
MODERATORS = frozenset({str(Role.DIRECTOR), str(Role.ADMIN)})


def may_see(user) -> bool:
    """The forum is the staff's: families and students never learn it exists."""
    return scope.is_staff(user)


def may_open_topics(user) -> bool:
    """The director (BTT 4.7.2: «обозначать на форуме темы»), and the roles the policy names."""
    if not may_see(user):
        return False
    return user.has_role(Role.DIRECTOR, *policy_value("forum.topic_roles"))


def may_moderate(user) -> bool:
    return may_see(user) and can(user, MODERATE)


def may_manage_topics(user) -> bool:
    """Pin, unpin, close and reopen any topic."""
    return may_open_topics(user) or may_moderate(user)


def edit_decision(user, post: Post, at: datetime) -> Decision:
    """Whether ``user`` may edit ``post`` at ``at``: their own, not hidden, within the window
    (``forum.edit_minutes``; 0: posts are not edited)."""
    if post.author_id != user.id:
        return Decision.deny(_("Изменить можно только своё сообщение."), 403)
    if post.hidden:
        return Decision.deny(_("Сообщение скрыто модератором: изменить его нельзя."))
    minutes = policy_value("forum.edit_minutes")
    if minutes <= 0:
        return Decision.deny(_("Сообщения форума после отправки не изменяются."))
    if at > post.created_at + timedelta(minutes=minutes):
        return Decision.deny(_("Изменить сообщение можно в течение %(minutes)s мин. после "
                               "отправки: этот срок истёк.", minutes=minutes))
    return Decision.allow()


def may_edit(user, post: Post, at: datetime) -> bool:
    return bool(edit_decision(user, post, at))
