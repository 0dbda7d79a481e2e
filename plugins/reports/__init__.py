"""Reports: every plugin's reports (``report_providers``) on one page, rendered from one data
function to HTML, PDF (xhtml2pdf with the package's DejaVu fonts) and XLSX; long ones in the
worker with a progress bar; the printed year journal, the parents' information letter, group
fill rates and the monthly user activity."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="reports",
    title="Отчёты",
    version="0.1.0",
    requires=("journal",),
)
