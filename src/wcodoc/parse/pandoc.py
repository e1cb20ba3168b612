"""The one wrapper around pandoc (the binary that ``pypandoc-binary`` ships).

Runs pandoc with an argument list (never a shell), keeps its stderr in the raised error, and
reads and writes pandoc's JSON AST so wcodoc can transform documents in-process.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import orjson

from wcodoc.errors import WcodocError

MARKDOWN = "markdown-auto_identifiers-implicit_header_references-latex_macros-native_spans"
"""pandoc Markdown, less what would make one chapter's reading depend on another's or pass raw
HTML off as Markdown: no generated ids (only labels the author wrote become bookmarks), so no
``[Heading text]`` links to them either (a chapter read with the heading's chapter would link,
read alone it would not); no LaTeX macros (defined in one chapter, expanded in the next); and
an HTML ``<span id="x">`` stays raw HTML, ignored like the rest, never taken for a label."""
TIMEOUT = 300
MAX_DEPTH = 200
"""Deepest nesting of pandoc's JSON accepted (a quote adds 3, a real document stays below 40):
the transforms walk the tree recursively."""


@functools.cache
def pandoc_path() -> str:
    """Path of the pandoc executable (``WCODOC_PANDOC`` overrides the bundled one)."""
    if env := os.environ.get("WCODOC_PANDOC"):
        return env
    # pypandoc-binary keeps the binary in pypandoc/files/: found without importing pypandoc,
    # which costs about 70 ms (a tenth of a one-chapter rebuild) to answer the same.
    spec = importlib.util.find_spec("pypandoc")
    folders = (spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        bundled = Path(folder) / "files" / "pandoc"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
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
    out = _NOTE_NUMBER.sub(rb"\1:0", out)
    ast = None
    if json_depth(out, MAX_DEPTH) <= MAX_DEPTH:
        ast = load_json(out)  # orjson's own depth limit (1024) lies far above ours
    if ast is None:
        raise WcodocError(
            "quotes or lists nested too deeply (dozens of '>' or list levels): flatten them",
            source,
        ) from None
    return ast


# pandoc counts citations and notes through its whole input into each citation's
# citationNoteNum: several chapters read in one call would number a chapter's citations
# otherwise than the chapter read alone. wcodoc never prints it (a citation is a reference).
# A key follows '{' or ',' in pandoc's compact JSON, never inside a string (quotes are escaped).
_NOTE_NUMBER = re.compile(rb'([{,]"citationNoteNum"):\d+')

# Bytes that never open or close a container outside a string, deleted before counting.
_NOT_NESTING = bytes(b for b in range(256) if b not in b'[]{}"')
_EMPTY_CONTAINER = re.compile(rb"\[\]|\{\}")
_STRING = re.compile(rb'"[^"]*"')


def json_depth(data: bytes, limit: int) -> int:
    """How deeply the lists and objects of the JSON text ``data`` nest (``limit + 1`` if deeper).

    Counted on the text, before it is parsed: walking the parsed tree costs a quarter of a
    second on a 350-page report, this a tenth of that. Escaped quotes and backslashes go
    first, so what remains of every string lies between two plain quotes; the strings go
    next (most are bracket-free and reduce to ``""``), then each pass deletes the innermost
    empty containers, so the number of passes is the depth.
    """
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = _STRING.sub(b"", skeleton.translate(None, _NOT_NESTING).replace(b'""', b""))
    depth = 0
    while skeleton and depth <= limit:
        skeleton = _EMPTY_CONTAINER.sub(b"", skeleton)
        depth += 1
    return depth


def dump_json(value: Any) -> bytes:
    """``value`` as compact JSON (UTF-8), as pandoc reads it and the caches hash and keep it.

    orjson, not ``json``: every build serialises the whole document once to key and write
    its parts, which ``json.dumps`` does ten times more slowly.
    """
    return orjson.dumps(value)


def load_json(data: bytes) -> Any:
    """JSON written by :func:`dump_json` (wcodoc's own: pandoc's output goes through
    :func:`json_depth` first)."""
    return orjson.loads(data)


def ast_to_docx(ast: dict[str, Any], output: Path, *, reference_docx: Path, epoch: int | None = None) -> None:
    """Write ``ast`` as DOCX to ``output`` with the house-style template."""
    json_to_docx(dump_json(ast), output, reference_docx=reference_docx, epoch=epoch)


def json_to_docx(data: bytes, output: Path, *, reference_docx: Path, epoch: int | None = None) -> None:
    """Write a document given as pandoc JSON (already serialised) as DOCX to ``output``."""
    env = {"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else None
    run_pandoc(
        ["--from", "json", "--to", "docx", "--reference-doc", str(reference_docx), "-o", str(output)],
        data,
        source=output,
        env=env,
    )


def json_to_html(data: bytes) -> str:
    """A document given as pandoc JSON, as an HTML5 fragment (no template: the caller's page
    holds it); math as MathML, which browsers show without a script."""
    out = run_pandoc(["--from", "json", "--to", "html5", "--mathml", "--wrap=none"], data)
    return out.decode("utf-8")


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


def share_out(indices: list[int], sizes: list[int], count: int) -> list[list[int]]:
    """``indices`` cut into at most ``count`` runs of about equal total size, order kept.

    How work is shared between pandoc calls: one call per core, because each call costs a
    start-up (tens of milliseconds for the DOCX writer), so more calls than cores only add
    start-ups.
    """
    if not indices:
        return []
    count = max(1, min(count, len(indices)))
    share = sum(sizes) / count
    runs: list[list[int]] = [[]]
    total = 0
    for index, size in zip(indices, sizes, strict=True):
        if runs[-1] and total + size / 2 > share * len(runs) and len(runs) < count:
            runs.append([])
        runs[-1].append(index)
        total += size
    return runs
