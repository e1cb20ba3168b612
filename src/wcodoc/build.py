"""Build a document project: load → parse → number → annex → cover → typeset → write → finish → convert.

``build_project`` reads like the pipeline it runs; each stage lives in its own module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.errors import Problem, Problems, WcodocError
from wcodoc.fsutil import atomic_output
from wcodoc.kinds import kind_of
from wcodoc.load.project import Project, load_project
from wcodoc.parse.reader import AstCache, ContentCache, parse_sources
from wcodoc.pdf.early import early_office
from wcodoc.render.docx.finish import finish_package
from wcodoc.render.docx.parts import PartCache, splice_parts, write_parts
from wcodoc.render.docx.templatecheck import check_template
from wcodoc.transform import pandocast
from wcodoc.transform.annex import build_annex, markdown_annexes, number_annexes
from wcodoc.transform.cover import end_mark_blocks
from wcodoc.transform.floats import find_floats, number_floats, style_table_cells
from wcodoc.transform.lint import lint_sources, lint_use_cases, readable_chapters
from wcodoc.transform.numbering import check_sources, number_body, resolve_references
from wcodoc.transform.typography import typeset

FORMATS = ("docx", "pdf")
CACHE_DIR = Path(".cache") / "ast"
USE_CASES_DIR = Path(".cache") / "use-cases"
LINT_DIR = Path(".cache") / "lint"
PARTS_DIR = Path(".cache") / "parts"

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build produced, what it warned about, and how long each stage took."""

    project: Project
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self, result: BuildResult, progress: Progress | None) -> None:
        self.result = result
        self.progress = progress

    def stage(self, name: str):
        watch = self

        class _Stage:
            def __enter__(self) -> None:
                if watch.progress:
                    watch.progress(name)
                self.start = time.perf_counter()

            def __exit__(self, *exc: object) -> None:
                watch.result.timings[name] = time.perf_counter() - self.start

        return _Stage()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the AST is assembled.

    The AST is millions of small dicts and lists that all live until the build ends, so every
    collection scans them and frees nothing (about a tenth of a one-chapter rebuild).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def output_paths(project: Project, outdir: Path | None) -> dict[str, Path]:
    """Where each format goes: ``OUTDIR/<symbol>.docx`` and ``.pdf``."""
    folder = Path(outdir) if outdir is not None else project.root / "build"
    return {fmt: folder / f"{project.meta.symbol}.{fmt}" for fmt in FORMATS}


def source_date_epoch(issued: dt.date) -> int:
    """The issue date as a Unix time: every date written into the outputs derives from it."""
    return int(dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC).timestamp())


def assemble(
    project: Project, *, use_cache: bool = True, jobs: int | None = None, problems: Problems | None = None
) -> tuple[dict, Problems]:
    """Parse, number and resolve the project into one pandoc document (no file written)."""
    assembled = assemble_parts(project, use_cache=use_cache, jobs=jobs, problems=problems)
    return assembled.document, assembled.problems


@dataclass
class Assembled:
    """The assembled document, cut into the parts the DOCX is written in."""

    document: dict
    problems: Problems
    parts: list[list[dict]]
    """Consecutive runs of the document's blocks: the cover, each ``#`` section (the first
    with what precedes it in the body, the last with the end mark), each annex."""


def _section_starts(blocks: list[dict]) -> list[int]:
    """Where each ``#`` section starts in the numbered body (a new part)."""
    return [i for i, block in enumerate(blocks) if block["t"] == "Header" and block["c"][0] == 1]


