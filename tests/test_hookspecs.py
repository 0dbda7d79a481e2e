"""Every hook is documented and exercised by a test named ``test_hook_<name>`` (Datasette's rule)."""

from __future__ import annotations

import inspect
import re

import pytest

from core.plugins import hookspecs
from tests.fixtures import ROOT

HOOKS = sorted(
    name for name, obj in vars(hookspecs).items()
    if inspect.isfunction(obj) and hasattr(obj, "ejournal_spec")
)


def _test_sources() -> str:
    files = [*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("plugins/*/tests/**/test_*.py")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_there_are_hooks():
    assert "journal_cells" in HOOKS or "nav_items" in HOOKS
    assert len(HOOKS) >= 15


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name):
    doc = inspect.getdoc(getattr(hookspecs, name))
    assert doc and len(doc) > 20, f"hook {name} needs a docstring saying when it is called and what it returns"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name):
    assert re.search(rf"def test_hook_{name}\b", _test_sources()), (
        f"hook {name} has no test: write `def test_hook_{name}(...)` that calls it"
    )


def test_hookspecs_module_holds_only_hooks():
    public = [n for n, o in vars(hookspecs).items() if inspect.isfunction(o) and not n.startswith("_")]
    assert sorted(public) == HOOKS


@pytest.mark.parametrize("name", HOOKS)
def test_hook_names_every_parameter_in_its_docstring(name):
    spec = getattr(hookspecs, name)
    doc = inspect.getdoc(spec)
    missing = [param for param in inspect.signature(spec).parameters
               if f"``{param}``" not in doc]
    assert not missing, f"hook {name}: say in its docstring what ``{'``, ``'.join(missing)}`` is"
