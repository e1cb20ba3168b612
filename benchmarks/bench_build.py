"""Measure wcodoc against the programs it drives, on a ~350-page synthetic report.

Prints, as medians of several runs in one session on this machine: the DOCX floor (one bare
pandoc call on the concatenated Markdown), the PDF floor (one bare ``soffice --convert-to pdf``
of that DOCX), wcodoc cold DOCX, cold DOCX+PDF, DOCX rebuild after editing one chapter, PDF
through a warm converter (``wcodoc pdf-server``, i.e. unoserver; also for this repository's own
10-page document, against a cold soffice run), diff + redline of two drafts, and wcodoc's own
peak memory; then the ratios against the targets of the speed issue.

    python benchmarks/bench_build.py [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from pdfservers import NOT_STARTED, pdf_servers

from wcodoc.load.project import load_project
from wcodoc.parse.pandoc import pandoc_path
from wcodoc.pdf.convert import convert_to_pdf, find_soffice

PY = sys.executable
REPO = Path(__file__).resolve().parent.parent
# Runs one build in a fresh interpreter and prints its own peak RSS (pandoc and LibreOffice
# are separate processes and not counted: the target is wcodoc's own memory) and the time of
# each step, the imports included.
BUILD_SNIPPET = """
import json, resource, sys, time
start = time.perf_counter()
from wcodoc.build import build_project
imports = time.perf_counter() - start
result = build_project(sys.argv[1], sys.argv[2], tuple(sys.argv[3].split(",")), use_cache=sys.argv[4] == "1")
steps = {"imports": imports, **result.timings}
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "steps": steps}))
"""
# What `wcodoc --help` imported before commands were loaded on use: every command module.
EAGER_SNIPPET = """
import wcodoc, wcodoc.cli
for name in wcodoc.cli.COMMANDS:
    wcodoc.cli.load_command(name)
