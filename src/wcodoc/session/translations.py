"""Translation status: which translations are behind their original, and what changed since.

A translation's ``document.yaml`` says which folder holds its original (``translation_of``)
and which version of the original it follows (``follows``, written by ``wcodoc new
--translation-of`` and by ``wcodoc session follow``). The original's sources at that version
come from git history (the newest commit whose ``document.yaml`` has that ``reference``); they
are built and compared with the original's current sources, and the paragraphs that changed
are named by their current numbers, as the translator will find them.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from wcodoc.diff import compare_files
from wcodoc.diff.align import Alignment, Deleted, Pair
from wcodoc.diff.extract import Block
from wcodoc.diff.sources import commit_where, resolve_docx
from wcodoc.errors import WcodocError
from wcodoc.load.metadata import DOCUMENT_YAML, DocumentMeta
from wcodoc.load.project import load_project, project_lock
from wcodoc.load.sessionconfig import Session
from wcodoc.load.yamledit import edit_yaml_file

NUMBERED_BLOCKS = ("paragraph", "sub-item")


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
        changed = changed_paragraphs(original_root, str(meta.follows))
    except WcodocError as error:
        return _with(base, behind=True, problem=str(error).splitlines()[0])
    return _with(base, behind=True, changed_paragraphs=tuple(changed))


def changed_paragraphs(original_root: Path, version: str) -> list[str]:
    """Numbers (current numbering) of the paragraphs of the original changed since ``version``.

    A deleted paragraph is named by the paragraph now before it, if any: that is where the
    translator deletes the text too. Changes to the cover (reference, issue date) do not count.
    """
    commit = commit_where(original_root, DOCUMENT_YAML, "reference", version)
    if commit is None:
        raise WcodocError(
            f"no commit of {original_root.name}/{DOCUMENT_YAML} has reference {version}: "
            "commit each version as issued"
        )
    with ExitStack() as stack:
        old = resolve_docx(commit, stack, cwd=original_root, project=original_root)
        new = resolve_docx(str(original_root), stack, cwd=original_root)
        comparison = compare_files(old, new)
    alignment = comparison.alignment
    changed_new = {id(change.new) for change in alignment.changes if not isinstance(change, Deleted)}
    numbers: list[str] = []
    for change in alignment.changes:
        if isinstance(change, Deleted):
            number = _deleted_place(alignment, change.old, changed_new)
        else:
            number = _number(change.new)
        if number is not None and number not in numbers:
            numbers.append(number)
    return sorted(numbers, key=_paragraph_order)


def _number(block: Block) -> str | None:
    return block.number if block.block in NUMBERED_BLOCKS and block.number else None


def _deleted_place(alignment: Alignment, deleted: Block, changed_new: set[int]) -> str | None:
    """The current number of the paragraph before a deleted one (where the translator deletes).

    ``None`` when the deleted paragraph was replaced (an inserted or changed paragraph stands
    where it was: that one is reported) or had no numbered paragraph before it.
    """
    if deleted.block not in NUMBERED_BLOCKS:
        return None
    pairs = {step.old: step.new for step in alignment.steps if isinstance(step, Pair)}
    index = next((i for i, block in enumerate(alignment.old) if block is deleted), 0)
    for i in range(index - 1, -1, -1):
        if i not in pairs:
            continue
        j = pairs[i]
        if j + 1 < len(alignment.new) and id(alignment.new[j + 1]) in changed_new:
            return None
        return _number(alignment.new[j])
    return None


def _paragraph_order(number: str) -> tuple:
    parts = number.split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


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
