"""Requests to the administration (BTT 3.10, 4.1.3, 4.2.2, 4.4.2; KTIS 3.5–3.6, 3.12, 7.1.1;
REQUIREMENTS §7 A4): anyone signed in asks for help, a parent reports that their data changed, a
curator reports a student's movement, anyone reports a problem (with the incident number of an
error page). The administrator answers and moves the request through its statuses (each change
kept), applies a data change or a movement through the core's people functions, and the author
is told through the outbox. Requests left unanswered past ``helpdesk.answer_days`` are shown on
the administrator's home page."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="helpdesk",
    title="Обращения к администрации",
    version="0.1.0",
    requires=(),
)
