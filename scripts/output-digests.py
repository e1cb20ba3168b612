"""Print the SHA-256 of every output wcodoc writes for fixed inputs, built every way it can go.

A refactoring that must keep the bytes is checked by running this before and after it and
comparing the two listings (``diff before.json after.json``). Inputs: this repository's sample
(English, and a French copy), the generated benchmark report, and a project with footnotes,
a figure, a table and cross-references. Paths: uncached (the DOCX, the HTML edition, and with
``--pdf`` the PDF), one pandoc call, one call per part, cold with cache, from the cache,
parallel from the cache, after a one-chapter edit; then the redline of the sample against an
edited copy and the review compilation.

    python scripts/output-digests.py [--pdf] > digests.json
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

from wcodoc.build import build_project  # noqa: E402


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _undated(path: Path) -> str:
    """The digest of a redline with its revision dates (the time of the comparison) blanked."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            digest.update(info.filename.encode())
            digest.update(re.sub(rb'w:date="[^"]*"', b'w:date=""', package.read(info)))
    return digest.hexdigest()


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return hashlib.sha256(text).hexdigest()


def _copy_sample(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for folder in ("chapters", "annexes", "templates", "images", "figures"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    shutil.copy(ROOT / "document.yaml", dest / "document.yaml")
    return dest


def _french(dest: Path) -> Path:
    root = _copy_sample(dest)
    meta = root / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("PC0685Ea", "PC0685Fa"), encoding="utf-8")
    return root


RICH = {
    "chapters/01-intro.md": (
        "# Introduction {#sec:intro}\n\n[]{#par:aim} The aim, with a note.[^a]\n\n"
        "a. first item\nb. second item\n\nSee @par:aim and @sec:intro and Table @tbl:t.\n\n"
        "| N | Name |\n|---|------|\n| 1 | One |\n\n: A table {#tbl:t}\n\n"
        "![A picture](img/dot.png){#fig:f width=30%}\n\n[^a]: The note text.\n"
    ),
    "chapters/02-more.md": (
        "# More\n\nText with *emphasis* and `code` and a [link](https://example.org).\n\n"
        "::: unnumbered\nAn unnumbered paragraph.\n:::\n\n- a bullet\n  - a deeper bullet\n\n"
        "Figure @fig:f is shown above.\n"
    ),
}
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a2f0a3e40000000049454e44ae426082"
)


def _rich(dest: Path) -> Path:
    shutil.copytree(ROOT / "tests" / "corpus" / "_base", dest) if (
        ROOT / "tests" / "corpus" / "_base"
    ).is_dir() else dest.mkdir(parents=True)
    (dest / "chapters").mkdir(exist_ok=True)
    for old in (dest / "chapters").glob("*.md"):
        old.unlink()
    for name, text in RICH.items():
        (dest / name).write_text(text, encoding="utf-8")
    (dest / "chapters" / "img").mkdir(exist_ok=True)
    (dest / "chapters" / "img" / "dot.png").write_bytes(PNG_1PX)
    return dest


def _paths(root: Path, tmp: Path, formats: tuple[str, ...]) -> dict[str, dict[str, str]]:
    shutil.rmtree(root / "build", ignore_errors=True)
    ways = {
        "uncached": {"use_cache": False},
        "uncached-j1": {"use_cache": False, "jobs": 1},
        "uncached-j32": {"use_cache": False, "jobs": 32},
        "cold-cache": {},
        "cached": {},
        "cached-j3": {"jobs": 3},
    }
    out = {}
    for name, options in ways.items():
        result = build_project(root, tmp / name, formats if name == "uncached" else ("docx",), **options)
        out[name] = {fmt: _digest(path) for fmt, path in sorted(result.outputs.items())}
    return out


def _comparisons(tmp: Path, old: Path, new: Path, pdf: bool) -> dict[str, str]:
    """The diff reports, the redline and the review compilation of two drafts, by the CLI."""
    out: dict[str, str] = {}
    wcodoc = [sys.executable, "-m", "wcodoc"]
    for fmt in ("text", "markdown", "json", "html"):
        run = subprocess.run(
            [*wcodoc, "diff", str(old), str(new), "--format", fmt, "--author", "A"],
            capture_output=True,
            check=False,
        )
        out[f"diff-{fmt}"] = hashlib.sha256(run.stdout).hexdigest()
    red = tmp / "red.docx"
    command = [*wcodoc, "diff", str(old), str(new), "-o", str(red), "--author", "A"]
    subprocess.run([*command, *(["--pdf"] if pdf else [])], capture_output=True, check=False)
    out["redline-docx"] = _undated(red)
    if pdf:
        out["redline-pdf-text"] = _pdf_text(red.with_suffix(".pdf"))
    for fmt in ("docx", "html", "json", "csv"):
        target = tmp / f"compilation.{fmt}"
        subprocess.run(
            [
                *wcodoc,
                "review",
                "collect",
                str(old),
                str(new),
                "-o",
                str(target),
                "--format",
                fmt,
                "--member",
                f"{new.name}=Member",
            ],
            capture_output=True,
            check=False,
        )
        out[f"compilation-{fmt}"] = _digest(target) if target.exists() else "missing"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdf", action="store_true", help="also convert the uncached builds to PDF")
    args = parser.parse_args()
    formats = ("docx", "html", "pdf") if args.pdf else ("docx", "html")
    listing: dict[str, object] = {}
    # A fixed folder: a picture's description holds its absolute path (to be fixed), so
    # builds in two folders differ.
    tmp = Path("/tmp/wcodoc-output-digests")
    # Several checkouts may run this at once: one at a time in the fixed folder.
    lock = Path("/tmp/wcodoc-output-digests.lock").open("w")  # noqa: SIM115 (held until exit)
    fcntl.flock(lock, fcntl.LOCK_EX)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    projects = {
        "sample": _copy_sample(tmp / "sample"),
        "sample-fr": _french(tmp / "sample-fr"),
        "rich": _rich(tmp / "rich"),
        "benchmark": generate(tmp / "benchmark"),
    }
    for name, root in projects.items():
        listing[name] = _paths(root, tmp / f"{name}-out", formats)
        chapter = sorted((root / "chapters").glob("*.md"))[0]
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
        last = sorted((root / "chapters").glob("*.md"))[-1]
        last.write_text(last.read_text(encoding="utf-8").replace(" the ", " this ", 1), encoding="utf-8")
        edited = build_project(root, tmp / f"{name}-edited", ("docx",))
        listing[name]["incremental"] = {"docx": _digest(edited.outputs["docx"])}  # type: ignore[index]
        cold = build_project(root, tmp / f"{name}-edited-cold", ("docx",), use_cache=False)
        listing[name]["incremental-cold"] = {"docx": _digest(cold.outputs["docx"])}  # type: ignore[index]
        if name in ("sample", "rich"):
            old = next((tmp / f"{name}-out" / "uncached").glob("*.docx"))
            new = next((tmp / f"{name}-edited").glob("*.docx"))
            listing[f"{name}-comparison"] = _comparisons(tmp / f"{name}-out", old, new, args.pdf)
    json.dump(listing, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
