"""Substitutions: who replaces an absent teacher for which lessons, the substitute's access to
exactly those lessons, the register of substitutions with hours for payroll, the term-end check."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="substitutions",
    title="Замещения",
    version="0.1.0",
    requires=("journal",),
    hook_modules=("plugins.substitutions.archiving", "plugins.substitutions.purge"),
)
