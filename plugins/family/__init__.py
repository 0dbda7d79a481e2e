"""The diary of students and parents: the week's lessons with topics, homework, marks and
absences, the term's marks by discipline and absences; a parent switches between children."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="family",
    title="Дневник",
    version="0.1.0",
    requires=("journal",),
)
