"""Create a document project: allocate its symbol, write the skeleton, record the register.

Inside a session folder the serial is the next free one for the session's committee; the
allocation is written to ``session.yaml``'s ``register`` under a file lock
(:mod:`wcodoc.session.register`), so two ``wcodoc new`` run at once never hand out the same
serial. ``translation_of`` starts the other language's
version of an existing project: same serial and metadata, sources copied for the translator.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.fsutil import os_errors_reported, read_text
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DOCUMENT_YAML, read_symbol
from wcodoc.load.project import CHAPTERS_DIR, TEMPLATES_DIR, USE_CASES_DIR, load_project
from wcodoc.load.sessionconfig import Session, load_session
from wcodoc.load.symbol import LANGUAGES, DocumentSymbol
from wcodoc.load.yamledit import edit_yaml_text
from wcodoc.load.yamlio import scalar_text
from wcodoc.session.init import ensure_gitignore
from wcodoc.session.register import allocate, allocate_translation, locked, record

FIRST_CHAPTER = "01-introduction.md"
COPIED_FOLDERS = (CHAPTERS_DIR, "annexes", TEMPLATES_DIR)

CHAPTER_SKELETON = """\
# Introduction

<!-- Every ordinary paragraph is numbered for you; "# Heading" starts section I, II, ... -->

