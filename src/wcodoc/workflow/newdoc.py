"""Create a document project: allocate its symbol, write the skeleton, record the register.

Inside a session folder the serial is the next free one for the session's committee; the
allocation is written to ``session.yaml``'s ``register`` under the session's lock
(:mod:`wcodoc.session.register`), so two ``wcodoc new`` run at once never hand out the same
serial. The new folder is written aside, then renamed into place with the register under a
journal (:mod:`wcodoc.writes.journal`): killed at any point, ``new`` either did nothing or is
finished by the next command that takes the lock. ``translation_of`` starts the other
language's version of an existing project: same serial and metadata, sources copied for the
translator.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from wcodoc.build import assemble_parts
from wcodoc.errors import Problems, WcodocError
from wcodoc.fsutil import is_inside, os_errors_reported, read_text
from wcodoc.kinds import kind_of
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.kinds import DEFAULT_KIND, KIND_SCHEMAS, REPORT
from wcodoc.load.metadata import DOCUMENT_YAML, read_symbol
from wcodoc.load.project import (
    CHAPTERS_DIR,
    TEMPLATES_DIR,
    USE_CASES_DIR,
    Project,
    load_project,
    project_lock,
)
from wcodoc.load.sessionconfig import Session, load_session
from wcodoc.load.symbol import LANGUAGES, DocumentSymbol
from wcodoc.load.yamledit import edit_yaml_text
from wcodoc.load.yamlio import scalar_text
from wcodoc.session.init import ensure_gitignore
from wcodoc.session.register import Allocation, allocate, allocate_translation, recorded, session_lock
from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Node
from wcodoc.writes.journal import Held, read_journal
from wcodoc.writes.lock import command_line

FIRST_CHAPTER = "01-introduction.md"
COPIED_FOLDERS = (CHAPTERS_DIR, "annexes", TEMPLATES_DIR)

CHAPTER_SKELETON = """\
# Introduction

<!-- Every ordinary paragraph is numbered for you; "# Heading" starts section I, II, ... -->

...
"""

REPORT_CHAPTER_SKELETON = """\
# Adoption of the agenda

<!-- Each "# Heading" is an agenda item (I, II, ...), each "## Heading" a sub-item (a., b., ...):
     the table before paragraph 1 lists them with the range of their paragraphs. -->

...
"""

SESSION_HINT = "# sessions, dates, place and meeting come from ../session.yaml unless set here.\n"
STANDALONE_HINT = """\
# Meeting facts for the cover (inside a session folder they come from session.yaml):
# meeting: hybrid                                  # in-person, hybrid, virtual, document-based
# sessions: [235, 236]
# dates: {from: 2022-04-25, to: 2022-04-29}
"""
REPORT_STANDALONE_HINT = """\
# A report's title is made from the committee and the sessions, with the dates under it: set
# both (inside a session folder they come from session.yaml).
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
    kind: str = DEFAULT_KIND,
) -> NewDocument:
    """Create the project folder ``name`` and return where it is and its symbol.

    ``kind``: a working document (the default) needs a ``title``; a report (``report``) takes
    none, its title being made from the committee and the sessions. Raises
    :class:`WcodocError` when ``name`` exists, when no symbol can be allocated (outside a session
    folder without ``reference``) or when the symbol is already taken.
    """
    target = Path(name).resolve()
    session = load_session(target.parent, HouseStyle().prefixes)
    if session is None or read_journal(session.path) is None:  # else it may be this very `new`'s
        _check_free(target, name)
    if language is not None and language not in LANGUAGES:
        raise WcodocError(f"--language: expected E or F, got {language!r}")
    if session is not None:
        _check_place(target, session)
    if translation_of is not None:
        return _translate(target, session, Path(translation_of), title, item, language, issued)
    issued = issued or dt.date.today()
    skeleton = _skeleton(kind, title, item, issued)
    if session is None:
        return _standalone(target, skeleton, reference)
    symbol = _parse_reference(reference, language) if reference is not None else None
    with session_lock(session) as (session, lock):
        done = _finished(lock, target)
        if done is None:
            _check_free(target, name)  # another `wcodoc new` of the same name may have just won
            allocation = allocate(session, symbol, language)

            def fill(folder: Path) -> None:
                _write_skeleton(folder, allocation.symbol, skeleton, in_session=True)

            _create(lock, session, allocation, target, skeleton.title, fill)
    ensure_gitignore(session.root)
    return done or NewDocument(target, allocation.symbol, session.path)


