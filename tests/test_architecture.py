"""The package's shape: no import cycles, and each folder imports only the layers below it.

Imports inside functions count: an import moved into a function to dodge a cycle is a cycle
all the same. The allowed layers are the ones ``docs/dev/architecture.md`` draws.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "wcodoc"

FOUNDATION = {"wcodoc", "errors", "fsutil", "styles", "numerals", "writes"}
"""Leaves anyone may import (``wcodoc`` is the package itself, for ``__version__``)."""

MAY_IMPORT: dict[str, set[str]] = {
    "wcodoc": set(),
    "errors": set(),
    "fsutil": {"errors"},
    "writes": {"errors", "fsutil"},
    "styles": set(),
    "numerals": set(),
    "ooxml": set(),
    "load": set(),
    "parse": {"load"},
    "transform": {"load", "parse"},
    "kinds": {"load", "parse", "transform"},
    "render": {"load", "parse", "transform", "kinds", "ooxml"},
    "pdf": {"ooxml"},
    "build": {"load", "parse", "transform", "kinds", "render", "pdf"},
    "check": {"build", "load", "transform", "render", "ooxml"},
    "diff": {"build", "load", "transform", "kinds", "render", "ooxml", "pdf"},
    "review": {"build", "check", "load", "parse", "transform", "kinds", "render", "pdf", "ooxml", "diff"},
    "session": {"build", "check", "load", "parse", "transform", "kinds", "render", "pdf", "ooxml", "diff"},
    "workflow": {
        "build",
        "check",
        "load",
        "parse",
        "transform",
        "kinds",
        "render",
        "pdf",
        "ooxml",
        "diff",
        "session",
    },
    "commands": {"build", "check", "load", "transform", "pdf", "diff", "review", "session", "workflow"},
    "cli": {"commands"},
    "__main__": {"cli"},
}
"""Top-level module or folder → the layers (besides its own and the foundation) it may use."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imported(module: str, path: Path) -> Iterator[str]:
    """Every ``wcodoc`` module ``module`` imports, at any depth of its code."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: len(module.split(".")) - node.level + is_package]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


@functools.cache
def _graph() -> dict[str, set[str]]:
    return {
        name: {dep for dep in _imported(name, path) if dep in MODULES and dep != name}
        for name, path in MODULES.items()
    }


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for dep in graph[node]:
            if dep == start:
                return [*path, dep]
            if dep not in seen:
                seen.add(dep)
                stack.append((dep, [*path, dep]))
    return None


def test_the_walker_sees_imports_inside_functions() -> None:
    graph = _graph()
    assert "wcodoc.load.project" in graph["wcodoc.build"]
    assert graph["wcodoc.cli"] >= {"wcodoc.commands.build", "wcodoc.errors"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_cycle(module: str) -> None:
    cycle = _cycle_from(_graph(), module)
    assert cycle is None, " -> ".join(cycle or [])


def test_every_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for module, deps in _graph().items():
        layer = _layer(module)
        allowed = MAY_IMPORT.get(layer)
        assert allowed is not None, f"{module}: layer {layer!r} is not in the architecture"
        for dep in deps:
            target = _layer(dep)
            if target not in {layer, *FOUNDATION, *allowed}:
                wrong.append(f"{module} imports {dep}")
    assert wrong == []


def test_few_modules_at_the_top_of_the_package() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 10, sorted(top)


def test_no_module_shadows_the_standard_library() -> None:
    import sys

    shadows = [name for name in MODULES if name.rsplit(".", 1)[-1] in sys.stdlib_module_names]
    assert shadows == []
