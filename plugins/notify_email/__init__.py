"""E-mail to parents: the weekly digest of each child's diary, immediate alerts of absences and
failing marks, each parent's preferences and an unsubscribe link; the outbox's "email" channel."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="notify_email",
    title="Уведомления по электронной почте",
    version="0.1.0",
    requires=("family",),
)
