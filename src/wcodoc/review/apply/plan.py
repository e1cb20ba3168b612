"""The edits of one ``review apply``: the new text of each source file, what was applied where,
what was refused and why; shown as a unified diff or written all at once."""

from __future__ import annotations

import difflib
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.fsutil import atomic_output, encode_like
from wcodoc.review.collect import Entry

Texts = dict[Path, str]
"""A source file → its text (as edited so far, or as read)."""

Done = tuple[Path, int]
"""Where an entry was applied: the file and the line of its (first) paragraph."""


@dataclass(frozen=True)
class Refusal:
    """A change not written, and why."""

    path: Path | None
    line: int | None
    reason: str

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}: " if self.path is not None else ""
        return f"{place}{self.reason}"


@dataclass
class Plan:
    """The edits of one apply, per source file: the new text of each file changed."""

    root: Path
    """The project folder (file names in the diff are relative to it)."""
    texts: Texts = field(default_factory=dict)
    originals: Texts = field(default_factory=dict)
    applied: list[tuple[Path, int, Entry]] = field(default_factory=list)
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


def current(texts: Texts, originals: Texts, path: Path) -> str:
    """``path``'s text as edited so far, else as read."""
    return texts.get(path, originals[path])
