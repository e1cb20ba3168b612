"""What each build wrote: the record that tells a built file from one edited since.

``build/.wcodoc-outputs.json`` holds, for each output a build wrote (``PC0685Ea.docx``), the
SHA-256 of its bytes and, for a format converted from another (the PDF), the file and SHA-256
it was made from. A build refuses to overwrite an output whose bytes are no longer the ones
recorded — someone edited the built DOCX in Word — and ``session list`` shows it; a PDF made
from another DOCX than the one in place (a build stopped between the two) is out of date.

The record is written while the output is renamed into place: before the rename it accepts
the old bytes and the new ones, after it the new ones, so a build killed at any moment never
makes its own output look edited. An output the record does not list (built before the record
existed) is the build's to overwrite.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output, atomic_write_bytes, shown_path
from wcodoc.writes import killpoint
from wcodoc.writes.lock import locked

RECORD = ".wcodoc-outputs.json"
FORMAT = 1


@dataclass(frozen=True)
class Recorded:
    """One output as the build that wrote it left it."""

    sha256: str
    made_from: tuple[str, str] | None = None
    """The output it was converted from (file name, SHA-256), for the PDF."""
    pending: str | None = None
    """The bytes of a build renaming it into place right now (also the build's)."""


def digest(path: Path) -> str:
    """The SHA-256 of ``path``'s bytes, in hex."""
    sha = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


class OutputRecord:
    """The record of the outputs in ``folder`` (``PROJECT/build``, or ``--outdir``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / RECORD

    def read(self) -> dict[str, Recorded]:
        """Output file name → what the build recorded; empty when there is no readable record
        (a damaged record protects nothing, and never stops a build)."""
        try:
            data = json.loads(self.path.read_bytes())
            return {
                name: Recorded(
                    str(entry["sha256"]),
                    tuple(entry["made_from"]) if entry.get("made_from") else None,
                    entry.get("pending"),
                )
                for name, entry in data["outputs"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def edited(self, output: Path) -> bool:
        """Whether ``output`` exists and is not what a build wrote (edited since)."""
        entry = self.read().get(output.name)
        if entry is None or not output.is_file():
            return False
        return digest(output) not in (entry.sha256, entry.pending)

    def stale(self, output: Path) -> bool:
        """Whether ``output`` was made from other bytes than those of the output it is made
        from (a PDF older than the DOCX beside it, after a build stopped between the two)."""
        entries = self.read()
        entry = entries.get(output.name)
        if entry is None or entry.made_from is None:
            return False
        name, sha = entry.made_from
        source = entries.get(name)
        return source is not None and source.sha256 != sha

    def refuse_edited(self, output: Path, project: Path) -> None:
        """Raise when ``output`` was edited since it was built (``project``: for the hint)."""
        if self.edited(output):
            raise WcodocError(
                "changed since wcodoc built it (edited by hand?); bring the edits into the sources "
                f"with 'wcodoc review apply {shown_path(project)} {shown_path(output)}', or pass "
                "--force to overwrite it",
                output,
            )

    def install(
        self, built: Path, output: Path, project: Path, *, made_from: Path | None = None, force: bool = False
    ) -> None:
        """Copy the finished file ``built`` into place as ``output`` (through a rename) and
        record it; refused if ``output`` was edited meanwhile, unless ``force``."""
        with atomic_output(output) as temporary:
            shutil.copyfile(built, temporary)
            if not force:
                self.refuse_edited(output, project)
            new = digest(temporary)
            before = self.read().get(output.name)
            old = before.sha256 if before else (digest(output) if output.is_file() else new)
            self._record(output.name, Recorded(old, pending=new))
            killpoint.reached(f"build:recorded-{output.suffix.lstrip('.')}")
        source = (made_from.name, digest(made_from)) if made_from is not None else None
        self._record(output.name, Recorded(new, source))

    def adopt(self, output: Path) -> bool:
        """Record ``output``'s bytes as the build's (its edits are in the sources now, so the
        next build may replace it); whether the record listed it."""
        if output.name not in self.read():
            return False
        self._record(output.name, Recorded(digest(output)))
        return True

    def _record(self, name: str, entry: Recorded) -> None:
        with locked(self.path):
            entries = self.read()
            entries[name] = entry
            data = {"format": FORMAT, "outputs": {n: asdict(e) for n, e in sorted(entries.items())}}
            atomic_write_bytes(self.path, json.dumps(data, indent=1).encode("utf-8"))
