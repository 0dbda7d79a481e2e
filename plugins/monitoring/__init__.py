"""Usage monitoring (BTT 4.1.1, 4.2.2; KTIS 3.7–3.8, 6.1; REQUIREMENTS §7 A4): sign-ins and
active users by role per day, week and month, teachers' filling of their lessons (on the day or
later), families reached (signed in, opened a digest's link, never); for a curator, the students
and parents of the group with their last sign-in, a re-issue of credentials and a printable
list of those who never signed in; the monthly activity report."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="monitoring",
    title="Мониторинг использования",
    version="0.1.0",
    requires=("journal", "reports"),
    hook_modules=("plugins.monitoring.report",),
)
