"""The archive (BTT 1.4, 5.1, 5.3; KTIS 5.5; REQUIREMENTS §7 A1, A3): at the end of each period
of ``archive.period`` the administrator closes it; the worker writes the printed journals and
the summary statements as PDF, the period's data as CSV and JSON, and a sealed manifest, through
one storage interface (``storage.py``). An archived period is read-only for everyone; a
correction the rules still allow is an addendum, its own sealed file (docs/archive.md)."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="archive",
    title="Архив",
    version="0.1.0",
    # grading: a period closes once its finals are set (and the demo's finished year is
    # closed after grading's demo has set them)
    requires=("journal", "reports", "grading"),
    models=("plugins.archive.models", "plugins.archive.record_models"),
    routes=("plugins.archive.upkeep_views",),
    hook_modules=("plugins.archive.served", "plugins.archive.upkeep"),
)
