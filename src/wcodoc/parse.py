"""Parse sources to pandoc's AST, in parallel, with a cache keyed by content and versions.

A cache entry is ``build/.cache/ast/<sha256>.json``, the key covering the source text, the
pandoc version and the wcodoc version. Entries are written atomically, so concurrent builds
share them safely; an entry that does not decode to an AST is re-parsed, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc import __version__
from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_write_bytes, read_text
from wcodoc.pandoc import MARKDOWN, markdown_to_ast, pandoc_version


@dataclass(frozen=True)
class Source:
    """One Markdown source: its path, text and pandoc AST."""

    path: Path
    text: str
    ast: dict[str, Any]

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return self.ast["blocks"]

    def line_of(self, needle: str) -> int | None:
        """1-based line of the first occurrence of ``needle`` in the source text."""
        index = self.text.find(needle)
        return None if index < 0 else self.text.count("\n", 0, index) + 1


class AstCache:
    """A folder of parsed sources keyed by content and tool versions (``None``: no cache)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def key(self, text: str) -> str:
        material = "\0".join((text, MARKDOWN, pandoc_version(), __version__))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        if self.folder is None:
            return None
        try:
            ast = json.loads((self.folder / f"{key}.json").read_bytes())
        except (OSError, ValueError):
            return None
        if not (
            isinstance(ast, dict) and isinstance(ast.get("blocks"), list) and "pandoc-api-version" in ast
        ):
            return None  # corrupt or foreign: parse again
        return ast

    def put(self, key: str, ast: dict[str, Any]) -> None:
        if self.folder is None:
            return
        # A cache that cannot be written only costs time.
        with contextlib.suppress(OSError, WcodocError):
            atomic_write_bytes(self.folder / f"{key}.json", json.dumps(ast).encode("utf-8"))


def _parse_one(path: Path, cache: AstCache) -> Source:
    text = read_text(path)
    key = cache.key(text)
    ast = cache.get(key)
    if ast is None:
        cache.misses += 1
        ast = markdown_to_ast(text, source=path)
        cache.put(key, ast)
    else:
        cache.hits += 1
    return Source(path, text, ast)


def parse_sources(paths: list[Path], cache: AstCache, jobs: int | None = None) -> list[Source]:
    """Parse ``paths`` (order kept); pandoc runs in parallel, one process per uncached file."""
    if not paths:
        return []
    workers = jobs or min(len(paths), os.cpu_count() or 2, 8)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda p: _parse_one(p, cache), paths))


def parse_markdown(text: str, *, source: Path | None = None) -> list[dict[str, Any]]:
    """Parse a Markdown fragment (e.g. a metadata value) to AST blocks, uncached."""
    return markdown_to_ast(text, source=source)["blocks"]
