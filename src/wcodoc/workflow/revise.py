"""Reissue a draft: next symbol, new issue date, the old symbol kept in ``history``.

``document.yaml`` is edited in place with :mod:`wcodoc.load.yamledit`, so the user's comments, key
order and spacing come back exactly as written; only the changed values differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML, read_symbol
from wcodoc.load.project import find_project_root
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamledit import edit_yaml_file
from wcodoc.load.yamlio import load_yaml, value_line


@dataclass(frozen=True)
class Revision:
    """What ``revise`` changed in a project."""

    root: Path
    old: DocumentSymbol
    new: DocumentSymbol
    issued: dt.date
    outputs: dict[str, Path] = field(default_factory=dict)
    """Files written by ``--redline``: ``docx``/``pdf`` (new draft), ``redline``, ``redline-pdf``."""


def next_symbol(symbol: DocumentSymbol, *, edition: bool = False) -> DocumentSymbol:
    """The symbol of the next draft: next version letter, or next edition with letter ``a``."""
    return symbol.next_edition() if edition else symbol.next_version()


def revise_project(
    path: Path | str = ".", *, issued: dt.date | None = None, edition: bool = False
) -> Revision:
    """Bump the symbol of the project at ``path`` and set its issue date (default today).

    Raises :class:`WcodocError` naming ``document.yaml`` when the symbol cannot be bumped or
    ``history`` is not a list.
    """
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
    history = data.get("history")
    if history is not None and not isinstance(history, list):
        raise WcodocError("history: expected a list of earlier symbols", doc, value_line(data, "history"))
    issued = issued or dt.date.today()
    edit_yaml_file(doc, {"reference": str(new), "issued": issued}, {"history": str(old)})
    return Revision(root, old, new, issued)


def _diff_api() -> tuple[Callable, Callable, Callable, Callable]:
    try:
        from wcodoc.diff import compare_files, redline
        from wcodoc.diff.sources import is_revision, resolve_docx
    except ImportError:
        raise WcodocError(
            "--redline needs the diff module (wcodoc.diff), which this installation lacks; "
            "revise without --redline and compare the drafts with Word"
        ) from None
    return compare_files, redline, resolve_docx, is_revision


def build_with_redline(
    revision: Revision,
    formats: Iterable[str] = ("docx", "pdf"),
    *,
    against: str = "HEAD",
    outdir: Path | None = None,
) -> Revision:
    """Build the revised draft and its redline against the project as committed at ``against``.

    The redline goes beside the draft as ``<new symbol>-redline.docx`` (and ``.pdf`` when
    ``formats`` holds ``pdf``). Raises :class:`WcodocError` when the project is not in git.
    """
    from wcodoc.build import build_project

    compare_files, redline, resolve_docx, is_revision = _diff_api()
    if not is_revision(against, revision.root):
        raise WcodocError(
            f"--redline compares with the draft committed in git ({against}), but the project is "
            "not in a git repository with commits; commit the previous draft first",
            revision.root,
        )
    formats = tuple(formats)
    result = build_project(revision.root, outdir, formats)
    outputs = dict(result.outputs)
    new_docx = outputs.get("docx") or _docx_beside(result)
    target = new_docx.with_name(f"{revision.new}-redline.docx")
    with ExitStack() as stack:
        old_docx = resolve_docx(against, stack, cwd=revision.root)
        redline(compare_files(old_docx, new_docx), target, author=_author(revision.root))
    outputs["redline"] = target
    if "pdf" in formats:
        from wcodoc.pdf.convert import convert_to_pdf

        convert_to_pdf(target, target.with_suffix(".pdf"))
        outputs["redline-pdf"] = target.with_suffix(".pdf")
    return Revision(revision.root, revision.old, revision.new, revision.issued, outputs)


def _docx_beside(result) -> Path:
    """A DOCX of the new draft when only the PDF was asked for (the redline needs one)."""
    from wcodoc.build import build_project

    pdf = result.outputs["pdf"]
    return build_project(result.project.root, pdf.parent, ("docx",)).outputs["docx"]


def _author(root: Path) -> str:
    from wcodoc.load.project import load_project

    return load_project(root).meta.author
