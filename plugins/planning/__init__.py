"""Calendar-thematic plans (КТП; BTT 2.2, 4.5.2; KTIS 2.4, 3.13): for each teaching load an
ordered plan of sections and topics with hours, kind of work and self-study task, entered in a
fast editor or imported from XLSX/CSV; submitted by the teacher and approved (or returned) by
those the preset names; its hours must add up to the load's and the curriculum's. The lesson
form proposes the next planned topic, and plan against fact is shown per journal."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="planning",
    title="Календарно-тематические планы",
    version="0.1.0",
    requires=("journal",),
    hook_modules=("plugins.planning.reports", "plugins.planning.findings",
                  "plugins.planning.diary"),
)