...
"""

SESSION_HINT = "# sessions, dates, place and meeting come from ../session.yaml unless set here.\n"
STANDALONE_HINT = """\
# Meeting facts for the cover (inside a session folder they come from session.yaml):
# meeting: hybrid                                  # in-person, hybrid, virtual, document-based
# sessions: [235, 236]
# dates: {from: 2022-04-25, to: 2022-04-29}
"""
SUMMARY_HINT = """\
# The SUMMARY block of the cover, in Markdown:
# summary:
#   purpose: |
#     ...
#   action: |
#     ...
"""


@dataclass(frozen=True)
class NewDocument:
    """The project ``wcodoc new`` created."""

    root: Path
    symbol: DocumentSymbol
    session: Path | None
    """The ``session.yaml`` whose register recorded the symbol, if any."""


@os_errors_reported("cannot create the document")
def create_document(
    name: Path | str,
    *,
    title: str | None = None,
    item: str | None = None,
    language: str | None = None,
    reference: str | None = None,
    issued: dt.date | None = None,
    translation_of: Path | str | None = None,
) -> NewDocument:
    """Create the project folder ``name`` and return where it is and its symbol.

    Raises :class:`WcodocError` when ``name`` exists, when no symbol can be allocated (outside
    a session folder without ``reference``) or when the symbol is already taken.
    """
    target = Path(name).resolve()
    _check_free(target, name)
    if language is not None and language not in LANGUAGES:
        raise WcodocError(f"--language: expected E or F, got {language!r}")
    session = load_session(target.parent, HouseStyle().prefixes)
    if session is not None:
        _check_place(target, session)
    if translation_of is not None:
        return _translate(target, session, Path(translation_of), title, item, language, issued)
    issued = issued or dt.date.today()
    if not title or not title.strip():
        raise WcodocError("a new document needs a title (--title)")
    if session is None:
        return _standalone(target, title, item, reference, issued)
    symbol = _parse_reference(reference, language) if reference is not None else None
    with locked(session) as session:
        _check_free(target, name)  # another `wcodoc new` of the same name may have just won
        allocation = allocate(session, symbol, language)
        record(session, allocation, target, title)
        _write_skeleton(target, allocation.symbol, title, item, issued, in_session=True)
    ensure_gitignore(session.root)
    return NewDocument(target, allocation.symbol, session.path)


def _check_free(target: Path, name: Path | str) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise WcodocError("already exists; choose another name for the new document", name)


def _check_place(target: Path, session: Session) -> None:
    """A session's documents are its direct subfolders: anywhere else, ``session list`` and
    ``session build`` would never see the new document (a folder inside another document's
    folder would even be taken for part of that document)."""
    root = session.root.resolve()
    if target.parent == root:
        return
    for folder in target.parents:
        if folder == root:
            break
        if (folder / DOCUMENT_YAML).is_file():
            raise WcodocError(
                f"is inside the document folder {folder.name}/; a session's documents are the "
                f"direct subfolders of {root.name}/: create it as {root.name}/{target.name}",
                target,
            )
    raise WcodocError(
        f"a session's documents are the direct subfolders of {root.name}/ (session.yaml); "
        f"create it as {root.name}/{target.name}",
        target,
    )


def _standalone(
    target: Path, title: str, item: str | None, reference: str | None, issued: dt.date
) -> NewDocument:
    if reference is None:
        raise WcodocError(
            "outside a session folder (no session.yaml above it) a new document needs "
            "--reference SYMBOL, e.g. --reference PC0690Ea"
        )
    symbol = _parse_reference(reference)
    _write_skeleton(target, symbol, title, item, issued, in_session=False)
    return NewDocument(target, symbol, None)


def _parse_reference(reference: str, language: str | None = None) -> DocumentSymbol:
    try:
        symbol = DocumentSymbol.parse(reference)
    except ValueError as exc:
        raise WcodocError(f"--reference: {exc}") from None
    if symbol.prefix not in HouseStyle().prefixes:
        raise WcodocError(f"--reference: unknown body prefix {symbol.prefix!r}")
    if language is not None and symbol.language != language:
        raise WcodocError(f"--language {language} contradicts --reference {reference}")
    return symbol if symbol.version else replace(symbol, version="a")


def document_yaml_text(
    symbol: DocumentSymbol, title: str, item: str | None, issued: dt.date, *, in_session: bool
) -> str:
    """The ``document.yaml`` of a new project, with comments that say what each key does."""
    lines = [
        "# A WCO working document. `wcodoc build` makes the cover from these keys;\n",
        "# `wcodoc revise` bumps the version letter and the issue date.\n",
        f"reference: {symbol}\n",
        f"title: {scalar_text(title.strip())}\n",
    ]
    if item:
        lines.append(f"agenda_item: {scalar_text(item.strip())}\n")
    lines.append(f"issued: {issued.isoformat()}\n")
    lines.append(SESSION_HINT if in_session else STANDALONE_HINT)
    lines.append(SUMMARY_HINT)
    return "".join(lines)


def _write_skeleton(
    target: Path, symbol: DocumentSymbol, title: str, item: str | None, issued: dt.date, *, in_session: bool
) -> None:
    (target / CHAPTERS_DIR).mkdir(parents=True, exist_ok=True)
    (target / USE_CASES_DIR).mkdir(parents=True, exist_ok=True)
    (target / USE_CASES_DIR / ".gitkeep").touch()
    (target / CHAPTERS_DIR / FIRST_CHAPTER).write_text(CHAPTER_SKELETON, encoding="utf-8")
    text = document_yaml_text(symbol, title, item, issued, in_session=in_session)
    (target / DOCUMENT_YAML).write_text(text, encoding="utf-8")


def _translate(
    target: Path,
    session: Session | None,
    source: Path,
    title: str | None,
    item: str | None,
    language: str | None,
    issued: dt.date | None,
) -> NewDocument:
    original = load_project(source)
    symbol = original.meta.symbol
    language = language or ("F" if symbol.language == "E" else "E")
    if language == symbol.language:
        raise WcodocError(f"--translation-of: {symbol} is already in language {language}", source)
    translated = symbol.with_language(language)
    if session is None:
        _copy_translation(original.root, target, translated, title, item, issued)
        return NewDocument(target, translated, None)
    with locked(session) as session:
        _check_free(target, target)
        record(session, allocate_translation(session, translated), target, title or original.meta.title)
        _copy_translation(original.root, target, translated, title, item, issued)
    ensure_gitignore(session.root)
    return NewDocument(target, translated, session.path)


def _copy_translation(
    source: Path,
    target: Path,
    symbol: DocumentSymbol,
    title: str | None,
    item: str | None,
    issued: dt.date | None,
) -> None:
    """Copy the sources for the translator and give ``document.yaml`` the new symbol.

    The issue date stays the original's unless ``issued`` is given.
    """
    target.mkdir(parents=True, exist_ok=True)
    for folder in COPIED_FOLDERS:
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder, dirs_exist_ok=True)
    (target / USE_CASES_DIR).mkdir(parents=True, exist_ok=True)
    values: dict[str, object] = {"reference": str(symbol)}
    if source.resolve().parent == target.resolve().parent:
        values["translation_of"] = source.resolve().name
    values["follows"] = str(read_symbol(source / DOCUMENT_YAML))
    if title:
        values["title"] = title.strip()
    if item:
        values["agenda_item"] = item.strip()
    if issued:
        values["issued"] = issued
    text = edit_yaml_text(read_text(source / DOCUMENT_YAML), source / DOCUMENT_YAML, values)
    text = _translated_symbols(text, symbol)
    if "follows" in values:  # the original's own symbol, not renamed into the translation's language
        text = edit_yaml_text(text, target / DOCUMENT_YAML, {"follows": values["follows"]})
    (target / DOCUMENT_YAML).write_text(text, encoding="utf-8")


def _translated_symbols(text: str, symbol: DocumentSymbol) -> str:
    """The earlier drafts (``history``, comments) named in the translation's own language.

    ``PC0685Ea`` in the English file's history is ``PC0685Fa`` for the French version.
    """
    other = "|".join(letter for letter in LANGUAGES if letter != symbol.language)
    pattern = re.compile(rf"\b({symbol.prefix}{symbol.serial:04d})(?:{other})(\d?[a-z]?)\b")
    return pattern.sub(rf"\g<1>{symbol.language}\g<2>", text)