wcodoc.__version__
"""
STEPS: dict[str, list[dict[str, float]]] = {}
"""Step timings of the builds, by kind of build (cold DOCX, rebuild)."""


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_of(runs: int, fn) -> float:
    return statistics.median(timed(fn) for _ in range(runs))


def wcodoc_build(project: Path, out: Path, formats: str, cache: bool, kind: str | None = None) -> int:
    """Build in a subprocess (as a user would run it); return its peak RSS in kB.

    With ``kind``, the build's step timings are kept in ``STEPS[kind]``.
    """
    result = subprocess.run(
        [PY, "-c", BUILD_SNIPPET, str(project), str(out), formats, "1" if cache else "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if kind is not None:
        STEPS.setdefault(kind, []).append(report["steps"])
    return report["maxrss_kb"]


def start_up(runs: int) -> dict[str, float]:
    """Interpreter start alone, `wcodoc --help`, and the imports --help used to make."""
    wcodoc = [PY, "-c", "from wcodoc.cli import main; main()", "--help"]
    return {
        "python start": median_of(runs, lambda: subprocess.run([PY, "-c", "pass"], check=True)),
        "wcodoc --help": median_of(runs, lambda: subprocess.run(wcodoc, capture_output=True, check=True)),
        "--help, eager imports": median_of(
            runs, lambda: subprocess.run([PY, "-c", EAGER_SNIPPET], capture_output=True, check=True)
        ),
    }


def write_step(project: Path, runs: int) -> dict[str, float]:
    """The write step alone, in parts (as wcodoc does, no cache) and as one pandoc call."""
    from wcodoc.build import assemble_parts
    from wcodoc.parse.pandoc import ast_to_docx
    from wcodoc.render.docx import source_date_epoch
    from wcodoc.render.docx.lower import Lowering
    from wcodoc.render.docx.parts import PartCache, splice_parts, write_parts
    from wcodoc.transform import pandocast

    loaded = load_project(project)
    assembled = assemble_parts(loaded, use_cache=False)
    reference, epoch = loaded.style.reference_docx, source_date_epoch(loaded.meta.issued)
    api = assembled.document["pandoc-api-version"]
    parts = [Lowering().part(blocks) for blocks in assembled.parts]
    document = pandocast.document([pandocast.div(blocks) for blocks in parts], api)

    def in_parts(jobs: int | None) -> None:
        written = write_parts(
            parts, api, reference_docx=reference, epoch=epoch, cache=PartCache(None), jobs=jobs
        )
        splice_parts(written)

    with tempfile.TemporaryDirectory() as tmp:
        return {
            "in parts, one job": median_of(runs, lambda: in_parts(1)),
            "in parts, parallel": median_of(runs, lambda: in_parts(None)),
            "one pandoc call": median_of(
                runs,
                lambda: ast_to_docx(document, Path(tmp) / "one.docx", reference_docx=reference, epoch=epoch),
            ),
        }


def design_floors(concatenated: Path, reference: Path, work: Path, runs: int) -> dict[str, float]:
    """What wcodoc's design costs before any Python runs, on the concatenated Markdown.

    wcodoc reads the Markdown to pandoc's JSON, changes it, and has pandoc write the JSON as
    DOCX: pandoc parses the document twice (Markdown, then JSON) where the bare floor parses it
    once. Also how much this machine gains from two pandoc calls side by side (what the part
    writing relies on): 2.0 would be two full cores.
    """
    pandoc = pandoc_path()
    as_json, docx = work / "all.json", work / "all.docx"
    read = median_of(
        runs,
        lambda: subprocess.run([pandoc, str(concatenated), "-t", "json", "-o", str(as_json)], check=True),
    )
    write_args = [pandoc, str(as_json), "-f", "json", "--reference-doc", str(reference), "-o", str(docx)]
    write = median_of(runs, lambda: subprocess.run(write_args, check=True))

    def two_at_once() -> None:
        calls = [subprocess.Popen([*write_args[:-1], str(work / f"side{n}.docx")]) for n in range(2)]
        for call in calls:
            call.wait()

    side_by_side = median_of(runs, two_at_once)
    return {
        "pandoc Markdown -> JSON": read,
        "pandoc JSON -> DOCX": write,
        "parallel speed-up, 2 calls": 2 * write / side_by_side,
    }


def soffice_floor(docx: Path, outdir: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                find_soffice(),
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            capture_output=True,
            check=True,
            timeout=600,
        )


def sample_pdf(runs: int, work: Path, address: str) -> dict[str, float]:
    """This repository's own document: its DOCX to PDF, cold and through the warm server."""
    from wcodoc.build import build_project

    docx = build_project(REPO, work / "sample", ("docx",), use_cache=False).outputs["docx"]
    pdf = work / "sample.pdf"
    cold = median_of(runs, lambda: convert_to_pdf(docx, pdf, server="off"))
    convert_to_pdf(docx, pdf, server=address)  # the first one loads Writer's filters
    warm = median_of(runs, lambda: convert_to_pdf(docx, pdf, server=address))
    return {"sample PDF, cold soffice": cold, "sample PDF, warm server": warm}


