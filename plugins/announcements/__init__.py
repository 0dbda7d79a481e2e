"""College announcements and events (BTT 3.7, KTIS 3.13; REQUIREMENTS M3): for the whole
college, a course, a group or the staff, written by the administration (a curator for their
group), shown on the home page and in the diary of everyone they concern until they expire,
optionally e-mailed through the outbox; an event can be added to a calendar (``.ics``)."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="announcements",
    title="Объявления",
    version="0.1.0",
    requires=("journal",),
)
