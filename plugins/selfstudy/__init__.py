"""Self-study that is tracked (BTT 3.5, 4.3.1, 4.4.2; KTIS 3.13): a teacher sets a task on a
journal (or one of its lessons) for the whole group or for chosen students, with a due date and,
if offered, a consultation (distance, with its link, or in person); a student marks it done or
hands in a text or files; the teacher sees who handed in and marks it into the journal through
the grading plugin; the family sees the task and its state in the diary and the weekly digest."""

from core.plugins import PluginInfo

PLUGIN = PluginInfo(
    name="selfstudy",
    title="Самостоятельная работа",
    version="0.1.0",
    requires=("journal", "grading", "family"),
    hook_modules=("plugins.selfstudy.diary",),
)
