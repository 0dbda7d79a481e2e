"""Forecasts of results (BTT 2.9, KTIS 2.9; REQUIREMENTS §2 R8–R9): for each student and
teaching load the expected final with a range, from the current marks (their weights, types and
trend), the marks still missing for the minimum-marks rule and the required kinds of work, the
lessons left in the term and attendance; the risk of a 2 or of «н/а», and in words why. Shown
to the teacher in the grid's final column, to the curator and the deputy, and in the diary when
``forecast.visible_to_families`` allows; a group's forecast as a report. ``api.py`` is the
interface for other plugins; ``model.py`` the statistics (no database)."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="forecast",
    title="Прогноз успеваемости",
    version="0.1.0",
    requires=("journal", "grading", "attendance"),
    # the early warning and the readiness for the demonstration exam and the ВКР
    models=("plugins.forecast.readiness_models",),
    routes=("plugins.forecast.warning_views", "plugins.forecast.readiness_views"),
    hook_modules=("plugins.forecast.diary", "plugins.forecast.report", "plugins.forecast.hooks"),
)