def _finished(lock: Held, target: Path) -> NewDocument | None:
    """The document an interrupted ``new`` of ``target`` created, finished as the lock was
    taken: running ``new`` again reports it instead of refusing an existing folder."""
    journal = lock.finished
    if journal is None or journal.kind != "new" or journal.key != str(target):
        return None
    return NewDocument(target, DocumentSymbol.parse(journal.data["symbol"]), lock.guarded)


def _create(
    lock: Held,
    session: Session,
    allocation: Allocation,
    target: Path,
    title: str | None,
    fill: Callable[[Path], None],
) -> None:
    """Make the folder ``target`` (written by ``fill``) and record it in the register, all or none."""
    data = {"symbol": str(allocation.symbol)}
    with lock.begin("new", command_line(), str(target), [target, session.path], data=data) as txn:
        fill(txn.staged(target))
        txn.write(session.path, recorded(session, allocation, target, title))
        # The register is no build input: session.yaml keeps its time (register.recorded).
        before = session.path.stat()
        os.utime(txn.staged(session.path), ns=(before.st_atime_ns, before.st_mtime_ns))
        txn.commit()


@dataclass(frozen=True)
class Skeleton:
    """What a new project's ``document.yaml`` and first chapter say, apart from its symbol."""

    kind: str
    title: str | None
    """``None`` for a report, whose title the build makes."""
    item: str | None
    issued: dt.date


def _skeleton(kind: str, title: str | None, item: str | None, issued: dt.date) -> Skeleton:
    if kind not in KIND_SCHEMAS:
        raise WcodocError(f"--kind: expected one of {', '.join(KIND_SCHEMAS)}, got {kind!r}")
    if kind == REPORT.name:
        if title or item:
            raise WcodocError(
                "a report takes no --title or --item: its title is made from the committee and the "
                "sessions, and its agenda items are its '#' sections"
            )
        return Skeleton(kind, None, None, issued)
    if not title or not title.strip():
        raise WcodocError("a new document needs a title (--title)")
    return Skeleton(kind, title, item, issued)


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


def _standalone(target: Path, skeleton: Skeleton, reference: str | None) -> NewDocument:
    if reference is None:
        raise WcodocError(
            "outside a session folder (no session.yaml above it) a new document needs "
            "--reference SYMBOL, e.g. --reference PC0690Ea"
        )
    symbol = _parse_reference(reference)
    _create_alone(target, lambda folder: _write_skeleton(folder, symbol, skeleton, in_session=False))
    return NewDocument(target, symbol, None)


def _create_alone(target: Path, fill: Callable[[Path], None]) -> None:
    """Make the folder ``target`` outside a session: written aside, then renamed into place,
    so an interrupted ``new`` leaves no half-made project behind to refuse the retry."""
    try:
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise WcodocError(f"cannot create the folder: {exc.strerror or exc}", target) from None
    try:
        fill(aside)
        aside.chmod(0o755)
        os.replace(aside, target)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):  # another `wcodoc new` just made it
            raise WcodocError("already exists; choose another name for the new document", target) from None
        raise WcodocError(f"cannot create the folder: {exc.strerror or exc}", target) from None
    finally:
        shutil.rmtree(aside, ignore_errors=True)


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


def document_yaml_text(symbol: DocumentSymbol, skeleton: Skeleton, *, in_session: bool) -> str:
    """The ``document.yaml`` of a new project, with comments that say what each key does."""
    if skeleton.title is None:
        lines = [
            "# A WCO session report. `wcodoc build` makes its title from the committee and the\n",
            "# sessions, and the table of agenda items from the chapters' headings.\n",
            f"kind: {skeleton.kind}\n",
            f"reference: {symbol}\n",
        ]
    else:
        lines = [
            "# A WCO working document. `wcodoc build` makes the cover from these keys;\n",
            "# `wcodoc revise` bumps the version letter and the issue date.\n",
            f"reference: {symbol}\n",
            f"title: {scalar_text(skeleton.title.strip())}\n",
        ]
    if skeleton.item:
        lines.append(f"agenda_item: {scalar_text(skeleton.item.strip())}\n")
    lines.append(f"issued: {skeleton.issued.isoformat()}\n")
    if skeleton.title is None:
        lines.append(SESSION_HINT if in_session else REPORT_STANDALONE_HINT)
    else:
        lines += [SESSION_HINT if in_session else STANDALONE_HINT, SUMMARY_HINT]
    return "".join(lines)