def assemble_parts(
    project: Project, *, use_cache: bool = True, jobs: int | None = None, problems: Problems | None = None
) -> Assembled:
    """Parse, number and resolve the project into one pandoc document cut into parts."""
    problems = problems if problems is not None else Problems()
    kind = kind_of(project.meta)
    check_template(project.style.reference_docx, problems)
    cache = AstCache(project.root / "build" / CACHE_DIR if use_cache else None)
    case_cache = ContentCache(project.root / "build" / USE_CASES_DIR if use_cache else None)
    chapters = readable_chapters(project.chapters, project.root, problems)
    if not chapters:
        problems.raise_if_errors()
    with ThreadPoolExecutor(max_workers=2) as pool:
        # pandoc reads the chapters and the cover's Markdown while Python validates the use
        # cases: on two cores most of one hides behind the other.
        chapters_read = pool.submit(parse_sources, chapters, cache, jobs)
        cover_read = pool.submit(kind.cover, project.meta, project.style, cache, (project.root, problems))
        annexes = [
            *markdown_annexes(project, problems, cache=cache),
            build_annex(project, problems, cache=cache, case_cache=case_cache),
        ]
        sources, cover = chapters_read.result(), cover_read.result()
    sources = check_sources(sources, project.root, problems)
    lint_sources(sources, problems, ContentCache(project.root / "build" / LINT_DIR if use_cache else None))
    body = number_body(sources, project.root, problems)
    body_blocks = [*kind.generated_blocks(body, project.meta, project.style), *body.blocks]
    terms = project.style.terms(project.meta.locale)
    use_cases = annexes[-1]
    lint_use_cases(use_cases.sources, terms["use_case_sections"], problems)
    end_mark = end_mark_blocks(project.style, project.meta.locale)
    blocks = [
        *cover,
        *body_blocks,
        *end_mark,
        *number_annexes(annexes, terms, str(project.meta.symbol)),
    ]
    # The transforms below change blocks in place, never the length of this list.
    starts = {0, len(cover)} | {len(cover) + i for i in _section_starts(body_blocks) if i > 0}
    start = len(cover) + len(body_blocks) + len(end_mark)
    for annex in annexes:
        if annex.blocks:
            starts.add(start)
            start += len(annex.blocks)
    starts.discard(len(blocks))
    all_sources = [*sources, *(s for annex in annexes for s in annex.sources)]
    labels = dict(body.labels)
    floats = find_floats(blocks)
    for key, label in [
        *use_cases.labels.items(),
        *number_floats(floats, terms, all_sources, problems).items(),
    ]:
        if key in labels:
            problems.error(f"duplicate label {key!r}", label.path, label.line, code="label")
        labels[key] = label
    blocks = resolve_references(blocks, labels, all_sources, problems)
    style_table_cells(floats)  # references leave tables where they are
    blocks = typeset(blocks, french=terms["french_spacing"])
    api = sources[0].ast["pandoc-api-version"]
    bounds = sorted(starts)
    if start != len(blocks):  # a transform changed the list after all: one part, still right
        bounds = [0]
    parts = [blocks[a:b] for a, b in zip(bounds, [*bounds[1:], len(blocks)], strict=True)]
    return Assembled(pandocast.document(blocks, api), problems, parts)


def build_project(
    path: Path | str = ".",
    outdir: Path | None = None,
    formats: Iterable[str] = FORMATS,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the project at ``path`` into ``outdir`` (default ``PROJECT/build``).

    Every output is written to a temporary file and renamed into place, so a failed build
    leaves earlier outputs as they were. Raises :class:`WcodocError` with every problem found.
    """
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise WcodocError(f"unknown format {unknown[0]!r}; expected docx, pdf or all")
    problems = Problems()
    project = load_project(path, problems)  # metadata mistakes do not hide the body's
    result = BuildResult(project)
    watch = _Stopwatch(result, progress)
    targets = output_paths(project, outdir)

    # LibreOffice starts while the DOCX is written: a cold PDF no longer waits for its start-up.
    with early_office("pdf" in formats and not problems.errors) as office:
        with watch.stage("read sources"), _collector_paused():
            assembled = assemble_parts(
                project, use_cache=use_cache and not problems.errors, jobs=jobs, problems=problems
            )
        problems = assembled.problems
        problems.raise_if_errors()
        result.warnings = problems.warnings

        with tempfile.TemporaryDirectory(prefix="wcodoc-") as tmp:
            with watch.stage("write DOCX parts (pandoc)"), _collector_paused():
                written = write_parts(
                    assembled.parts,
                    assembled.document["pandoc-api-version"],
                    reference_docx=project.style.reference_docx,
                    epoch=source_date_epoch(project.meta.issued),
                    cache=PartCache(project.root / "build" / PARTS_DIR if use_cache else None),
                    jobs=jobs,
                )
            del assembled  # the AST: millions of objects the collector would scan from here on
            with watch.stage("splice parts"):
                package = splice_parts(written)
            with watch.stage("finish DOCX"):
                finished = Path(tmp) / "finished.docx"
                finish_package(package, finished, project.meta, project.style)
            if "docx" in formats:
                with atomic_output(targets["docx"]) as out:
                    out.write_bytes(finished.read_bytes())
                result.outputs["docx"] = targets["docx"]
            if "pdf" in formats:
                # Imported here: the converter's client (xmlrpc, http, ssl) and pikepdf cost a
                # DOCX-only build a noticeable share of its start-up.
                from wcodoc.pdf.convert import convert_to_pdf
                from wcodoc.pdf.finish import finish_pdf

                with watch.stage("convert to PDF (LibreOffice)"):
                    raw_pdf = Path(tmp) / "libreoffice.pdf"
                    convert_to_pdf(finished, raw_pdf, profile=office)
                    finish_pdf(raw_pdf, targets["pdf"], project.meta.issued)
                result.outputs["pdf"] = targets["pdf"]
    return result