def edit_draft(project: Path) -> int:
    """Make draft b from draft a; return the number of real edits (one report line each)."""
    path = project / "chapters" / "05-chapter.md"
    paras = path.read_text(encoding="utf-8").split("\n\n")
    paras[3] = paras[3].replace("customs", "Customs officers", 1)  # modified
    paras.insert(6, "A paragraph added in the second draft to explain the new figures.")  # inserted
    paras.insert(16, paras.pop(12))  # moved (a plain paragraph, not a list)
    del paras[21]  # deleted
    path.write_text("\n\n".join(paras), encoding="utf-8")
    other = project / "chapters" / "20-chapter.md"
    paras = other.read_text(encoding="utf-8").split("\n\n")
    paras[2] += " One sentence added in draft b."  # modified
    paras[5] = paras[5].replace(".", ", as revised.", 1)  # modified
    other.write_text("\n\n".join(paras), encoding="utf-8")
    return 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated files here")
    args = parser.parse_args()
    # Measure what an installed wcodoc runs: pip compiles the modules when it installs them, but
    # an editable checkout with PYTHONDONTWRITEBYTECODE set (as on CI) recompiles them at every
    # start, about 40 ms of each build.
    compileall.compile_dir(str(REPO / "src" / "wcodoc"), quiet=1)
    work = args.keep or Path(tempfile.mkdtemp(prefix="wcodoc-bench-"))
    project = generate(work / "report")
    out = work / "out"
    results: dict[str, float] = {}

    # Floors: the programs wcodoc drives, called bare on the same text.
    concatenated = work / "all.md"
    concatenated.write_text("\n\n".join(p.read_text() for p in load_project(project).chapters))
    floor_docx = work / "floor.docx"
    reference = load_project(project).style.reference_docx
    results["pandoc floor"] = median_of(
        args.runs,
        lambda: subprocess.run(
            [pandoc_path(), str(concatenated), "--reference-doc", str(reference), "-o", str(floor_docx)],
            check=True,
        ),
    )
    results["soffice floor"] = median_of(args.runs, lambda: soffice_floor(floor_docx, work / "floor"))
    floors = design_floors(concatenated, reference, work, args.runs)
    pages = subprocess.run(
        ["pdfinfo", str(work / "floor" / "floor.pdf")], capture_output=True, text=True
    ).stdout
    floor_pages = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")

    peak = [0]

    def cold(formats: str) -> None:
        shutil.rmtree(out, ignore_errors=True)
        peak[0] = max(peak[0], wcodoc_build(project, out, formats, cache=False, kind=f"cold {formats}"))

    env_server = os.environ.pop("WCODOC_PDF_SERVER", None)
    os.environ["WCODOC_PDF_SERVER"] = "off"  # cold figures must not use a warm server
    results["wcodoc cold DOCX"] = median_of(args.runs, lambda: cold("docx"))
    results["wcodoc cold DOCX+PDF"] = median_of(args.runs, lambda: cold("docx,pdf"))
    pdf_pages = subprocess.run(["pdfinfo", str(out / "PC0999Ea.pdf")], capture_output=True, text=True).stdout
    # LibreOffice alone on the very DOCX wcodoc wrote: the PDF floor of this document (house
    # style pages, cover, annex), which lays out more pages than pandoc's plain default.
    own_docx = work / "own" / "PC0999Ea.docx"
    own_docx.parent.mkdir(exist_ok=True)
    shutil.copy(out / "PC0999Ea.docx", own_docx)
    results["soffice on wcodoc's DOCX"] = median_of(args.runs, lambda: soffice_floor(own_docx, work / "own"))
    doc_pages = next((line.split()[-1] for line in pdf_pages.splitlines() if line.startswith("Pages:")), "?")

    # Rebuild after one chapter changed: the cache holds the other 29 chapters and the use cases.
    wcodoc_build(project, out, "docx", cache=True)
    chapter = project / "chapters" / "12-chapter.md"
    original = chapter.read_text(encoding="utf-8")

    def rebuild() -> None:
        chapter.write_text(original + f"\n\nEdited at {time.perf_counter_ns()}.\n", encoding="utf-8")
        peak[0] = max(peak[0], wcodoc_build(project, out, "docx", cache=True, kind="rebuild docx"))

    results["wcodoc rebuild one chapter"] = median_of(args.runs, rebuild)
    chapter.write_text(original, encoding="utf-8")
    wcodoc_build(project, out, "docx", cache=True)  # draft a is the unedited report

    # Warm conversion through `wcodoc pdf-server` (unoserver), of the report and of the sample.
    with pdf_servers(1) as address:
        if address is not None:
            os.environ["WCODOC_PDF_SERVER"] = address
            convert_to_pdf(out / "PC0999Ea.docx", work / "warm.pdf")  # first call loads LibreOffice fully
            results["PDF via warm server"] = median_of(
                args.runs, lambda: convert_to_pdf(out / "PC0999Ea.docx", work / "warm.pdf")
            )
            results.update(sample_pdf(args.runs, work, address))
        else:
            print(NOT_STARTED, file=sys.stderr)
    if env_server is not None:
        os.environ["WCODOC_PDF_SERVER"] = env_server
    else:
        os.environ.pop("WCODOC_PDF_SERVER", None)

    # Diff + redline of two drafts of the report.
    from wcodoc.diff import compare_files, redline

    old_docx = work / "draft-a.docx"
    shutil.copy(out / "PC0999Ea.docx", old_docx)
    draft_b = work / "report-b"
    shutil.copytree(project, draft_b, ignore=shutil.ignore_patterns("build"))
    edits = edit_draft(draft_b)
    wcodoc_build(draft_b, work / "out-b", "docx", cache=False)
    new_docx = work / "out-b" / "PC0999Ea.docx"

    def diff_and_redline() -> None:
        redline(compare_files(old_docx, new_docx), work / "redline.docx")

    results["diff + redline"] = median_of(args.runs, diff_and_redline)
    found = compare_files(old_docx, new_docx).alignment.changes
    kinds = [f"{c.kind} {c.block.block} {c.block.number}" for c in found]

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"document: {doc_pages} pages ({floor_pages} for the bare floor), runs: {args.runs}"
    )
    print(f"{'measure':32} {'seconds':>8}")
    for name, seconds in results.items():
        print(f"{name:32} {seconds:8.2f}")
    print(f"{'wcodoc peak memory (MB)':32} {peak[0] / 1024:8.0f}")
    print("\nsteps of wcodoc's builds (medians, seconds):")
    for kind in ("cold docx", "rebuild docx"):
        steps = STEPS.get(kind, [])
        names = list(steps[0]) if steps else []
        cells = ", ".join(
            f"{name} {statistics.median(s.get(name, 0.0) for s in steps):.2f}" for name in names
        )
        print(f"  {kind:14} {cells}")
    print("floors of the design (medians, seconds):")
    for name, value in floors.items():
        print(f"  {name:28} {value:6.2f}{'x' if name.startswith('parallel') else ''}")
    print(
        "  (the JSON round trip alone: "
        f"{(floors['pandoc Markdown -> JSON'] + floors['pandoc JSON -> DOCX']) / results['pandoc floor']:.2f}"
        " x the pandoc floor, before any Python)"
    )
    print("write step of a cold build (medians, seconds):")
    for name, seconds in write_step(project, args.runs).items():
        print(f"  {name:24} {seconds:6.2f}")
    print("start-up (medians, seconds):")
    for name, seconds in start_up(max(args.runs, 5)).items():
        print(f"  {name:24} {seconds:6.3f}")
    print(f"diff found {len(found)} changes for {edits} real edits: {', '.join(kinds)}")
    print("\nratios (target):")
    floor, office = results["pandoc floor"], results["soffice floor"]
    rows = [
        ("cold DOCX / pandoc floor", results["wcodoc cold DOCX"] / floor, "<= 1.30"),
        (
            "cold DOCX+PDF / (pandoc + soffice floors)",
            results["wcodoc cold DOCX+PDF"] / (floor + office),
            "<= 0.95",
        ),
        (
            "cold DOCX+PDF / (pandoc + soffice on own DOCX)",
            results["wcodoc cold DOCX+PDF"] / (floor + results["soffice on wcodoc's DOCX"]),
            "same document for both",
        ),
        (
            "rebuild one chapter / cold DOCX",
            results["wcodoc rebuild one chapter"] / results["wcodoc cold DOCX"],
            "<= 0.35",
        ),
    ]
    if "PDF via warm server" in results:
        own = results["soffice on wcodoc's DOCX"]
        rows.append(("warm PDF / soffice on own DOCX", results["PDF via warm server"] / own, "no target"))
        sample = results["sample PDF, warm server"] / results["sample PDF, cold soffice"]
        rows.append(("sample: warm PDF / cold PDF", sample, "<= 0.15"))
    for name, ratio, target in rows:
        print(f"  {name:44} {ratio:6.3f}  ({target})")
    print(f"  {'diff + redline (s)':44} {results['diff + redline']:6.3f}  (<= 0.6 s)")
    print(f"  {'peak memory (MB)':44} {peak[0] / 1024:6.0f}  (< 250)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
