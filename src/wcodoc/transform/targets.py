"""Labels: the targets of cross-references (``par:``, ``sec:``, ``uc:``; ``tbl:``, ``fig:`` from
:mod:`wcodoc.transform.floats`) and their numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PREFIXES = ("par", "sec", "uc")


@dataclass(frozen=True)
class Label:
    """A labelled target: ``key`` like ``par:objective``, the ``number`` the reader sees."""

    key: str
    number: str
    """Display text of the target's number: ``7``, ``9.e``, ``III``, ``3``."""
    bookmark: str
    """The Word bookmark placed at the target (see ``ooxml.fields.bookmark_name``)."""
    path: Path
    """The file that defines the label."""
    line: int | None = None
