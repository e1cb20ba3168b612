"""The one wrapper around pandoc (the binary that ``pypandoc-binary`` ships).

Runs pandoc with an argument list (never a shell), keeps its stderr in the raised error, and
reads and writes pandoc's JSON AST so wcodoc can transform documents in-process.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from wcodoc.errors import WcodocError

MARKDOWN = "markdown-auto_identifiers"
"""pandoc Markdown without generated ids, so only labels the author wrote become bookmarks."""
TIMEOUT = 300
MAX_DEPTH = 200
"""Deepest nesting of pandoc's JSON accepted (a quote adds 3, a real document stays below 40):
the transforms walk the tree recursively."""


@functools.cache
def pandoc_path() -> str:
    """Path of the pandoc executable (``WCODOC_PANDOC`` overrides the bundled one)."""
    if env := os.environ.get("WCODOC_PANDOC"):
        return env
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise WcodocError(
            f"pandoc not found ({exc}); reinstall wcodoc: pip install pypandoc-binary"
        ) from None


@functools.cache
def pandoc_version() -> str:
    """pandoc's version string, e.g. ``3.9``."""
    out = run_pandoc(["--version"]).decode("utf-8", "replace")
    return out.split()[1] if out.startswith("pandoc") else out.splitlines()[0]


def run_pandoc(
    args: list[str],
    stdin: bytes | None = None,
    *,
    source: Path | None = None,
    env: dict[str, str] | None = None,
) -> bytes:
    """Run pandoc with ``args``; return stdout. ``source`` names the file in error messages."""
    try:
        result = subprocess.run(
            [pandoc_path(), *args],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except FileNotFoundError:
        raise WcodocError(f"pandoc not found at {pandoc_path()}; reinstall wcodoc") from None
    except subprocess.TimeoutExpired:
        raise WcodocError(f"pandoc did not finish within {TIMEOUT} s", source) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = "; ".join(line.strip() for line in message[:3]) or _exit_reason(result.returncode)
        raise WcodocError(f"pandoc failed: {detail}", source)
    return result.stdout


def _exit_reason(status: int) -> str:
    """What a silent exit status means: a signal by name, the file-size limit in words."""
    if status >= 0:
        return f"exit status {status}"
    if hasattr(signal, "SIGXFSZ") and -status == signal.SIGXFSZ:
        return "the file-size limit (ulimit -f) was reached while writing"
    try:
        return f"stopped by {signal.Signals(-status).name}"
    except ValueError:
        return f"stopped by signal {-status}"


def markdown_to_ast(text: str, *, source: Path | None = None) -> dict[str, Any]:
    """Parse pandoc Markdown into pandoc's JSON AST (a dict)."""
    out = run_pandoc(["--from", MARKDOWN, "--to", "json"], text.encode("utf-8"), source=source)
    try:
        ast = json.loads(out)
    except RecursionError:
        ast = None
    if ast is None or _depth(ast) > MAX_DEPTH:
        raise WcodocError(
            "quotes or lists nested too deeply (dozens of '>' or list levels): flatten them",
            source,
        ) from None
    return ast


def _depth(node: Any) -> int:
    """How deeply ``node``'s lists and dicts nest (without recursion: the point is to bound it)."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return deepest


def ast_to_docx(ast: dict[str, Any], output: Path, *, reference_docx: Path, epoch: int | None = None) -> None:
    """Write ``ast`` as DOCX to ``output`` with the house-style template."""
    json_to_docx(json.dumps(ast).encode("utf-8"), output, reference_docx=reference_docx, epoch=epoch)


def json_to_docx(data: bytes, output: Path, *, reference_docx: Path, epoch: int | None = None) -> None:
    """Write a document given as pandoc JSON (already serialised) as DOCX to ``output``."""
    env = {"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else None
    run_pandoc(
        ["--from", "json", "--to", "docx", "--reference-doc", str(reference_docx), "-o", str(output)],
        data,
        source=output,
        env=env,
    )


def docx_to_markdown(docx: Path, media_dir: Path) -> str:
    """Read a Word file into pandoc Markdown, extracting images into ``media_dir``."""
    out = run_pandoc(
        [
            "--from",
            "docx",
            "--to",
            "markdown-simple_tables-multiline_tables-grid_tables",
            "--wrap=none",
            f"--extract-media={media_dir}",
            str(docx),
        ],
        source=docx,
    )
    return out.decode("utf-8")
