"""Translation status: which translations are behind their original, and what changed since.

A translation's ``document.yaml`` says which folder holds its original (``translation_of``)
and which version of the original it follows (``follows``, written by ``wcodoc new
--translation-of`` and by ``wcodoc session follow``). The original's sources as the translation
followed them come from git history (:mod:`wcodoc.session.followed`); they are built and
compared with the original's current sources, and every block that changed is named where the
translator will find it (:mod:`wcodoc.session.changes`), the paragraphs by their current
numbers.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from wcodoc.diff import Comparison, compare_files
from wcodoc.diff.sources import resolve_docx
from wcodoc.errors import WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML, DocumentMeta
from wcodoc.load.project import load_project, project_lock
from wcodoc.load.sessionconfig import Session
from wcodoc.load.yamledit import edit_yaml_file
from wcodoc.session.changes import ChangedBlock, changed_blocks, changed_paragraphs
from wcodoc.session.followed import followed_commit


@dataclass(frozen=True)
class TranslationStatus:
    """One document of the session as ``wcodoc session status`` reports it."""

    folder: str
    reference: str | None
    translation_of: str | None = None
    """The original's folder, for a translation."""
    follows: str | None = None
    """The original's version the translation is up to date with (``PC0701Eb``)."""
    original: str | None = None
    """The original's current version (``PC0701Ec``)."""
    behind: bool = False
    changed_paragraphs: tuple[str, ...] = ()
    """Paragraphs of the original changed since ``follows``, in its current numbering."""
    changed_blocks: tuple[ChangedBlock, ...] = ()
    """Every block of the original changed since ``follows`` (paragraphs, tables, footnotes,
    bullets, use cases, cover fields), with where it is now."""
    problem: str | None = None
    """Why the status is incomplete (no history of that version, a build error), if so."""

    def as_json(self) -> dict:
        return {
            "folder": self.folder,
            "reference": self.reference,
            "translation_of": self.translation_of,
            "follows": self.follows,
            "original": self.original,
            "behind": self.behind,
            "changed_paragraphs": list(self.changed_paragraphs),
            "changed_blocks": [block.as_json() for block in self.changed_blocks],
            **({"problem": self.problem} if self.problem else {}),
        }


def translation_status(session: Session) -> list[TranslationStatus]:
    """The status of every document of ``session``, in folder order."""
    return [document_translation_status(root) for root in session.document_roots()]


def document_translation_status(root: Path) -> TranslationStatus:
    try:
        meta = load_project(root).meta
    except WcodocError as error:
        return TranslationStatus(root.name, None, problem=str(error).splitlines()[0])
    if meta.translation_of is None:
        return TranslationStatus(root.name, str(meta.symbol))
    original_root = root.parent / meta.translation_of
    base = TranslationStatus(root.name, str(meta.symbol), meta.translation_of, _text(meta.follows))
    try:
        original = load_project(original_root).meta
    except WcodocError as error:
        return _with(base, problem=f"original {meta.translation_of}/: {str(error).splitlines()[0]}")
    base = _with(base, original=str(original.symbol))
    if meta.follows is None:
        return _with(base, behind=True, problem="follows: not set; which version of the original is this?")
    if meta.follows == original.symbol:
        return base
    try:
        comparison = compare_with_followed(root, original_root, str(meta.follows))
    except WcodocError as error:
        return _with(base, behind=True, problem=str(error).splitlines()[0])
    return _with(
        base,
        behind=True,
        changed_paragraphs=tuple(changed_paragraphs(comparison)),
        changed_blocks=tuple(changed_blocks(comparison)),
    )


def compare_with_followed(translation: Path, original: Path, version: str) -> Comparison:
    """The original as the translation followed it (``version``), compared with it now."""
    commit = followed_commit(translation, original, version)
    with ExitStack() as stack:
        old = resolve_docx(commit, stack, cwd=original, project=original)
        new = resolve_docx(str(original), stack, cwd=original)
        return compare_files(old, new)


def mark_followed(root: Path) -> tuple[str | None, str]:
    """Record that the translation at ``root`` follows its original's current version.

    Returns the version it followed before (or ``None``) and the one it follows now.
    """
    with project_lock(root):
        meta = _meta(root)
        if meta.translation_of is None:
            raise WcodocError(
                "translation_of: not set; this document is no translation (add "
                "'translation_of: FOLDER' naming its original's folder)",
                root / DOCUMENT_YAML,
            )
        original = load_project(root.parent / meta.translation_of).meta.symbol
        edit_yaml_file(root / DOCUMENT_YAML, {"follows": str(original)})
    return _text(meta.follows), str(original)


def _meta(root: Path) -> DocumentMeta:
    return load_project(root).meta


def _with(status: TranslationStatus, **changes) -> TranslationStatus:
    return replace(status, **changes)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
