"""Attendance: absences in academic hours and lateness in the journal's grid, reasons set by the
curator or reported by parents, the curator's weekly «Пропуски», monthly sheets and counts."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="attendance",
    title="Посещаемость",
    version="0.1.0",
    requires=("journal",),
    hook_modules=("plugins.attendance.diary", "plugins.attendance.grid",
                  "plugins.attendance.reports", "plugins.attendance.archiving",
                  "plugins.attendance.purge"),
)
