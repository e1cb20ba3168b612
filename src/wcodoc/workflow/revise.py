"""Reissue a draft: next symbol, new issue date, the old symbol kept in ``history``.

``document.yaml`` is edited in place with :mod:`wcodoc.load.yamledit`, so the user's comments, key
order and spacing come back exactly as written; only the changed values differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.build import DEFAULT_FORMATS, build_project, formats_of, output_paths
from wcodoc.diff import compare_files, redline
from wcodoc.diff.sources import is_revision, resolve_docx
from wcodoc.errors import Problem, Problems, WcodocError
from wcodoc.fsutil import atomic_write_bytes
from wcodoc.load.metadata import DOCUMENT_YAML, read_symbol
from wcodoc.load.project import find_project_root, load_project
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamledit import edit_yaml_file
from wcodoc.load.yamlio import load_yaml, value_line
from wcodoc.pdf.convert import convert_to_pdf


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
    """A new issue date earlier than the draft it replaces, or after the meeting's last day,
    is most likely a typing slip: said, never refused (a late corrigendum is legitimate)."""
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
        dates = load_project(root).meta.dates
    except WcodocError:
        dates = None
    if dates is not None and issued > dates.end:
        warnings.warning(
            f"issued: {issued} is after the meeting's last day ({dates.end})",
            doc,
            value_line(data, "issued"),
            code="issued",
        )
    return tuple(warnings)


def _apply(plan: _Plan) -> Revision:
    edit_yaml_file(plan.doc, {"reference": str(plan.new), "issued": plan.issued}, {"history": str(plan.old)})
    return Revision(plan.doc.parent, plan.old, plan.new, plan.issued, warnings=plan.warnings)


def revise_project(
    path: Path | str = ".", *, issued: dt.date | None = None, edition: bool = False
) -> Revision:
    """Bump the symbol of the project at ``path`` and set its issue date (default today).

    Raises :class:`WcodocError` naming ``document.yaml`` when the symbol cannot be bumped or
    ``history`` is not a list.
    """
    return _apply(_plan(path, issued, edition))


def revise_with_redline(
    path: Path | str = ".",
    *,
    issued: dt.date | None = None,
    edition: bool = False,
    formats: Iterable[str] = DEFAULT_FORMATS,
    against: str = "HEAD",
) -> Revision:
    """:func:`revise_project`, then build the new draft and its redline, all or nothing.

    Everything that can be checked is checked before ``document.yaml`` changes (the symbol,
    the git revision, a build of the draft at ``against``). If the build or the redline then
    fails (or is interrupted), ``document.yaml`` gets its exact bytes back and the outputs
    written for the new symbol are removed, so a retry uses the same version letter.
    """
    plan = _plan(path, issued, edition)
    root = plan.doc.parent
    if not is_revision(against, root):
        raise WcodocError(
            f"--redline compares with the draft committed in git, but {against!r} is no commit here "
            "(the project is not in a git repository with commits, or has no such tag); "
            "commit the previous draft first",
            root,
        )
    original = plan.doc.read_bytes()
    with ExitStack() as stack:
        old_docx = resolve_docx(against, stack, cwd=root, project=root)
        revision = _apply(plan)
        written: list[Path] = []
        try:
            return _build_and_redline(revision, tuple(formats), old_docx, written)
        except BaseException:
            atomic_write_bytes(plan.doc, original)
            for output in written:
                output.unlink(missing_ok=True)
            raise


def _build_and_redline(
    revision: Revision,
    formats: tuple[str, ...],
    old_docx: Path,
    written: list[Path],
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
    redline(compare_files(old_docx, outputs["docx"]), target, author=project.meta.author)
    outputs["redline"] = target
    if "pdf" in formats:
        convert_to_pdf(target, target.with_suffix(".pdf"))
        outputs["redline-pdf"] = target.with_suffix(".pdf")
    if "docx" not in formats:
        outputs.pop("docx", None)
    return Revision(revision.root, revision.old, revision.new, revision.issued, outputs, revision.warnings)
