"""The edits of one ``review apply``: the new text of each source file, what was applied where,
what was already there, what was refused and why; shown as a unified diff or written at once."""

from __future__ import annotations

import difflib
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.fsutil import atomic_output, encode_like

Texts = dict[Path, str]
"""A source file → its text (as edited so far, or as read)."""


@dataclass(frozen=True)
class Done:
    """An entry (one Member's changes to one paragraph key) applied, or found already made."""

    path: Path
    line: int
    paragraph: str
    member: str


@dataclass(frozen=True)
class Refusal:
    """An entry not written, and why (a conflict: with the text now and the one proposed)."""

    path: Path | None
    line: int | None
    paragraph: str
    member: str
    reason: str
    now: str | None = None
    """A conflict: the text in the sources now."""
    proposed: str | None = None
    """A conflict: the text the Member proposes."""

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}: " if self.path is not None else ""
        return f"{place}paragraph {self.paragraph} ({self.member}): {self.reason}"


@dataclass
class Plan:
    """The edits of one apply, per source file: the new text of each file changed."""

    root: Path
    """The project folder (file names in the diff are relative to it)."""
    sent: str = ""
    """What the copy answers, as found (``PC0685Ea (commit 1a2b3c4)``)."""
    texts: Texts = field(default_factory=dict)
    originals: Texts = field(default_factory=dict)
    applied: list[Done] = field(default_factory=list)
    already: list[Done] = field(default_factory=list)
    """Entries whose changes the sources already hold (the copy applied before)."""
    refused: list[Refusal] = field(default_factory=list)

    def diff(self) -> str:
        """The edits as a unified diff of the sources."""
        out: list[str] = []
        for path, new in self.texts.items():
            name = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)
            out.extend(
                difflib.unified_diff(
                    self.originals[path].splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    f"a/{name}",
                    f"b/{name}",
                )
            )
        return "".join(out)

    def write(self) -> None:
        """Write every changed file: all of them to temporary files first, then each renamed
        into place, so that a failure to write leaves every source as it was. Each keeps its
        line ends (CRLF) and byte-order mark."""
        with ExitStack() as stack:
            for path, text in self.texts.items():
                data = encode_like(text, path.read_bytes())
                stack.enter_context(atomic_output(path)).write_bytes(data)
