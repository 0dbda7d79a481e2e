"""Every hook, implemented simply; ``CALLS`` records what was called."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint, jsonify
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.plugins import hookimpl
from core.plugins.types import (
    AboutItem,
    EventHandler,
    HealthCheck,
    MigrationSource,
    NavItem,
    Permission,
    SettingSpec,
    Widget,
)
from core.policy import Decision
from core.policy.schema import PolicyKey
from tests.testplugin.events import Happened

CALLS: list[str] = []
EVENTS: list[tuple[str, str]] = []
MODELS: dict[str, type] = {}


@hookimpl
def register_models():
    if "Note" not in MODELS:
        class TestpluginNote(db.Model):
            __tablename__ = "testplugin_note"
            id: Mapped[int] = mapped_column(primary_key=True)
            text: Mapped[str] = mapped_column(String(200))

        MODELS["Note"] = TestpluginNote
    CALLS.append("register_models")


bp = Blueprint("testplugin", __name__, url_prefix="/testplugin", template_folder="templates")


@bp.get("/ping")
def ping():
    return jsonify(pong=True)


@hookimpl
def register_blueprints(app):
    app.register_blueprint(bp)


@hookimpl
def register_cli(cli):
    @cli.command("testplugin-hello")
    def hello():
        click.echo("привет от тестового плагина")


@hookimpl
def migration_dirs():
    return MigrationSource("testplugin", Path(__file__).parent / "migrations", "testplugin_")


@hookimpl
def settings_schema():
    return [SettingSpec("testplugin.greeting", str, "Здравствуйте", "Приветствие")]


@hookimpl
def policy_schema():
    return [PolicyKey("testplugin.max_notes", "int", 3, "Наибольшее число заметок")]


@hookimpl
def permissions():
    return [Permission("testplugin.note", frozenset({"teacher"}), "Писать заметки")]


@hookimpl
def event_handlers():
    return [
        EventHandler(Happened, lambda e: EVENTS.append(("in", e.what)), phase="in_transaction"),
        EventHandler("test.happened", lambda e: EVENTS.append(("after", e.what))),
    ]


@hookimpl
def health_checks():
    return [HealthCheck(key="testplugin", label="Тестовая проверка", ok=True, value=0,
                        detail="глубина 0")]


#: the topic of a lesson the test plugin's rule closes to "lesson.edit"
CLOSED_TOPIC = "Закрыто тестовым правилом"


@hookimpl
def policy_rules(action, user, target, at, policy):
    if action == "testplugin.note" and target is not None:
        if target > policy["testplugin.max_notes"]:
            return Decision.deny("Слишком много заметок")
        return Decision.allow()
    if action == "lesson.edit" and getattr(target, "topic", None) == CLOSED_TOPIC:
        return Decision.deny("Занятие закрыто тестовым правилом")
    return None


@hookimpl
def policy_rules_many(action, user, targets, at, policy):
    """Every rule of ``policy_rules`` for a batch (a plugin answering a batch answers all its
    actions here: ``check_many`` asks it instead); a batch of notes is recorded in ``CALLS``."""
    if action == "testplugin.note":
        CALLS.append(("policy_rules_many", len(targets)))
    return [policy_rules(action, user, target, at, policy) for target in targets]


@hookimpl
def nav_items(user):
    return [NavItem("Тестовый раздел", "testplugin.ping", order=50)]


@hookimpl
def dashboard_widgets(user):
    return [Widget("Тестовый виджет", "testplugin/widget.html", {"text": "<b>не HTML</b>"})]


@hookimpl
def admin_links(user):
    return [NavItem("Тестовая админка", "testplugin.ping")]


@hookimpl
def about_items():
    return [AboutItem("Тестовый пункт", "работает")]


@hookimpl
def demo_data(college):
    college.made["testplugin_saw_staff"] = "staff" in college.made
    CALLS.append("demo_data")


@hookimpl
def scope_group_ids(user, access):
    """Opens group ids listed in the user's e-mail field «groups:1,2» (tests only)."""
    email = getattr(user, "email", None) or ""
    if email.startswith("groups:"):
        return {int(part) for part in email[len("groups:"):].split(",") if part}
    return set()


@hookimpl
def object_scope(user, target, access):
    if isinstance(target, dict) and target.get("kind") == "testplugin.note":
        return access == "view" or target.get("owner") == getattr(user, "id", None)
    return None


@hookimpl
def journal_cells(load, lessons, students, user):
    from plugins.journal.api import Cell, CellSource

    cells = {(lesson.id, student.id): Cell("✓", title="тестовая отметка")
             for lesson in lessons for student in students if student.member_on(lesson.date)}
    return CellSource("testplugin", cells, save=save_cells)


@hookimpl
def journal_columns(load, students, user):
    from plugins.journal.api import Cell, Column

    return [Column("count", "Число", "testplugin", {s.id: Cell(str(i)) for i, s in enumerate(students)})]


SAVED: list = []


def save_cells(user, changes):
    """The test source's saver: "5" is saved, anything else refused (422)."""
    from plugins.journal.api import CellResult, CellValue

    SAVED.extend(changes)
    return [CellResult("testplugin", c.student_id, c.lesson_id, c.key, c.value == "5",
                       CellValue(c.value or "", c.value or "", 1),
                       status=200 if c.value == "5" else 422,
                       reason="" if c.value == "5" else "Только пятёрки") for c in changes]
