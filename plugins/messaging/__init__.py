"""Messages inside the journal (BTT 2.11, 3.4, 3.8, 4.3.1, 4.4.1, 4.5.2; KTIS 2.11, 3.12):
conversations within scope, letters to many, read receipts, attachments, notifications through
the outbox, and the rule that a family's message is answered in time (BTT 3.8)."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="messaging",
    title="Сообщения",
    version="0.1.0",
    requires=("journal",),
)
