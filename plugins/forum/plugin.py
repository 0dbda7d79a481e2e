"""Hook implementations of the forum: tables, pages, the menu item with its unread badge (staff
only), who sees a section, topic, post or file (``object_scope``), the policy keys of topic
rights and the edit window, the edit rule (``policy_rules``), demo sections and topics."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.plugins import hookimpl
from core.plugins.types import NavItem


@hookimpl
def permissions():
    """The director and the administrator moderate: hide and restore posts, read their history."""
    from core.plugins.types import Permission
    from plugins.forum.rights import MODERATE, MODERATORS

    return [Permission(MODERATE, MODERATORS,
                       str(_l("Скрывать и восстанавливать сообщения форума, читать их историю")))]


@hookimpl
def policy_schema():
    from core.people.roles import ROLE_TITLES
    from core.policy.schema import PolicyKey
    from plugins.forum.rights import TOPIC_ROLES

    roles = tuple(str(role) for role in TOPIC_ROLES)
    return [
        PolicyKey("forum.topic_roles", "list[str]", [],
                  str(_l("Кто, кроме директора, открывает, закрепляет и закрывает темы форума")),
                  str(_l("Отвечать в темах может любой сотрудник; скрывают сообщения директор "
                         "и администратор.")),
                  choices=roles, labels=tuple((role, ROLE_TITLES[role]) for role in TOPIC_ROLES)),
        PolicyKey("forum.edit_minutes", "int", 30,
                  str(_l("Сколько минут после отправки автор может изменить своё сообщение на "
                         "форуме (0 — нельзя)")),
                  str(_l("Прежний текст сохраняется в истории сообщения; её видят директор и "
                         "администратор."))),
    ]


@hookimpl
def policy_rules(action, user, target, at, policy):
    """A forum post is edited by its author only, within ``forum.edit_minutes`` (409 after)."""
    if action != "forum.post.edit" or not user.is_authenticated:
        return None
    from plugins.forum.rights import edit_decision

    return edit_decision(user, target, at)


@hookimpl
def object_scope(user, target, access):
    """The forum's objects are the staff's; a hidden post's file only the moderators'."""
    from plugins.forum.models import Attachment, Post, Section, Topic

    if not isinstance(target, (Section, Topic, Post, Attachment)):
        return None
    from plugins.forum import rights

    if not rights.may_see(user):
        return False
    if isinstance(target, Attachment):
        from core.extensions import db

        post = db.session.get(Post, target.post_id)
        return post is not None and (not post.hidden or rights.may_moderate(user))
    return True


@hookimpl
def nav_items(user):
    from plugins.forum import reading, rights

    if not rights.may_see(user):
        return []
    return [NavItem(_l("Форум"), "forum.index", order=65, section="talk",
                    badge=reading.unread_topic_count(user))]


@hookimpl
def demo_data(college):
    from plugins.forum.demo import make_forum

    make_forum(college)


@hookimpl
def audit_labels():
    """Russian names of the audit codes the forum plugin records."""
    from flask_babel import lazy_gettext as _l

    from core.plugins.types import AuditLabels

    return AuditLabels(actions={
        "forum.section.create": _l("Раздел форума создан"),
        "forum.topic.open": _l("Тема форума открыта"),
        "forum.topic.pin": _l("Тема форума закреплена или откреплена"),
        "forum.topic.close": _l("Тема форума закрыта или открыта"),
        "forum.post.create": _l("Сообщение на форуме"),
        "forum.post.edit": _l("Сообщение форума изменено"),
        "forum.post.hide": _l("Сообщение форума скрыто"),
        "forum.post.restore": _l("Сообщение форума восстановлено"),
    }, fields={
    }, targets={
        "Section": _l("Раздел форума"),
        "Topic": _l("Тема форума"),
        "Post": _l("Сообщение форума"),
    })
