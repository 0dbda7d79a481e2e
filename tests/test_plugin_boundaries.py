"""What a plugin's code may import of other plugins, read from the source (tests and
migrations are exempt: a scenario may use any plugin, a revision is frozen history).

- A plugin imports only plugins it requires (``PLUGIN.requires``, and what those require:
  start-up guarantees all of them are enabled). Events of a plugin it does not require are
  matched by their name (``EventHandler("grade.posted", ...)``), never imported.
- A plugin never imports another plugin's ``models``: it asks the other plugin's API
  (``plugins/journal/api.py``), so no query of its own joins another plugin's tables. A
  foreign key to another plugin's table is declared by its table name in the plugin's own
  ``models.py`` (``ForeignKey("journal_lesson.id")``), which needs no import.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PLUGINS_DIR = Path(__file__).resolve().parent.parent / "plugins"
PLUGIN_NAMES = sorted(p.name for p in PLUGINS_DIR.iterdir() if (p / "__init__.py").exists())


def _requires(name: str) -> tuple[str, ...]:
    return tuple(importlib.import_module(f"plugins.{name}").PLUGIN.requires)


def allowed_plugins(name: str) -> set[str]:
    """The plugin itself and every plugin its requirements bring in."""
    found, todo = {name}, list(_requires(name))
    while todo:
        required = todo.pop()
        if required not in found:
            found.add(required)
            todo.extend(_requires(required))
    return found


def modules_of(name: str) -> list[Path]:
    """The plugin's own code: every module but its tests and migrations."""
    root = PLUGINS_DIR / name
    return sorted(path for path in root.rglob("*.py")
                  if not {"tests", "migrations"} & set(path.relative_to(root).parts[:-1]))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in the module, nested ones included; for
    ``from plugins.x import y`` both ``plugins.x`` and ``plugins.x.y`` (y may be a module)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def plugin_imports(name: str) -> list[tuple[str, int, str, str]]:
    """(module, line, imported plugin, dotted name) of the plugin's imports of plugins."""
    found = []
    for path in modules_of(name):
        for line, module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "plugins" and len(parts) > 1:
                found.append((str(path.relative_to(PLUGINS_DIR.parent)), line, parts[1], module))
    return found


@pytest.mark.parametrize("name", PLUGIN_NAMES)
def test_a_plugin_imports_only_plugins_it_requires(name):
    allowed = allowed_plugins(name)
    wrong = [f"{where}:{line} imports {module}" for where, line, other, module
             in plugin_imports(name) if other not in allowed]
    assert not wrong, f"«{name}» requires only {sorted(allowed - {name})}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", PLUGIN_NAMES)
def test_a_plugin_never_imports_another_plugins_models(name):
    wrong = [f"{where}:{line} imports {module}" for where, line, other, module
             in plugin_imports(name)
             if other != name and module.split(".")[2:3] == ["models"]]
    assert not wrong, "ask the other plugin's API instead:\n" + "\n".join(wrong)


def test_the_boundary_checks_see_a_forbidden_import(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from plugins.journal.models import Lesson\n"
                      "from plugins.grading import rules\n", encoding="utf-8")
    assert imported_modules(module) == [
        (3, "plugins.grading"), (3, "plugins.grading.rules"),
        (2, "plugins.journal.models"), (2, "plugins.journal.models.Lesson")]
    assert "grading" not in allowed_plugins("notify_sms")
    assert {"notify_email", "family", "journal"} <= allowed_plugins("notify_sms")


def _runtime_imports(path: Path) -> list[tuple[int, str]]:
    """``imported_modules`` without the imports under ``if TYPE_CHECKING:`` (annotations only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    typing_only = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING"
                   for inner in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_the_core_imports_no_plugin():
    """The core is below every plugin: it reaches them only through hooks (a core module that
    imported a plugin would break every college that disables it)."""
    core = PLUGINS_DIR.parent / "core"
    found = [f"{path.relative_to(core.parent)}:{line} imports {module}"
             for path in sorted(core.rglob("*.py")) if "tests" not in path.parts
             for line, module in _runtime_imports(path) if module.split(".")[0] == "plugins"]
    assert found == []


def test_the_core_check_sees_a_plugin_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from plugins.journal.api import LoadInfo\n"
                      "def f():\n    from plugins.grading import rules\n", encoding="utf-8")
    assert [name for _line, name in _runtime_imports(module)] == ["typing", "plugins.grading"]
