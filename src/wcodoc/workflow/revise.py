"""Reissue a draft: next symbol, new issue date, the old symbol kept in ``history``.

``document.yaml`` is edited in place with :mod:`wcodoc.load.yamledit`, so the user's comments, key
order and spacing come back exactly as written; only the changed values differ. Both commands
hold the project's lock and read ``document.yaml`` under it, so two at once give two letters.
``--redline`` writes a journal (:mod:`wcodoc.writes.journal`) before ``document.yaml``
changes: killed after that, it is finished by running it again, with the same letter.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from wcodoc.build import ALL, DEFAULT_FORMATS, build_project, formats_of, output_paths
from wcodoc.diff import compare_files, redline
from wcodoc.diff.sources import DEFAULT_AUTHOR, commit_id, resolve_docx
from wcodoc.errors import Problem, Problems, WcodocError
from wcodoc.fsutil import atomic_write_bytes, encode_like, read_text
from wcodoc.kinds import kind_of
from wcodoc.load.metadata import DOCUMENT_YAML, read_symbol
from wcodoc.load.project import find_project_root, load_project, project_lock
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamledit import edit_yaml_text
from wcodoc.load.yamlio import load_yaml, value_line
from wcodoc.pdf.warm import warm_converters
from wcodoc.writes.journal import Journal, Transaction
from wcodoc.writes.lock import command_line

REVISE = "revise"
"""The journal kind of ``revise --redline``."""


@dataclass(frozen=True)
class Revision:
    """What ``revise`` changed in a project."""

    root: Path
    old: DocumentSymbol
    new: DocumentSymbol
    issued: dt.date
    outputs: dict[str, Path] = field(default_factory=dict)
    """Files written by ``--redline``: ``docx``/``pdf`` (new draft), ``redline``, ``redline-pdf``."""
    warnings: tuple[Problem, ...] = ()
    """Doubts about the new issue date (before the previous one, after the meeting)."""
    resumed: bool = False
    """Whether this finished a ``revise --redline`` that had been interrupted."""


def next_symbol(symbol: DocumentSymbol, *, edition: bool = False) -> DocumentSymbol:
    """The symbol of the next draft: next version letter, or next edition with letter ``a``."""
    return symbol.next_edition() if edition else symbol.next_version()


@dataclass(frozen=True)
class _Plan:
    """A revision worked out and checked, nothing written yet."""

    doc: Path
    old: DocumentSymbol
    new: DocumentSymbol
    issued: dt.date
    warnings: tuple[Problem, ...] = ()


def _plan(path: Path | str, issued: dt.date | None, edition: bool) -> _Plan:
    root = find_project_root(Path(path)).resolve()
    doc = root / DOCUMENT_YAML
    data = load_yaml(doc)
    if not isinstance(data, Mapping):
        raise WcodocError("expected a mapping of keys such as 'reference: PC0685Ea'", doc, 1)
    old = read_symbol(doc, data)
    try:
        new = next_symbol(old, edition=edition)
    except ValueError as exc:
        raise WcodocError(f"reference: {exc}", doc, value_line(data, "reference")) from None
    new = _in_step(doc, data, old, new)
    history = data.get("history")
    if history is not None and not isinstance(history, list):
        raise WcodocError("history: expected a list of earlier symbols", doc, value_line(data, "history"))
    issued = issued or dt.date.today()
    return _Plan(doc, old, new, issued, _date_warnings(root, data, issued))


def _in_step(doc: Path, data: Mapping, old: DocumentSymbol, new: DocumentSymbol) -> DocumentSymbol:
    """A translation's next symbol: the version of the original it follows, in its own language.

    English and French letters stay in step: the French of ``PC0685Ec`` is ``PC0685Fc`` even
    when the translator skipped ``b``. A translation that already has the version it follows
    is refused: it is issued again once it follows a newer version of its original.
    """
    if data.get("translation_of") is None or data.get("follows") is None:
        return new
    try:
        followed = DocumentSymbol.parse(str(data["follows"])).with_language(old.language)
    except ValueError:
        return new  # loading the project reports the bad value, at its line
    if _version_order(followed) > _version_order(old):
        return followed
    original = _original_symbol(doc.parent, str(data["translation_of"]))
    if original is not None and _version_order(original) > _version_order(old):
        advice = (
            f"its original is now {original}: once the translation is updated, run 'wcodoc session "
            f"follow {doc.parent.name}', then revise it ({original.with_language(old.language)})"
        )
    else:
        advice = "a translation is reissued with its original's next version: revise the original first"
    raise WcodocError(
        f"follows: {data['follows']}, so {old} is already in step with it; {advice}",
        doc,
        value_line(data, "follows"),
    )


def _version_order(symbol: DocumentSymbol) -> tuple[int, str]:
    """Edition, then letter: ``PC0685Eb`` < ``PC0685Ec`` < ``PC0685E1a``."""
    return (symbol.edition or 0, symbol.version or "")


def _original_symbol(root: Path, folder: str) -> DocumentSymbol | None:
    try:
        return read_symbol(root.parent / folder / DOCUMENT_YAML)
    except WcodocError:
        return None


def _date_warnings(root: Path, data: Mapping, issued: dt.date) -> tuple[Problem, ...]:
    """A new issue date earlier than the draft it replaces, or after the meeting's last day
    (before it, for a kind issued after its meeting: a report), is most likely a typing slip:
    said, never refused (a late corrigendum is legitimate)."""
    doc = root / DOCUMENT_YAML
    warnings = Problems()
    previous = data.get("issued")
    if isinstance(previous, dt.date) and issued < previous:
        warnings.warning(
            f"issued: {issued} is earlier than the previous draft's {previous}",
            doc,
            value_line(data, "issued"),
            code="issued",
        )
    try:
        meta = load_project(root).meta
    except WcodocError:
        return tuple(warnings)
    dates, after = meta.dates, kind_of(meta).issued_after_meeting
    if dates is not None and (issued < dates.end if after else issued > dates.end):
        warnings.warning(
            f"issued: {issued} is {'before' if after else 'after'} the meeting's last day ({dates.end})",
            doc,
            value_line(data, "issued"),
            code="issued",
        )
    return tuple(warnings)


def _revised(plan: _Plan) -> bytes:
    """``document.yaml`` with the new symbol and date, the old symbol added to ``history``."""
    text = edit_yaml_text(
        read_text(plan.doc),
        plan.doc,
        {"reference": str(plan.new), "issued": plan.issued},
        {"history": str(plan.old)},
    )
    return encode_like(text, plan.doc.read_bytes())


def _revision(plan: _Plan) -> Revision:
    return Revision(plan.doc.parent, plan.old, plan.new, plan.issued, warnings=plan.warnings)


def revise_project(
    path: Path | str = ".", *, issued: dt.date | None = None, edition: bool = False
) -> Revision:
    """Bump the symbol of the project at ``path`` and set its issue date (default today).

    Raises :class:`WcodocError` naming ``document.yaml`` when the symbol cannot be bumped or
    ``history`` is not a list, or when a ``revise --redline`` was interrupted (run it again).
    """
    with project_lock(path):
        plan = _plan(path, issued, edition)
        atomic_write_bytes(plan.doc, _revised(plan))
        return _revision(plan)


def revise_with_redline(
    path: Path | str = ".",
    *,
    issued: dt.date | None = None,
    edition: bool = False,
    formats: Iterable[str] = DEFAULT_FORMATS,
    against: str = "HEAD",
    author: str = DEFAULT_AUTHOR,
) -> Revision:
    """:func:`revise_project`, then build the new draft and its redline (changes signed by
    ``author``; its PDF printed as ``wcodoc diff --pdf`` prints it), all or nothing.

    Everything that can be checked is checked before ``document.yaml`` changes (the symbol,
    the git revision, a build of the draft at ``against``). If the build or the redline then
    fails (or is interrupted), ``document.yaml`` gets its exact bytes back and the outputs
    written for the new symbol are removed, so a retry uses the same version letter. If the
    process is killed instead, running this again finishes that revision (same letter, same
    commit compared with), whatever it is given.
    """
    with project_lock(path, resumes=REVISE) as lock:
        if lock.resumable is not None:
            return _resume(lock.resumable)
        plan = _plan(path, issued, edition)
        root = plan.doc.parent
        commit = commit_id(against, root)
        if commit is None:
            raise WcodocError(
                f"--redline compares with the draft committed in git, but {against!r} is no commit here "
                "(the project is not in a git repository with commits, or has no such tag); "
                "commit the previous draft first",
                root,
            )
        original = plan.doc.read_bytes()
        data = {
            "old": str(plan.old),
            "new": str(plan.new),
            "issued": plan.issued.isoformat(),
            "formats": list(formats),
            "against": commit,
            "author": author,
            "original": base64.b64encode(original).decode("ascii"),
        }
        with ExitStack() as stack:
            stack.enter_context(_converter(formats))
            old_docx = resolve_docx(against, stack, cwd=root, project=root)  # messages name it so
            with lock.begin(
                REVISE, command_line(), str(root), [plan.doc], data=data, resume="wcodoc revise --redline"
            ) as txn:
                txn.write(plan.doc, _revised(plan))
                txn.commit()
                return _redline_or_undo(txn, _revision(plan), old_docx)


def _resume(journal: Journal) -> Revision:
    """Finish the ``revise --redline`` of ``journal``: ``document.yaml`` in place, then the
    build and the redline against the commit it compared with."""
    data = journal.data
    root = journal.path.parent
    txn = Transaction(journal)
    txn.rename_staged()
    revision = Revision(
        root,
        DocumentSymbol.parse(data["old"]),
        DocumentSymbol.parse(data["new"]),
        dt.date.fromisoformat(data["issued"]),
        resumed=True,
    )
    with ExitStack() as stack:
        stack.enter_context(_converter(data["formats"]))
        old_docx = resolve_docx(data["against"], stack, cwd=root, project=root)
        return _redline_or_undo(txn, revision, old_docx)


def _converter(formats: Iterable[str]) -> AbstractContextManager[object]:
    """One PDF server for the draft's PDF and the redline's, started while the drafts are
    built (:mod:`wcodoc.pdf.warm`)."""
    return warm_converters(1, wanted=bool({"pdf", ALL} & set(formats)))


def _redline_or_undo(txn: Transaction, revision: Revision, old_docx: Path) -> Revision:
    """Build ``revision`` and its redline, then close the journal; on failure give
    ``document.yaml`` its bytes back (kept in the journal) and remove the new outputs."""
    formats = tuple(txn.journal.data["formats"])
    written: list[Path] = []
    try:
        author = txn.journal.data.get("author", DEFAULT_AUTHOR)
        done = _build_and_redline(revision, formats, old_docx, written, author)
    except BaseException:
        original = base64.b64decode(txn.journal.data["original"])
        atomic_write_bytes(revision.root / DOCUMENT_YAML, original)
        for output in written:
            output.unlink(missing_ok=True)
        txn.close()
        raise
    txn.close()
    return replace(done, resumed=revision.resumed)


def _build_and_redline(
    revision: Revision,
    formats: tuple[str, ...],
    old_docx: Path,
    written: list[Path],
    author: str,
) -> Revision:
    """Build ``revision`` and its redline against ``old_docx``; list in ``written`` each file
    that did not exist before, as soon as it may exist (for the caller's roll-back)."""
    project = load_project(revision.root)
    formats = formats_of(project, formats)
    targets = output_paths(project, None)
    docx = targets["docx"]
    fresh = [docx, targets["pdf"], docx.with_name(f"{revision.new}-redline.docx")]
    fresh += [fresh[-1].with_suffix(".pdf"), targets["html"]]
    written.extend(p for p in fresh if not p.exists())
    built_formats = formats if "docx" in formats else ("docx", *formats)
    outputs = dict(build_project(revision.root, None, built_formats).outputs)
    target = fresh[2]
    pdf = target.with_suffix(".pdf") if "pdf" in formats else None
    redline(compare_files(old_docx, outputs["docx"]), target, author=author, pdf=pdf)
    outputs["redline"] = target
    if pdf is not None:
        outputs["redline-pdf"] = pdf
    if "docx" not in formats:
        outputs.pop("docx", None)
    return Revision(revision.root, revision.old, revision.new, revision.issued, outputs, revision.warnings)
