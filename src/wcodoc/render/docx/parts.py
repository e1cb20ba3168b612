"""Write the DOCX in parts: one pandoc body per part, written in parallel, cached, spliced.

The assembled document comes in parts (the cover, each ``#`` section, each annex; see
``build.assemble_parts``), each lowered for Word (``lower.py``). A part's *fragment* (its body,
notes, links, media, lists, styles under pandoc's ids; ``ooxml/splice.py``) is cached under
``build/.cache/parts/<key>.zip``, the key covering everything pandoc's output depends on: the
neutral part and the code that lowers it (so every cross-reference number it prints, every
bookmark and style name), the template's bytes, the date of issue (``SOURCE_DATE_EPOCH``), the
pandoc and wcodoc versions and the fragment format; a part found in the cache is not lowered
again. Parts not in the cache are written by as many pandoc calls as there are jobs, the first
ones as soon as they are lowered, the rest several to a call, then cut apart again. The splice
renumbers every id in order of appearance, so the bytes never depend on which call wrote which
part nor on the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc import __version__
from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_write_bytes, read_regular
from wcodoc.ooxml.package import Parts, read_package, write_package
from wcodoc.ooxml.splice import F_BODY, F_TYPES, splice, split_marker, split_package
from wcodoc.parse.pandoc import dump_json, json_to_docx, load_json, pandoc_version, share_out
from wcodoc.render.docx.lower import Lowering, lowering_digest

FRAGMENT_FORMAT = "2"
"""Raised when what a cached fragment holds changes (``ooxml/splice.py``)."""
SHELL = "shell"
KEY_ENTRY = "wcodoc-key"
"""The zip entry of a cached fragment holding its key (the zip's checksums cover the entries,
not the archive's name)."""
_CITATION = b'{"t":"Cite"'
"""A citation node in a part's JSON (orjson writes ``t`` first, without spaces)."""
LABELS_ENTRY = "wcodoc-labels"
"""The zip entry of a cached fragment listing the labels its part gave bookmarks (JSON)."""

Node = dict[str, Any]


@dataclass(frozen=True)
class Written:
    """The parts as pandoc wrote them: the empty document's package and a fragment a part."""

    shell: Parts
    fragments: list[Parts]


class PartCache:
    """Fragments by key in ``folder`` (``None``: no cache); counts hits and misses."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()

    def get(self, key: str) -> Parts | None:
        self.used.add(key)
        if self.folder is None:
            return None
        try:
            parts = read_package(io.BytesIO(read_regular(self.folder / f"{key}.zip")))
        except (OSError, WcodocError):
            parts = None  # missing, damaged, not a file: write it again
        required = ("word/document.xml",) if key.startswith(SHELL) else (F_BODY, F_TYPES)
        if parts is None or parts.pop(KEY_ENTRY, None) != key.encode() or not parts.keys() >= set(required):
            self.misses += 1  # another key's fragment under this name too: never trusted
            return None
        self.hits += 1
        return parts

    def put(self, key: str, parts: Parts) -> None:
        if self.folder is None:
            return
        buffer = io.BytesIO()
        write_package({**parts, KEY_ENTRY: key.encode()}, buffer, compress=False)
        with contextlib.suppress(OSError, WcodocError):  # a cache that cannot be written costs time only
            atomic_write_bytes(self.folder / f"{key}.zip", buffer.getvalue())

    def prune(self) -> None:
        """Remove the fragments this build did not use (earlier versions of edited parts)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.zip"):
            if path.stem not in self.used:
                with contextlib.suppress(OSError):
                    path.unlink()


def write_parts(
    parts: Iterable[list[Node]],
    api_version: list[int],
    *,
    reference_docx: Path,
    epoch: int | None,
    cache: PartCache,
    jobs: int | None = None,
    lowering: Lowering | None = None,
) -> Written:
    """Every part of ``parts`` written, from the cache or by pandoc; ``parts`` may be an
    iterator (each part is needed only until it is serialised).

    The parts are lists of blocks as pandoc reads them, or with ``lowering`` the neutral parts
    it lowers: a part found in the cache is then not lowered at all (its key is the neutral
    part and the lowering code, :func:`lowering_digest`), only its labels checked again.
    """
    salt = "\0".join(
        (
            hashlib.sha256(reference_docx.read_bytes()).hexdigest(),
            str(epoch),
            pandoc_version(),
            __version__,
            FRAGMENT_FORMAT,
            json.dumps(api_version),
        )
    ).encode()
    shell_key = SHELL + "-" + hashlib.sha256(salt).hexdigest()
    header = b'{"pandoc-api-version":' + json.dumps(api_version).encode() + b',"meta":{},"blocks":['
    workers = jobs or os.cpu_count() or 2
    code = lowering_digest() + b"\0" if lowering is not None else b""
    bodies: list[bytes] = []
    keys: list[str] = []
    labels: dict[int, list[str]] = {}
    fragments: dict[int, Parts] = {}

    with (
        tempfile.TemporaryDirectory(prefix="wcodoc-parts-") as tmp,
        ThreadPoolExecutor(2 * workers + 1) as pool,
    ):

        def write(name: str, indices: Sequence[int]) -> Parts:
            pieces: list[bytes] = []
            for n, i in enumerate(indices):
                pieces.append(bodies[i])
                if n < len(indices) - 1:
                    pieces.append(dump_json({"t": "RawBlock", "c": ["openxml", split_marker(n)]}))
            data = header + b",".join(pieces) + b"]}"
            output = Path(tmp) / f"{name}.docx"
            json_to_docx(data, output, reference_docx=reference_docx, epoch=epoch)
            return read_package(output)

        shell = cache.get(shell_key)
        shell_job = pool.submit(write, SHELL, []) if shell is None else None
        written: list[tuple[list[int], Future[Parts]]] = []
        missing: list[int] = []
        for i, blocks in enumerate(parts):
            bodies.append(_body(blocks))
            if _CITATION in bodies[i]:
                # The transform resolves every @key; one left would print as "@key" in a
                # document that builds without a word: stop instead.
                raise WcodocError("a cross-reference was left unresolved (a wcodoc bug): please report it")
            keys.append(hashlib.sha256(salt + b"\0" + code + bodies[i]).hexdigest())
            found = cache.get(keys[i])
            made = _labels_of(found) if found is not None else None
            if found is not None and (lowering is None or made is not None):
                fragments[i], bodies[i] = found, b""
                if lowering is not None:
                    lowering.replay(made or [])
                continue
            if lowering is not None:
                lowered, labels[i] = lowering.part_and_labels(blocks)
                bodies[i] = _body(lowered)
            if len(written) < workers:
                # The first parts missing go to pandoc at once, while Python lowers the rest:
                # after a one-chapter edit, the only one; on a cold build, the first of many.
                written.append(([i], pool.submit(write, f"part{i}", [i])))
            else:
                missing.append(i)
        for n, batch in enumerate(share_out(missing, [len(bodies[i]) for i in missing], workers)):
            written.append((batch, pool.submit(write, f"batch{n}", batch)))
        if shell_job is not None:
            shell = shell_job.result()
            cache.put(shell_key, shell)
        assert shell is not None
        for batch, job in written:
            for i, fragment in zip(batch, split_package(job.result(), shell, len(batch)), strict=True):
                fragments[i] = fragment
                extra = {LABELS_ENTRY: dump_json(labels[i])} if lowering is not None else {}
                cache.put(keys[i], {**fragment, **extra})
    cache.prune()
    return Written(shell, [fragments[i] for i in range(len(bodies))])


def _labels_of(fragment: Parts) -> list[str] | None:
    """The labels a cached fragment's part gave bookmarks, taken out of it; ``None`` if the
    entry is missing or damaged (the part is then lowered and written again)."""
    try:
        labels = load_json(fragment.pop(LABELS_ENTRY))
    except (KeyError, ValueError):
        return None
    if isinstance(labels, list) and all(isinstance(label, str) for label in labels):
        return labels
    return None


def _body(blocks: list[Node]) -> bytes:
    # Each part in a Div of its own: pandoc closes a section (and the bookmark of its heading)
    # at the end of the Div, so nothing of one part spills past the marker into the next.
    return dump_json({"t": "Div", "c": [["", [], []], blocks]})


def splice_parts(written: Written) -> Parts:
    """The one package of the written parts, before finishing (``ooxml.splice``)."""
    return splice(written.shell, written.fragments)
