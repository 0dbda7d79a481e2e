"""Marks, scales, weighted averages, finals, the minimum-marks rule, locks and corrections."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="grading",
    title="Оценки",
    version="0.1.0",
    requires=("journal",),
    hook_modules=("plugins.grading.diary", "plugins.grading.grid", "plugins.grading.reports",
                  "plugins.grading.archiving", "plugins.grading.purge"),
    routes=("plugins.grading.flag_views",),
)
