"""Every audit action code the tree can write, read from the source (``ast``): the first argument
of each ``audit.record``, ``audit.record_read`` and ``audit.record_bulk_read`` call, and the
``action=`` of the helpers that pass it on. A code built at run time (an f-string, a prefix plus
a state) is a pattern: ``tests/test_audit_labels.py`` asks that a label matches it."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures import ROOT

RECORDERS = {"record", "record_read", "record_bulk_read"}
#: the audit module itself writes these (its chain's start and anchors)
CORE_CODES = {"audit.keyed", "audit.anchor"}


@dataclass(frozen=True)
class Code:
    """A code (``pattern`` False) or a regular expression of codes, and where it is written."""

    text: str
    where: str
    pattern: bool = False


def _sources() -> list[Path]:
    files = [*ROOT.glob("core/**/*.py"), *ROOT.glob("plugins/*/**/*.py")]
    return sorted(p for p in files if "/tests/" not in str(p) and p.name != "audit.py"
                  or p.parts[-2:] == ("core", "audit_anchor.py"))


def _is_recorder(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in RECORDERS
            and isinstance(func.value, ast.Name) and func.value.id == "audit")


def _pattern(node: ast.expr, names: dict[str, set[str]]) -> list[str]:
    """Regular expressions of the strings ``node`` can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [re.escape(node.value)]
    if isinstance(node, ast.IfExp):
        return _pattern(node.body, names) + _pattern(node.orelse, names)
    if isinstance(node, ast.JoinedStr):
        parts = [re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+"
                 for v in node.values]
        return ["".join(parts)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _pattern(node.left, names) for b in _pattern(node.right, names)]
    if isinstance(node, ast.Name) and node.id in names:
        return [re.escape(value) for value in sorted(names[node.id])]
    return ["[a-z_]+"]


def _passed_values(trees: dict[Path, ast.Module]) -> dict[str, dict[str, set[str]]]:
    """For each function ``f`` and parameter ``p``: the string constants given to it (as a
    default, by keyword or by position) anywhere in the tree."""
    params: dict[str, list[list[str]]] = {}  # a name's signatures (methods share names)
    found: dict[str, dict[str, set[str]]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                args = [a.arg for a in node.args.args + node.args.kwonlyargs]
                params.setdefault(node.name, []).append(args)
                defaults = list(zip(node.args.args[::-1], node.args.defaults[::-1], strict=False))
                defaults += [(a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults,
                                                    strict=True) if d is not None]
                for arg, default in defaults:
                    if isinstance(default, ast.Constant) and isinstance(default.value, str):
                        found.setdefault(node.name, {}).setdefault(arg.arg, set()).add(
                            default.value)
    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in params:
                continue
            given = [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
            for names in params[name]:
                if names[:1] == ["self"] and isinstance(node.func, ast.Attribute):
                    names = names[1:]  # a method called on its object
                given += list(zip(names, node.args, strict=False))
            for arg, value in given:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(name, {}).setdefault(arg, set()).add(value.value)
    return found


def audit_codes() -> list[Code]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _sources()}
    passed = _passed_values(trees)
    codes = [Code(code, "core/audit.py") for code in sorted(CORE_CODES)]
    audit_module = ast.parse((ROOT / "core" / "audit.py").read_text(encoding="utf-8"))
    constants: dict[str, set[str]] = {}
    for tree in [audit_module, *trees.values()]:
        for node in tree.body:  # the modules' constants: ANCHOR = "audit.anchor"
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants.setdefault(target.id, set()).add(node.value.value)
    for path, tree in trees.items():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            names = constants | passed.get(function.name, {})
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _is_recorder(node) and node.args:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    for text in _pattern(node.args[0], names):
                        plain = re.sub(r"\\(.)", r"\1", text)
                        is_pattern = re.escape(plain) != text
                        codes.append(Code(text if is_pattern else plain, where, is_pattern))
    return sorted(set(codes), key=lambda code: (code.text, code.where))
