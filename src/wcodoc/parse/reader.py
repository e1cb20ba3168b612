"""Parse sources to pandoc's AST, in parallel, with a cache keyed by content and versions.

A cache entry is ``build/.cache/ast/<sha256>.json``, the key covering the source text, the
pandoc version and the wcodoc version. Entries are written atomically, so concurrent builds
share them safely. An entry starts with the digest of its key and its JSON: one that does not
match (a corrupt entry, another key's entry under this name) is re-parsed, never trusted, and
so is valid JSON of another shape. The same kind of
folder (:class:`ContentCache`) keeps other values computed from one file's text alone: the
validated use cases, each chapter's own lint warnings.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc import __version__
from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_write_bytes, read_regular, read_text
from wcodoc.parse.pandoc import MARKDOWN, dump_json, load_json, markdown_to_ast, pandoc_version, share_out
from wcodoc.parse.positions import Place, holds, line_of, places


@dataclass(frozen=True)
class Source:
    """One Markdown source: its path, text and pandoc AST."""

    path: Path
    text: str
    ast: dict[str, Any]

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return self.ast["blocks"]

    @functools.cached_property
    def places(self) -> list[Place]:
        """Where each of its blocks stands (:func:`wcodoc.parse.positions.places`: one more
        pandoc call, made the first time a line is asked for)."""
        return places(self.text, self.blocks)

    def holds(self, node: Any) -> bool:
        """Whether ``node`` (the very object) stands in this source's blocks."""
        return holds(self.blocks, node)

    def line_at(
        self,
        node: Any,
        needle: str | re.Pattern[str] = "",
        *,
        same: Callable[[Any], bool] | None = None,
        word_start: bool = False,
    ) -> int | None:
        """The line of ``node``, an object of this source's AST (a block, an inline …): where
        ``needle`` stands within the place of the block that holds it, else that place's first
        line (:func:`wcodoc.parse.positions.line_of`); ``None`` when no block of this source
        holds ``node``."""
        return line_of(self.text, self.blocks, self.places, node, needle, same=same, word_start=word_start)


def locate(
    node: Any,
    sources: Sequence[Source],
    needle: str | re.Pattern[str] = "",
    *,
    same: Callable[[Any], bool] | None = None,
    word_start: bool = False,
) -> tuple[Path | None, int | None]:
    """The file and line of ``node`` (the very object) among ``sources``' ASTs, as
    :meth:`Source.line_at` finds it; ``(None, None)`` when no source holds it (text from
    document.yaml)."""
    for source in sources:
        if source.holds(node):
            return source.path, source.line_at(node, needle, same=same, word_start=word_start)
    return None, None