def _write_skeleton(target: Path, symbol: DocumentSymbol, skeleton: Skeleton, *, in_session: bool) -> None:
    (target / CHAPTERS_DIR).mkdir(parents=True, exist_ok=True)
    (target / USE_CASES_DIR).mkdir(parents=True, exist_ok=True)
    (target / USE_CASES_DIR / ".gitkeep").touch()
    chapter = REPORT_CHAPTER_SKELETON if skeleton.title is None else CHAPTER_SKELETON
    (target / CHAPTERS_DIR / FIRST_CHAPTER).write_text(chapter, encoding="utf-8")
    text = document_yaml_text(symbol, skeleton, in_session=in_session)
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
    kind = kind_of(original.meta)
    if kind.name == REPORT.name and (title or item):
        raise WcodocError("a report takes no --title or --item: its title is made from the committee and "
                          "the sessions, in the translation's language")  # fmt: skip
    symbol = original.meta.symbol
    language = language or ("F" if symbol.language == "E" else "E")
    if language == symbol.language:
        raise WcodocError(f"--translation-of: {symbol} is already in language {language}", source)
    translated = symbol.with_language(language)

    def fill(folder: Path) -> None:
        with project_lock(original.root):  # no apply half-way through the files copied
            _copy_translation(original, folder, translated, title, item, issued, target)

    if session is None:
        _create_alone(target, fill)
        return NewDocument(target, translated, None)
    with session_lock(session) as (session, lock):
        done = _finished(lock, target)
        if done is None:
            _check_free(target, target)
            allocation = allocate_translation(session, translated)
            # The register keeps a title someone wrote: a report's is generated (session list shows it).
            written = None if "title" in kind.schema.omits else kind.title(original.meta, original.style)
            _create(lock, session, allocation, target, title or written, fill)
    ensure_gitignore(session.root)
    return done or NewDocument(target, translated, session.path)


def _copy_translation(
    original: Project,
    target: Path,
    symbol: DocumentSymbol,
    title: str | None,
    item: str | None,
    issued: dt.date | None,
    place: Path,
) -> None:
    """Copy the sources for the translator into ``target`` (the folder that becomes ``place``)
    and give ``document.yaml`` the new symbol.

    The issue date stays the original's unless ``issued`` is given.
    """
    source = original.root
    target.mkdir(parents=True, exist_ok=True)
    for folder in COPIED_FOLDERS:
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder, dirs_exist_ok=True)
    _copy_images(original, target)
    (target / USE_CASES_DIR).mkdir(parents=True, exist_ok=True)
    values: dict[str, object] = {"reference": str(symbol)}
    if source.resolve().parent == place.resolve().parent:
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


def _copy_images(original: Project, target: Path) -> None:
    """Copy the pictures the original shows from outside the copied folders (``figures/``) to
    the same place in the translation, which then builds at once."""
    for image in _shown_images(original):
        where = image.relative_to(original.root)
        if where.parts[0] not in COPIED_FOLDERS:
            (target / where).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image, target / where)


def _shown_images(project: Project) -> list[Path]:
    """The picture files inside ``project`` that its build shows, as the build finds them
    (relative to the chapter or to the project, in the body, the annexes and the SUMMARY)."""
    found: list[Path] = []

    def visit(node: Node) -> None:
        path = Path(node["c"][2][0])
        if path.is_absolute() and path.is_file() and is_inside(path, project.root):
            found.append(path.resolve())

    try:
        blocks = assemble_parts(project, problems=Problems()).document["blocks"]
    except WcodocError:
        return []  # the original does not build: the translation's own build will say why
    pandocast.walk(blocks, visit, only=("Image",))
    return list(dict.fromkeys(found))


def _translated_symbols(text: str, symbol: DocumentSymbol) -> str:
    """The earlier drafts (``history``, comments) named in the translation's own language.

    ``PC0685Ea`` in the English file's history is ``PC0685Fa`` for the French version.
    """
    other = "|".join(letter for letter in LANGUAGES if letter != symbol.language)
    pattern = re.compile(rf"\b({symbol.prefix}{symbol.serial:04d})(?:{other})(\d?[a-z]?)\b")
    return pattern.sub(rf"\g<1>{symbol.language}\g<2>", text)
