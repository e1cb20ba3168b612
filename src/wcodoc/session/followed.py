"""Where in git history the original is as a translation followed it.

A translation's ``follows: PC0685Ea`` names a version; what the translator had in front of them
is the original *when that line was written*: the commit where the translation's
``document.yaml`` took that value, if the original there is that version. Otherwise (the line
not committed yet, or written before the original's version was) it is the version as issued:
the commit where the original's ``document.yaml`` took that reference. The newest commit with
that reference would hide every late edit made to the version before it was reissued.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from wcodoc.diff.sources import is_shallow, yaml_at, yaml_history
from wcodoc.errors import WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML


def followed_commit(translation: Path, original: Path, version: str) -> str:
    """The commit holding ``original`` as ``translation`` followed it (``version``, e.g.
    ``PC0685Ea``); raises :class:`WcodocError` when the history has no such commit."""
    written = took_value(yaml_history(translation, DOCUMENT_YAML), "follows", version)
    if written is not None and _value(yaml_at(written, original, DOCUMENT_YAML), "reference") == version:
        return written
    issued = took_value(yaml_history(original, DOCUMENT_YAML), "reference", version)
    if issued is not None:
        return issued
    where = f"{original.name}/{DOCUMENT_YAML}"
    if is_shallow(original):
        raise WcodocError(
            f"this clone's history is shallow and holds no commit of {where} with reference {version}: "
            "run 'git fetch --unshallow'"
        )
    raise WcodocError(f"no commit of {where} has reference {version}: commit each version as issued")


def took_value(history: Iterator[tuple[str, Mapping]], key: str, value: str) -> str | None:
    """The commit where ``key`` last took ``value``: in ``history`` (newest first), the oldest
    commit of the newest run of commits whose ``key`` is ``value``."""
    found = None
    for commit, data in history:
        if _value(data, key) == value:
            found = commit
        elif found is not None:
            break
    return found


def _value(data: Mapping | None, key: str) -> str | None:
    value = data.get(key) if data is not None else None
    return None if value is None else str(value).strip()
