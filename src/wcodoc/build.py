"""Build a document project: load → parse → transform → write → finish → convert.

``build_project`` reads like the pipeline it runs; each stage lives in its own module. The
output formats are the rows of :data:`WRITERS`: a new format is a writer (a folder under
``render/``) and one row.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wcodoc.errors import Problem, Problems, WcodocError
from wcodoc.fsutil import replace_folder
from wcodoc.kinds import kind_of
from wcodoc.load.project import DOCUMENT_YAML, Project, find_project_root, load_project
from wcodoc.parse.reader import AstCache, ContentCache, parse_sources
from wcodoc.pdf.early import early_office
from wcodoc.render import Job
from wcodoc.render.docx import write_docx
from wcodoc.render.docx.templatecheck import check_template
from wcodoc.render.html5 import pictures_folder, write_html
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.annex import build_annex, markdown_annexes, number_annexes
from wcodoc.transform.columns import size_columns
from wcodoc.transform.cover import end_mark_blocks
from wcodoc.transform.covertext import first_day_rule
from wcodoc.transform.floats import KINDS as FLOAT_KINDS
from wcodoc.transform.floats import floats_among, number_floats, style_table_cells
from wcodoc.transform.links import check_links
from wcodoc.transform.lint import lint_sources, lint_use_cases, readable_chapters
from wcodoc.transform.numbering import CITATIONS, check_sources, number_body, resolve_citations
from wcodoc.transform.pandocast import Node
from wcodoc.transform.typography import first_days, typeset
from wcodoc.writes import killpoint
from wcodoc.writes.built import OutputRecord
from wcodoc.writes.journal import read_journal

CACHE_ROOT = Path(".cache")
"""The caches, under the output folder ``build/``; each writer may keep a folder of its own."""
CACHE_DIR = CACHE_ROOT / "ast"
USE_CASES_DIR = CACHE_ROOT / "use-cases"
LINT_DIR = CACHE_ROOT / "lint"


@dataclass(frozen=True)
class Writer:
    """One output format: the function that writes it, and what it is made from."""

    write: Callable[[Job], None]
    made_from: str | None = None
    """The format whose output this one converts, written first even when not asked for
    (``None``: written from the assembled document)."""
    early: Callable[[], contextlib.AbstractContextManager[Any]] | None = None
    """Entered as the build begins (what it yields reaches ``write`` as ``Job.early``), so a
    slow start-up overlaps the writers that come before."""
    settings: Callable[[], object] | None = None
    """Reads the settings the writer will need (environment variables), raising
    :class:`WcodocError` for a bad one: called before anything is started, so that a mistake
    stops the build at once rather than after LibreOffice was started early."""
    beside: Callable[[Path], Path] | None = None
    """The folder the writer fills beside an output (the HTML edition's pictures), put in
    place with it."""


def _pdf_settings() -> float:
    from wcodoc.pdf.convert import conversion_timeout

    return conversion_timeout()


def _write_pdf(job: Job) -> None:
    # Imported here: the converter's client (xmlrpc, http, ssl) and pikepdf cost a DOCX-only
    # build a noticeable share of its start-up.
    from wcodoc.pdf.convert import convert_to_pdf
    from wcodoc.pdf.finish import finish_pdf

    assert job.source is not None, "the PDF is made from the DOCX"
    with job.stage("convert to PDF (LibreOffice)"), tempfile.TemporaryDirectory(prefix="wcodoc-") as tmp:
        raw_pdf = Path(tmp) / "libreoffice.pdf"
        convert_to_pdf(job.source, raw_pdf, profile=job.early)
        finish_pdf(raw_pdf, job.out, job.project.meta.issued)


WRITERS: dict[str, Writer] = {
    "docx": Writer(write_docx),
    # LibreOffice starts while the DOCX is written: a cold PDF no longer waits for its start-up.
    "pdf": Writer(_write_pdf, made_from="docx", early=early_office, settings=_pdf_settings),
    "html": Writer(write_html, beside=pictures_folder),
}
"""Output format → its writer."""
FORMATS = tuple(WRITERS)
ALL = "all"
"""Stands, among the formats asked for, for the project's own: ``formats:`` in ``document.yaml``,
else :data:`DEFAULT_FORMATS` (``--format all``, the default)."""
DEFAULT_FORMATS = ("docx", "pdf")
"""What ``all`` writes for a project whose ``document.yaml`` names no ``formats``."""

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

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Report ``name`` as progress and time it into ``result.timings``."""
        if self.progress:
            self.progress(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.result.timings[name] = time.perf_counter() - start


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
    """Where each format goes: ``OUTDIR/<symbol>.docx``, ``.pdf`` …"""
    folder = Path(outdir) if outdir is not None else project.root / "build"
    return {fmt: folder / f"{project.meta.symbol}.{fmt}" for fmt in FORMATS}


def assemble(
    project: Project, *, use_cache: bool = True, jobs: int | None = None, problems: Problems | None = None
) -> tuple[dict, Problems]:
    """Parse, number and resolve the project into one pandoc document (no file written)."""
    assembled = assemble_parts(project, use_cache=use_cache, jobs=jobs, problems=problems)
    return assembled.document, assembled.problems


@dataclass
class Assembled:
    """The assembled document, in format-neutral nodes (:mod:`wcodoc.transform.nodes`)."""

    document: dict
    """Its top-level blocks are the parts (``nodes.part``): the cover, each ``#`` section (the
    first with what precedes it in the body, the last with the end mark), each annex."""
    problems: Problems

    @property
    def parts(self) -> list[list[Node]]:
        """The blocks of each part."""
        return nodes.parts_of(self.document["blocks"])


def _sections(blocks: list[Node]) -> list[list[Node]]:
    """The numbered body cut before each ``#`` section (the first with what precedes it)."""
    starts = [i for i, block in enumerate(blocks) if block["t"] == "Header" and block["c"][0] == 1 and i > 0]
    return [blocks[a:b] for a, b in zip([0, *starts], [*starts, len(blocks)], strict=True)]


def _parts(
    cover: list[Node], body: list[Node], end_mark: list[Node], annexes: list[list[Node]]
) -> list[Node]:
    """The document's blocks as parts; transforms may add blocks inside a part, its bounds stay."""
    *sections, last = _sections(body)
    runs = [cover, *sections, [*last, *end_mark], *annexes]
    return [nodes.part(blocks) for blocks in runs if blocks] or [nodes.part([])]


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
    body_blocks = kind.body_blocks(body, project.meta, project.style)
    terms = project.style.terms(project.meta.locale)
    use_cases = annexes[-1]
    lint_use_cases(use_cases.sources, terms["use_case_sections"], problems)
    end_mark = end_mark_blocks(project.style, project.meta.locale)
    blocks = _parts(cover, body_blocks, end_mark, number_annexes(annexes, terms, str(project.meta.symbol)))
    all_sources = [*sources, *(s for annex in annexes for s in annex.sources)]
    labels = dict(body.labels)
    # One walk finds the floats, numbered now, and the citations, resolved once every label
    # is known: a walk of a large report costs as much as numbering it.
    found = pandocast.find_all(blocks, (*FLOAT_KINDS, *CITATIONS))
    floats = floats_among(found)
    for key, label in [
        *use_cases.labels.items(),
        *number_floats(floats, terms, all_sources, problems).items(),
    ]:
        if key in labels:
            problems.error(f"duplicate label {key!r}", *label.where(), code="label")
        labels[key] = label
    summary = project.meta.lines.get("summary", (project.metadata_path, None))
    resolve_citations(found, labels, all_sources, problems, elsewhere=summary)
    check_links(blocks, all_sources, labels, problems)
    style_table_cells(floats)  # references leave tables where they are
    size_columns(floats)
    blocks = typeset(blocks, french=terms["french_spacing"])
    if first_day := first_day_rule(terms, project.meta.locale):
        blocks = first_days(blocks, first_day)
    return Assembled(pandocast.document(blocks, sources[0].ast["pandoc-api-version"]), problems)


READ_ATTEMPTS = 3
"""Readings of the sources a build tries before it gives up on sources that keep changing."""


class _SourcesChanged(Exception):
    """A source changed while the build read the sources (another command wrote it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def build_project(
    path: Path | str = ".",
    outdir: Path | None = None,
    formats: Iterable[str] = (ALL,),
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> BuildResult:
    """Build the project at ``path`` into ``outdir`` (default ``PROJECT/build``) in ``formats``
    (:data:`ALL`: the project's own).

    Every output is written to a temporary file and renamed into place, so a failed build
    leaves earlier outputs as they were. An output edited since the build that wrote it is
    not overwritten unless ``force`` (:mod:`wcodoc.writes.built`). Raises
    :class:`WcodocError` with every problem found.

    The sources are read without a lock (a build must not wait for an editor), so a command
    writing several of them meanwhile (``review apply``, ``revise``) could be read half before
    and half after: when a source changed while it was read, the reading starts again, and
    after :data:`READ_ATTEMPTS` the build stops, naming the file.
    """
    known_formats(formats)
    for attempt in range(1, READ_ATTEMPTS + 1):
        try:
            return _build_once(path, outdir, formats, use_cache, jobs, progress, force)
        except _SourcesChanged as changed:
            if attempt == READ_ATTEMPTS:
                raise WcodocError(
                    f"changed while the build read it, {READ_ATTEMPTS} times; run the build again "
                    "once nothing else writes the sources",
                    changed.path,
                ) from None
            time.sleep(0.1 * attempt)  # a command renaming its files into place is done by then
    raise AssertionError("unreachable")


def _build_once(
    path: Path | str,
    outdir: Path | None,
    formats: Iterable[str],
    use_cache: bool,
    jobs: int | None,
    progress: Progress | None,
    force: bool,
) -> BuildResult:
    problems = Problems()
    document_yaml = find_project_root(Path(path)).resolve() / DOCUMENT_YAML
    read = {document_yaml: _identity(document_yaml)}  # before anything of it is read
    project = load_project(path, problems)  # metadata mistakes do not hide the body's
    read.update((source, _identity(source)) for source in project.sources() if source not in read)
    formats = formats_of(project, formats)
    result = BuildResult(project)
    watch = _Stopwatch(result, progress)
    targets = output_paths(project, outdir)
    order = _writing_order(formats)
    for fmt in order:
        if (settings := WRITERS[fmt].settings) is not None:
            settings()
    record = OutputRecord(targets[order[0]].parent)
    if not force:  # before the work, not only when it is done
        for fmt in formats:
            record.refuse_edited(targets[fmt], project.root)

    with (
        _started_early(order, wanted=not problems.errors) as early,
        tempfile.TemporaryDirectory(prefix="wcodoc-") as tmp,
    ):
        with watch.stage("read sources"), _collector_paused():
            assembled = assemble_parts(
                project, use_cache=use_cache and not problems.errors, jobs=jobs, problems=problems
            )
        _unchanged(read)
        problems = assembled.problems
        problems.raise_if_errors()
        result.warnings = problems.warnings
        edition = Job(
            project,
            Path(tmp),
            assembled.parts,
            assembled.document["pandoc-api-version"],
            cache=project.root / "build" / CACHE_ROOT if use_cache else None,
            jobs=jobs,
            stage=watch.stage,
        )
        del assembled
        # Each format is written to a temporary file; one asked for is then put in its place
        # (the DOCX before the PDF is made), one only needed for another (the DOCX of a PDF) is not.
        outs = {fmt: Path(tmp) / targets[fmt].name for fmt in order}
        install = _Installer(record, project.root, {fmt: targets[fmt] for fmt in formats}, force)
        base = [fmt for fmt in order if WRITERS[fmt].made_from is None]
        with _Alongside() as alongside:
            with _collector_paused():
                for k, fmt in enumerate(base):
                    install.write(fmt, edition, outs, early)
                    if k < len(base) - 1:  # formats still to write: a conversion runs meanwhile
                        for derived in _made_from(order, fmt):
                            alongside.start(derived, install.maker(derived, edition, outs, early))
            edition = replace(edition, parts=[])  # the AST: millions of objects the collector would scan
            for fmt in order:
                if fmt not in base:
                    alongside.finish(fmt, install.maker(fmt, edition, outs, early))
                    install.put(fmt, outs)
    result.outputs = {fmt: targets[fmt] for fmt in order if fmt in formats}
    return result


def _identity(path: Path) -> tuple[int, int, int] | None:
    """What tells a file from the same file written again: a command renames a new file into
    place (another inode); an editor may write in place (another time or size)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def _unchanged(read: dict[Path, tuple[int, int, int] | None]) -> None:
    """Raise :class:`_SourcesChanged` when a file read is not what it was before it was read,
    or when a command has renamed some of its files into place and not yet the others."""
    for source, identity in read.items():
        if _identity(source) != identity:
            raise _SourcesChanged(source)
    document_yaml = next(iter(read))
    journal = read_journal(document_yaml)
    if journal is not None and journal.half_written:
        raise _SourcesChanged(journal.path)


@dataclass(frozen=True)
class _Installer:
    """Writes each format, and puts an output asked for in its place through the record."""

    record: OutputRecord
    project: Path
    targets: dict[str, Path]
    """Format asked for → where it goes."""
    force: bool

    def write(self, fmt: str, edition: Job, outs: dict[str, Path], early: dict[str, Any]) -> None:
        """Write format ``fmt`` of ``edition`` to ``outs[fmt]``, then to its target if asked for."""
        self.maker(fmt, edition, outs, early)()
        self.put(fmt, outs)

    def maker(
        self, fmt: str, edition: Job, outs: dict[str, Path], early: dict[str, Any]
    ) -> Callable[[], None]:
        """What writes format ``fmt`` of ``edition`` to ``outs[fmt]`` (a format made from another
        gets the edition without its AST)."""
        writer = WRITERS[fmt]
        source = outs[writer.made_from] if writer.made_from else None
        if source is not None:
            edition = replace(edition, parts=[])
        job = replace(edition, out=outs[fmt], source=source, early=early.get(fmt))
        return lambda: writer.write(job)

    def put(self, fmt: str, outs: dict[str, Path]) -> None:
        """Put format ``fmt``, written to ``outs[fmt]``, in its target if it was asked for."""
        writer = WRITERS[fmt]
        source = outs[writer.made_from] if writer.made_from else None
        target = self.targets.get(fmt)
        if target is not None:
            if writer.beside is not None:  # first: the page never names pictures not yet there
                replace_folder(writer.beside(outs[fmt]), writer.beside(target))
            self.record.install(outs[fmt], target, self.project, made_from=source, force=self.force)
            killpoint.reached(f"build:after-{fmt}")


def _made_from(order: Sequence[str], fmt: str) -> list[str]:
    """The formats of ``order`` converted from ``fmt``."""
    return [other for other in order if WRITERS[other].made_from == fmt]


class _Alongside:
    """Conversions that run in a thread while the build writes its other formats (LibreOffice
    converts the DOCX on one core while pandoc writes the HTML on the other).

    A conversion started is waited for by :meth:`finish`, which raises what it raised; one not
    started runs there. Should the build fail or be interrupted meanwhile, the conversions under
    way are stopped (:func:`wcodoc.pdf.inflight.stopping`) and waited for before it goes on.
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._started: dict[str, Future[None]] = {}

    def __enter__(self) -> _Alongside:
        return self

    def start(self, fmt: str, make: Callable[[], None]) -> None:
        """Start making ``fmt`` in the background."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wcodoc-convert")
        # In the build's context: a batch's PDF servers are a context variable (pdf/client.py).
        self._started[fmt] = self._pool.submit(contextvars.copy_context().run, make)

    def finish(self, fmt: str, make: Callable[[], None]) -> None:
        """Wait for ``fmt`` if it was started, else make it now."""
        started = self._started.pop(fmt, None)
        if started is None:
            make()
        else:
            started.result()

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._pool is None:
            return
        if kind is None:
            self._pool.shutdown()
            return
        from wcodoc.pdf import inflight  # only a failed build with a conversion under way needs it

        with inflight.stopping():
            self._pool.shutdown(cancel_futures=True)


def known_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """``formats`` as a tuple; an error naming the first one no writer writes."""
    formats = tuple(formats)
    unknown = [f for f in formats if f not in WRITERS and f != ALL]
    if unknown:
        raise WcodocError(f"unknown format {unknown[0]!r}; expected {', '.join(FORMATS)} or {ALL}")
    return formats


def formats_of(project: Project, formats: Iterable[str]) -> tuple[str, ...]:
    """``formats`` with :data:`ALL` replaced by the project's own, each once, in order."""
    own = project.meta.formats or DEFAULT_FORMATS
    return tuple(dict.fromkeys(f for fmt in known_formats(formats) for f in (own if fmt == ALL else (fmt,))))


def _writing_order(formats: Sequence[str]) -> list[str]:
    """The formats to write: each one asked for, after the one it is made from."""

    def needed(fmt: str) -> list[str]:
        made_from = WRITERS[fmt].made_from
        return [*(needed(made_from) if made_from else []), fmt]

    return list(dict.fromkeys(f for fmt in formats for f in needed(fmt)))


@contextlib.contextmanager
def _started_early(formats: Sequence[str], wanted: bool) -> Iterator[dict[str, Any]]:
    """What the writers of ``formats`` start early (none unless ``wanted``), by format."""
    with contextlib.ExitStack() as stack:
        yield {
            fmt: stack.enter_context(start())
            for fmt in formats
            if wanted and (start := WRITERS[fmt].early) is not None
        }
