"""Session folders: ``session.yaml`` values inherited by the documents below it."""

from __future__ import annotations

from pathlib import Path

from wcodoc.meta import Layer
from wcodoc.yamlio import load_yaml

SESSION_YAML = "session.yaml"
INHERITED_KEYS = ("sessions", "dates", "place", "meeting")
SESSION_KEYS = (*INHERITED_KEYS, "committee", "language", "register")


def find_session_file(start: Path) -> Path | None:
    """The nearest ``session.yaml`` in ``start``'s parents (like git finds its repository)."""
    for folder in [Path(start).resolve(), *Path(start).resolve().parents]:
        candidate = folder / SESSION_YAML
        if candidate.is_file():
            return candidate
    return None


def session_layers(project_root: Path) -> list[Layer]:
    """Metadata layers a project inherits from its session folder (empty outside one)."""
    path = find_session_file(project_root.parent)
    if path is None:
        return []
    # The whole mapping is kept (for its line numbers); only inherited keys are ever read.
    return [Layer(path, load_yaml(path) or {}, keys=SESSION_KEYS)]
