"""Labels: the targets of cross-references (``par:``, ``sec:``, ``uc:``; ``tbl:``, ``fig:`` from
:mod:`wcodoc.transform.floats`), their numbers and the stable anchors made from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PREFIXES = ("par", "sec", "uc")
ANCHOR_PREFIXES = {"par": "p", "sec": "sec-", "uc": "uc-", "tbl": "tbl-", "fig": "fig-"}
"""Label prefix → how the anchor of a target of that kind starts."""


def is_label(identifier: str) -> bool:
    """Whether an identifier the author wrote is a label (``par:aim``: a kind, ``:``, a name),
    rather than a plain pandoc identifier (``scope``) that a link ``[…](#scope)`` leads to."""
    return ":" in identifier


def anchor(kind: str, number: str) -> str:
    """The stable anchor of a numbered target of ``kind`` (a label prefix), from its printed
    number: ``p12``, ``p9b`` (sub-item ``9.b``), ``sec-III``, ``uc-3``, ``tbl-1``, ``fig-1``.

    The same in every language and every output format, so a link to ``#p12`` outlives a
    re-edition that keeps the paragraph's number.
    """
    return ANCHOR_PREFIXES.get(kind, f"{kind}-") + number.replace(".", "") if number else ""


Place = tuple[Path | None, int | None]
"""A file and a line in it, as messages name them."""


@dataclass(frozen=True)
class Label:
    """A labelled target: ``key`` like ``par:objective``, the ``number`` the reader sees."""

    key: str
    number: str
    """Display text of the target's number: ``7``, ``9.e``, ``III``, ``3``."""
    path: Path | None = None
    """The file that defines the label."""
    line: int | None = None
    origin: Callable[[], Place] | None = field(default=None, compare=False, repr=False)
    """Where the label stands, looked up when a message needs it (instead of ``path`` and
    ``line``): finding a line by pandoc's source positions costs a pandoc call."""

    @property
    def anchor(self) -> str:
        """The target's stable anchor (:func:`anchor`)."""
        return anchor(self.key.split(":", 1)[0], self.number)

    def where(self) -> Place:
        """The file and line that define the label."""
        return self.origin() if self.origin is not None else (self.path, self.line)
