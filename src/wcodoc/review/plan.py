"""The edits of one ``review apply``: the new text of each source file, what was applied where,
what was refused and why; shown as a unified diff or written all at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.fsutil import encode_like, read_text
from wcodoc.load.project import project_lock
from wcodoc.review.collect import Entry
from wcodoc.writes.lock import command_line

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

    def write(self, key: str = "") -> None:
        """Write every changed file, all or none, under the project's lock: each staged first,
        then all renamed into place under a journal, so a failure leaves every source as it
        was and an interruption is finished by the next command (``key``: what identifies a
        retry of this apply). Each file keeps its line ends (CRLF) and byte-order mark; a
        linked file is written where the link points."""
        if not self.texts:
            return
        with project_lock(self.root) as lock:
            for path in self.texts:
                if read_text(path) != self.originals[path]:  # a lock-less caller raced another
                    raise WcodocError("changed since review apply read it; run it again", path)
            targets = {path.resolve(): path for path in self.texts}
            report = {
                "applied": [
                    [str(path), line, entry.paragraph, entry.member] for path, line, entry in self.applied
                ],
                "refused": [[str(r.path) if r.path else None, r.line, r.reason] for r in self.refused],
            }
            with lock.begin("apply", command_line(), key, list(targets), data=report) as txn:
                for target, path in targets.items():
                    txn.write(target, encode_like(self.texts[path], target.read_bytes()))
                txn.commit()


def current(texts: Texts, originals: Texts, path: Path) -> str:
    """``path``'s text as edited so far, else as read."""
    return texts.get(path, originals[path])