class ContentCache:
    """A folder of JSON values keyed by the content they were computed from (``None``: no cache).

    Each entry starts with the digest of its key and JSON: one that does not match is a miss,
    and so is anything but a regular file.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()  # one build reads several groups of sources at once

    def count(self, hits: int, misses: int) -> None:
        """Record cache hits and misses (thread-safe)."""
        with self._lock:
            self.hits += hits
            self.misses += misses

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (it may still turn out damaged)."""
        return self.folder is not None and (self.folder / f"{key}.json").is_file()

    def get_value(self, key: str) -> Any:
        """The JSON value stored under ``key``; ``None`` when absent, damaged or another key's."""
        if self.folder is None:
            return None
        try:
            digest, _, data = read_regular(self.folder / f"{key}.json").partition(b"\n")
            if digest.decode("ascii", "replace") != _entry_digest(key, data):
                return None  # corrupt, edited, foreign or moved from another name: compute again
            return load_json(data)
        except (OSError, ValueError, RecursionError):
            return None

    def put_value(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        data = dump_json(value)
        # A cache that cannot be written only costs time.
        with contextlib.suppress(OSError, WcodocError):
            atomic_write_bytes(self.folder / f"{key}.json", _entry_digest(key, data).encode() + b"\n" + data)


def _entry_digest(key: str, data: bytes) -> str:
    """The digest an entry starts with. It covers the key as well as the data: an entry
    copied or renamed to another key's file name is not that key's value."""
    return hashlib.sha256(key.encode("ascii") + b"\0" + data).hexdigest()


class AstCache(ContentCache):
    """Parsed sources keyed by their text and the tool versions."""

    def key(self, text: str) -> str:
        material = "\0".join((text, MARKDOWN, pandoc_version(), __version__))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        ast = self.get_value(key)
        if not (
            isinstance(ast, dict) and isinstance(ast.get("blocks"), list) and "pandoc-api-version" in ast
        ):
            return None  # valid JSON of another shape: parse again, never trust it
        return ast

    def put(self, key: str, ast: dict[str, Any]) -> None:
        self.put_value(key, ast)


# Sources that pandoc can read in one call, split again at these raw-block markers. One call
# instead of one per file saves pandoc's start-up (~50 ms a file) on cold builds.
_SPLIT_FORMAT = "wcodoc-split"
# What pandoc reads across its whole input. A file that may hold any of it is read alone, so
# that nothing it defines reaches another file of the same call and what it gives read with
# others is what it gives alone (``-j`` changes no byte):
# - footnote and link definitions (``[^1]: …``, ``[WCO]: …``) wherever they stand, indented in
#   a list item or a quote too: any ``]:`` makes a file suspect;
# - example lists, numbered through the whole input: ``(@)``, ``(@good)``, ``@.``;
# - a title block (``% Title``), read as one only at the very start of the input;
# - a YAML metadata block (``---`` then a line of text), whose keys go to the input's metadata,
#   which :func:`wcodoc.transform.numbering.check_sources` reports for each file.
# Reading a file alone when it holds none of these only costs pandoc's start-up.
_READ_ALONE = re.compile(r"\]:|\(@[\w-]*\)|^[ \t]*@[\w-]*[.)]|\A%|^---[ \t]*\n[ \t]*\S", re.M)


def _parse_batch(items: list[tuple[Path, str]]) -> list[dict[str, Any]] | None:
    """Parse several texts with one pandoc call; ``None`` when they do not split back cleanly."""
    marker = "\n\n```{=%s}\n%d\n```\n\n"
    joined = "".join(
        text + (marker % (_SPLIT_FORMAT, i) if i < len(items) - 1 else "")
        for i, (_, text) in enumerate(items)
    )
    whole = markdown_to_ast(joined, source=items[0][0])
    pieces: list[list[dict[str, Any]]] = [[]]
    for block in whole["blocks"]:
        if block["t"] == "RawBlock" and block["c"][0] == _SPLIT_FORMAT:
            if block["c"][1].strip() != str(len(pieces) - 1):
                return None
            pieces.append([])
        else:
            pieces[-1].append(block)
    if len(pieces) != len(items):
        return None  # a marker was swallowed, e.g. by a fence left open in one file
    api = whole["pandoc-api-version"]
    return [{"pandoc-api-version": api, "meta": {}, "blocks": blocks} for blocks in pieces]


def _parse_batch_or_none(items: list[tuple[Path, str]]) -> list[dict[str, Any]] | None:
    if len(items) == 1:
        return [markdown_to_ast(items[0][1], source=items[0][0])]
    try:
        return _parse_batch(items)
    except WcodocError:
        return None  # read them one by one so the error names its file


def parse_texts(items: list[tuple[Path, str]], cache: AstCache, jobs: int | None = None) -> list[Source]:
    """Parse ``(path, text)`` pairs, order kept: cached ones from the cache, the rest by pandoc.

    Uncached texts are read in one pandoc call per core where that is safe, otherwise one call per
    file in parallel (which also ties a pandoc error to its file).
    """
    keys = [cache.key(text) for _, text in items]
    stored = [i for i, key in enumerate(keys) if cache.has(key)]
    absent = sorted(set(range(len(items))) - set(stored))
    asts: dict[int, dict[str, Any]] = {}
    # pandoc reads the texts not in the cache while the cached ones are loaded: after a
    # one-chapter edit, loading the other chapters takes about as long as reading that one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(_parse_all, items, absent, jobs) if absent else None
        for i in stored:
            if (ast := cache.get(keys[i])) is not None:
                asts[i] = ast
        damaged = [i for i in stored if i not in asts]  # never trusted: read again
        if reading is not None:
            asts.update(reading.result())
    asts.update(_parse_all(items, damaged, jobs))
    missing = sorted([*absent, *damaged])
    cache.count(len(items) - len(missing), len(missing))
    for i in missing:
        cache.put(keys[i], asts[i])
    return [Source(path, text, asts[i]) for i, (path, text) in enumerate(items)]


def _parse_all(
    items: list[tuple[Path, str]], indices: list[int], jobs: int | None
) -> dict[int, dict[str, Any]]:
    """The ASTs of ``items[i]`` for each of ``indices``, read by pandoc: in one call per core
    where that is safe, otherwise one call per file in parallel."""
    asts: dict[int, dict[str, Any]] = {}
    batch = [i for i in indices if _READ_ALONE.search(items[i][1]) is None]
    single = sorted(set(indices) - set(batch))
    workers = jobs or min(os.cpu_count() or 2, 8)
    if len(batch) > 1:
        groups = share_out(batch, [len(items[i][1]) for i in batch], workers)
        with ThreadPoolExecutor(max_workers=len(groups)) as pool:
            parsed_groups = list(
                pool.map(lambda group: _parse_batch_or_none([items[i] for i in group]), groups)
            )
        if any(parsed is None for parsed in parsed_groups):
            single = indices
        else:
            for group, parsed in zip(groups, parsed_groups, strict=True):
                for i, ast in zip(group, parsed or [], strict=True):
                    asts[i] = ast
    else:
        single = indices
    if single:
        with ThreadPoolExecutor(max_workers=min(workers, len(single))) as pool:
            for i, ast in zip(
                single,
                pool.map(lambda i: markdown_to_ast(items[i][1], source=items[i][0]), single),
                strict=True,
            ):
                asts[i] = ast
    return asts


def parse_sources(paths: list[Path], cache: AstCache, jobs: int | None = None) -> list[Source]:
    """Read and parse Markdown files (see :func:`parse_texts`)."""
    return parse_texts([(path, read_text(path)) for path in paths], cache, jobs)
