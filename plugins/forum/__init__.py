"""The staff forum (BTT 4.2.1, 4.5.1, 4.6.2, 4.7.2; REQUIREMENTS §3 J12, §6 M2, M3): sections
and topics opened by the director (and the roles the policy names), replies with quotes,
attachments and a kept edit history, moderation, subscriptions mailed through the outbox,
unread markers and search. Families and students never see it (every page is a 404 to them)."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="forum",
    title="Форум",
    version="0.1.0",
    requires=(),
)
