"""Measure ``wcodoc session build`` of a whole session: nothing set up vs pre-started servers.

Sessions of 12 and 40 documents, half English and half French (each of the repository's
sample, ten pages: its chapters and its annex of use cases, under its own symbol), built with
``wcodoc session build --format all --force`` in a fresh ``wcodoc`` process, as a user runs it:

- *nothing set up*: no PDF server answers, so the build starts its own (one per worker) and
  stops them at the end — their start-up and stop are inside the time measured;
- *one pre-started server*, and *two pre-started servers*: ``wcodoc pdf-server`` started
  before (not timed), named in ``WCODOC_PDF_SERVER``;
- *DOCX only*, the part of the batch no converter is involved in;
- *a LibreOffice per document* (``WCODOC_PDF_SERVER=off``: every PDF a cold start, what a
  session build did before it started servers of its own), 12 documents only.

The kinds of run alternate within each round, so that a change of load on this shared machine
falls on all of them; the load average is printed beside each round. Medians of the rounds,
then the ratio the issue asks for (nothing set up ≤ 1.25 × one pre-started server) and which
servers received work (the build's own summary line).

    python benchmarks/bench_session.py [--runs 3] [--sizes 12,40] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdfservers import NOT_STARTED, free_port, pdf_servers

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
SESSION_YAML = """\
committee: PC
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
place: Brussels
meeting: hybrid
"""


def make_session(folder: Path, documents: int) -> Path:
    """A session of ``documents`` copies of the sample, English and French in turn."""
    folder.mkdir(parents=True)
    (folder / "session.yaml").write_text(SESSION_YAML)
    sample = (REPO / "document.yaml").read_text(encoding="utf-8")
    for n in range(documents):
        serial, language = 700 + n // 2, "EF"[n % 2]
        root = folder / f"doc{n:02}-{language.lower()}"
        for sub in ("chapters", "annexes"):
            shutil.copytree(REPO / sub, root / sub)
        reference = f"PC{serial:04}{language}a"
        (root / "document.yaml").write_text(sample.replace("PC0685Ea", reference), encoding="utf-8")
    return folder


def session_build(session: Path, formats: str, server: str) -> tuple[float, str]:
    """Seconds of one ``wcodoc session build``, and its summary of PDF conversions."""
    env = {**os.environ, "WCODOC_PDF_SERVER": server}
    command = [PY, "-m", "wcodoc", "session", "build", "-s", str(session), "--format", formats, "--force"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"session build failed:\n{result.stderr}")
    summary = next((line for line in result.stderr.splitlines() if line.startswith("PDFs:")), "")
    return seconds, summary


def servers_used(summary: str) -> dict[str, int]:
    """``host:port`` → conversions, from the summary line ``PDFs: 6 by 127.0.0.1:40211, …``."""
    return {server: int(count) for count, server in re.findall(r"(\d+) by (\d[\d.]*:\d+)", summary)}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(session: Path, runs: int, with_cold: bool) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    summaries: dict[str, str] = {}
    nothing = f"127.0.0.1:{free_port()}"  # where no server answers: the build starts its own
    with pdf_servers(1) as one, pdf_servers(2) as two:
        if one is None or two is None:
            raise SystemExit(NOT_STARTED)
        kinds = {
            "nothing set up": ("all", nothing),
            "one pre-started server": ("all", one),
            "two pre-started servers": ("all", two),
            "DOCX only": ("docx", nothing),
        }
        if with_cold:
            kinds["a LibreOffice per document"] = ("all", "off")
        session_build(session, "all", one)  # the servers' first conversion loads Writer
        session_build(session, "all", two)
        for round_ in range(runs):
            order = list(kinds) if round_ % 2 == 0 else list(reversed(kinds))
            cells = []
            for kind in order:
                seconds, summary = session_build(session, *kinds[kind])
                times.setdefault(kind, []).append(seconds)
                summaries.setdefault(kind, summary)
                cells.append(f"{kind} {seconds:.2f}")
            print(f"  round {round_ + 1} (load {load()}): {', '.join(cells)}", flush=True)
    for kind in ("nothing set up", "two pre-started servers"):
        print(f"  {kind}: {summaries[kind]}")
    return times


def report(documents: int, times: dict[str, list[float]]) -> None:
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"{documents} documents, medians (s):")
    for kind, seconds in medians.items():
        print(f"  {kind:28} {seconds:7.2f}")
    nothing = medians["nothing set up"]
    ratios = [
        ("one pre-started server", "  (goal <= 1.25)"),
        ("two pre-started servers", ""),
        ("a LibreOffice per document", ""),
    ]
    for kind, goal in ratios:
        if kind in medians:
            print(f"  nothing set up / {kind:28} {nothing / medians[kind]:.2f}{goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="12,40", help="numbers of documents, comma-separated")
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated sessions here")
    args = parser.parse_args()
    compileall.compile_dir(str(REPO / "src" / "wcodoc"), quiet=1)  # as an installed wcodoc runs
    work = args.keep or Path(tempfile.mkdtemp(prefix="wcodoc-bench-session-"))
    print(f"machine: {os.cpu_count()} cores, load {load()}, runs: {args.runs}")
    try:
        for documents in (int(size) for size in args.sizes.split(",")):
            session = make_session(work / f"session-{documents}", documents)
            print(f"{documents} documents ({documents // 2} English, {documents - documents // 2} French):")
            report(documents, measure(session, args.runs, with_cold=documents <= 12))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
