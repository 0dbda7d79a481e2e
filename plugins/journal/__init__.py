"""The journal: disciplines, teaching load, timetable and lessons: the frame other plugins fill."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(name="journal", title="Журнал: дисциплины, нагрузка, расписание, занятия",
                    version="0.1.0", routes=("plugins.journal.planning_views",),
                    hook_modules=("plugins.journal.archiving", "plugins.journal.purge"))
