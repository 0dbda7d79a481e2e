"""Materials per discipline (BTT 4.4.2, REQUIREMENTS J12): methodological recommendations,
tasks and literature that a load's teacher (or the administration) attaches to a teaching load
or to one of its lessons, as files or a link; the load's students and their parents see them in
the diary beside the self-study task, staff who read the journal on the load's page."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="materials",
    title="Материалы по дисциплинам",
    version="0.1.0",
    requires=("journal",),
    hook_modules=("plugins.materials.diary", "plugins.materials.purge"),
)
