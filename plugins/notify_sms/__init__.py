"""SMS to parents: new marks (BTT 4.2.2) and the period report (KTIS 3.12) through a generic
HTTP gateway, with quiet hours, a daily cap per recipient and Cyrillic length rules."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="notify_sms",
    title="SMS-уведомления",
    version="0.1.0",
    requires=("notify_email",),
)
