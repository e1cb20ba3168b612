"""Members' returns: every proposed change and comment, keyed by the base's paragraph numbers.

A returned copy holds three layers on top of what was sent out (the *base*):

- edits made without tracking: the copy with every tracked change *rejected*, compared with
  the base, attributed to the file's Member (``--member``, else ``lastModifiedBy``, else the
  file name);
- each author's tracked changes: the copy with that author's changes accepted and everybody
  else's rejected, compared with the copy with all of them rejected (when the author is also
  the file's Member, with the base, so that one Member's edits of one paragraph are one
  entry);
- comments, with their replies.

Every entry is keyed as a reader of the base names the place (``7``, ``9.b``, ``III``,
``uc 3``, ``cover:title``; ``after 7`` for a paragraph proposed after paragraph 7). Blocks
without a number of their own (bullets, tables, unnumbered sub-headings) belong to the
numbered block before them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from wcodoc.diff.align import NewOnly, OldOnly, Pair, align, note_pairs
from wcodoc.diff.extract import Block, BlockReader, NoteParts, block_reader, read_draft
from wcodoc.diff.sources import resolve_docx
from wcodoc.errors import WcodocError
from wcodoc.ooxml import qn
from wcodoc.ooxml.comments import COMMENTS_EXTENDED_PART, COMMENTS_PART, Comment, comment_list, reply_parents
from wcodoc.ooxml.fields import show_references, shown_references
from wcodoc.ooxml.notes import NOTE_KINDS
from wcodoc.ooxml.revisions import PENDING_TAGS, pending, resolve
from wcodoc.ooxml.safe import DOCUMENT_PART, Package, open_docx
from wcodoc.review.comments import new_threads
from wcodoc.styles import COVER_SYMBOL

CORE_PART = "docProps/core.xml"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
W_P, W_AUTHOR, W_BODY, W_ALT_CHUNK = qn("w:p"), qn("w:author"), qn("w:body"), qn("w:altChunk")
POSITION = "{urn:wcodoc:review}pos"
"""Attribute each paragraph of a return is tagged with, to find it again in resolved copies."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of an OLE compound file: a password-protected DOCX, or a Word 97-2003 .doc."""
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
START = "start"
"""Key of what comes before the first numbered block (an unnumbered opening paragraph)."""
AFTER = "after "

Kind = Literal["change", "comment"]


@dataclass(frozen=True)
class Entry:
    """One proposed change or one comment of one returned file."""

    paragraph: str
    """Where, in the base's numbering: ``7``, ``9.b``, ``III``, ``uc 3``, ``cover:title``,
    ``after 7`` (a paragraph proposed after paragraph 7)."""
    member: str
    """Who: the author of the tracked change or comment, or the file's Member."""
    file: str
    """The returned file's name."""
    kind: Kind
    old_text: str | None
    """A change: the paragraph's text before it (``""`` for a new paragraph). A comment: the
    commented paragraph's text."""
    new_text: str | None
    """A change: the text after it (``""`` for a deleted paragraph). A comment: ``None``."""
    comment: str | None = None
    """A comment's text, its replies after it (``Reply by …: …``), one per line."""
    order: float = field(default=0.0, compare=False)
    """Where the paragraph is in the base (its block's index), for sorting."""

    def as_json(self) -> dict[str, str | None]:
        """The entry as ``review collect --format json`` prints it (the contract's keys only)."""
        return {
            "paragraph": self.paragraph,
            "member": self.member,
            "file": self.file,
            "kind": self.kind,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "comment": self.comment,
        }


@dataclass
class Compilation:
    """Every entry of a round of returns, ordered by paragraph, then Member, then file."""

    base: str
    """The base's symbol (``PC0685Ea``)."""
    entries: list[Entry]
    files: list[str] = field(default_factory=list)
    """The returned files read, in the order given."""

    def as_json(self) -> dict:
        """``{"base": …, "entries": [...]}``: the shape DESIGN.md fixes."""
        return {"base": self.base, "entries": [e.as_json() for e in self.entries]}


Key = tuple[str, float]
"""A paragraph key and its place in the base (for sorting)."""


def _base_keys(blocks: Sequence[Block]) -> list[Key]:
    """The key of each base block: its own number, or that of the numbered block before it."""
    keys: list[Key] = []
    last, use_case, in_annex = START, None, False
    for index, block in enumerate(blocks):
        if block.block == "cover":
            key = f"cover:{block.field}" if block.field else "cover"
        elif block.block == "annex" or in_annex:
            in_annex = True
            if block.block == "annex" and block.number:
                use_case = f"uc {block.number}"
            key = use_case or "annex"
        elif block.number:
            key = last = block.number
        else:
            key = last
        keys.append((key, float(index)))
    return keys


def _after(key: Key) -> Key:
    name, order = key
    return (name if name.startswith(AFTER) else f"{AFTER}{name}", order + 0.5)


Edit = tuple[Key, str, str]
"""A key and the text before and after (``""`` for a block that is not there)."""


@dataclass(frozen=True)
class Compared:
    """Two readings of a document compared: what changed, and where each new block is."""

    edits: list[Edit]
    """Block by block, keyed by the old blocks' keys. A moved block is a deletion at its old
    place and an insertion at its new one (what someone applying the proposal has to do); a
    changed footnote is an edit of its paragraph (``Footnote 3: …``)."""
    keys: list[Key]
    """The key of each new block: that of the old block it pairs with, else ``after`` the key
    of the block before it."""


def _compare(old: Sequence[Block], old_keys: Sequence[Key], new: Sequence[Block]) -> Compared:
    """Align ``old`` and ``new`` blocks and list the edits, keyed by ``old_keys``."""
    alignment = align(list(old), list(new))
    edits: list[Edit] = []
    keys: list[Key] = [(START, -1.0)] * len(new)
    last: Key = (START, -1.0)
    for step in alignment.steps:
        match step:
            case Pair(op="moved_to"):
                edits.append((old_keys[step.old], old[step.old].text, ""))
                edits.append((_after(last), "", new[step.new].text))
                keys[step.new] = old_keys[step.old]
            case Pair():
                keys[step.new] = last = old_keys[step.old]
                if step.op == "modified":
                    edits.append((last, old[step.old].text, new[step.new].text))
                edits.extend((last, o, n) for o, n in _note_edits(old[step.old], new[step.new]))
            case OldOnly():
                last = old_keys[step.old]
                if step.op == "deleted":
                    edits.append((last, old[step.old].text, ""))
            case NewOnly():
                keys[step.new] = _after(last)
                edits.append((keys[step.new], "", new[step.new].text))
    return Compared(edits, keys)


def _note_edits(old: Block, new: Block) -> list[tuple[str, str]]:
    """The footnotes and endnotes of two paired blocks that differ: (old, new) texts, each
    named by its note (``Footnote 3: …``)."""

    def named(note: Block | None) -> str:
        return f"{note.block.capitalize()} {note.number}: {note.text}" if note is not None else ""

    return [(named(o), named(n)) for o, n in note_pairs(old.notes, new.notes)]


def _grouped(found: Iterable[Edit]) -> list[Edit]:
    """One edit per key: the texts of the blocks sharing a key joined by line breaks."""
    by_key: dict[str, tuple[Key, list[str], list[str]]] = {}
    for key, old, new in found:
        _, olds, news = by_key.setdefault(key[0], (key, [], []))
        olds.append(old)
        news.append(new)
    return [
        (key, "\n".join(t for t in olds if t), "\n".join(t for t in news if t))
        for key, olds, news in by_key.values()
    ]


# --- one returned file ---------------------------------------------------------------------------


@dataclass
class Returned:
    """A returned copy, read once: its raw document (tracked changes pending) and how to read
    its blocks under any decision about those changes."""

    path: Path
    root: etree._Element = field(repr=False)
    reader: BlockReader = field(repr=False)
    notes: NoteParts = field(repr=False)
    comments: list[Comment]
    """Its comments in the order of ``comments.xml`` (two may share an id)."""
    replies: dict[int, int]
    """The place in ``comments`` of each reply → that of the comment it answers."""
    last_modified_by: str | None

    @property
    def authors(self) -> tuple[str, ...]:
        """The authors of its tracked changes, in order of first appearance; ``""`` when some
        change carries no author's name."""
        found: dict[str, None] = {}
        for part in (self.root, *self.notes.values()):
            found.update(dict.fromkeys(pending(part).authors))
            if any(not el.get(W_AUTHOR, "").strip() for el in part.iter(*PENDING_TAGS)):
                found.setdefault("")
        return tuple(found)

    def view(self, accept: Callable[[etree._Element], bool]) -> list[Block]:
        """Its blocks with each tracked change accepted or rejected as ``accept`` says."""
        root = resolve(copy.deepcopy(self.root), accept)
        notes = {name: resolve(copy.deepcopy(part), accept) for name, part in self.notes.items()}
        body = root.find(W_BODY)
        assert body is not None  # checked on reading
        return self.reader.read(body, notes)


def _by(author: str) -> Callable[[etree._Element], bool]:
    return lambda el: el.get(W_AUTHOR, "").strip() == author


def _rejected(el: etree._Element) -> bool:
    return False


def _refuse_ole(path: Path) -> None:
    """A password-protected DOCX or an old .doc is an OLE file, not a zip: say which."""
    try:
        with path.open("rb") as stream:
            head = stream.read(len(OLE_MAGIC))
            if head != OLE_MAGIC:
                return
            data = head + stream.read(4_000_000)
    except OSError:
        return  # open_docx says what is wrong with it
    if ENCRYPTED_STREAM in data:
        raise WcodocError("encrypted with a password: ask the Member for a copy saved without one", path)
    raise WcodocError("a Word 97-2003 document (.doc), not a DOCX: open it and save it as .docx", path)


def _optional(package: Package, name: str) -> etree._Element | None:
    return package.xml(name) if package.has(name) else None


def _last_modified_by(package: Package) -> str | None:
    """``cp:lastModifiedBy`` of the package's core properties, if set."""
    core = _optional(package, CORE_PART)
    found = core.find(f"{{{CP_NS}}}lastModifiedBy") if core is not None else None
    text = " ".join((found.text or "").split()) if found is not None else ""
    return text or None


def read_returned(path: Path | str) -> Returned:
    """Open a returned copy safely; a file that is no DOCX gets an error naming it."""
    path = Path(path)
    _refuse_ole(path)
    with open_docx(path) as package:
        root = package.xml(DOCUMENT_PART)
        reader = block_reader(package)
        comments = comment_list(_optional(package, COMMENTS_PART))
        replies = reply_parents(comments, _optional(package, COMMENTS_EXTENDED_PART))
        notes = {k.name: part for k in NOTE_KINDS if (part := _optional(package, k.part)) is not None}
        author = _last_modified_by(package)
    if root.find(W_BODY) is None:
        raise WcodocError("not a Word document: word/document.xml has no body", path)
    if next(root.iter(W_ALT_CHUNK), None) is not None:
        raise WcodocError(
            "the copy embeds another document (w:altChunk) that wcodoc cannot read; open it in Word "
            "and save it again, which turns it into paragraphs",
            path,
        )
    for position, p in enumerate(root.iter(W_P)):
        p.set(POSITION, str(position))
    return Returned(path, root, reader, notes, comments, replies, author)


def _symbol_of(blocks: Sequence[Block], reader: BlockReader) -> str | None:
    """The symbol on the cover (``Cover Symbol``), if the draft has one."""
    style = COVER_SYMBOL.name.lower()
    return next(
        (b.text for b in blocks if b.block == "cover" and reader.style_name(b.element) == style), None
    )


# --- the round ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """What was sent out: its blocks, their keys, its comments and who saved it."""

    symbol: str
    blocks: list[Block]
    keys: list[Key]
    comments: frozenset[tuple[str, str]]
    """(author, text) of the comments it already had: not the Members'."""
    last_modified_by: str | None
    references: dict[str, str] = field(default_factory=dict)
    """What each cross-reference shows, by bookmark (``sec_updates`` → ``II``)."""


def read_base(path: Path | str) -> Base:
    """Read the base DOCX (its own tracked changes, if any, accepted)."""
    draft = read_draft(path)
    with open_docx(path) as package:
        author = _last_modified_by(package)
    comments = frozenset((c.comment.author, c.comment.text) for c in draft.comments)
    references: dict[str, str] = {}
    for part in (*draft.notes.values(), draft.root):
        references.update(shown_references(part))
    return Base(draft.symbol, draft.blocks, _base_keys(draft.blocks), comments, author, references)


def collect_review(
    base: Path | str,
    returned: Sequence[Path | str],
    *,
    members: dict[str, str] | None = None,
    force: bool = False,
) -> Compilation:
    """Every change and comment of the ``returned`` copies of ``base``: what was sent out, a
    .docx, a project folder or a git revision (built first).

    ``members`` names the Member of a file (by its name or path as given) for its untracked
    edits. A copy of another document (another symbol on its cover) is refused unless
    ``force``.
    """
    with ExitStack() as stack:
        sent = read_base(resolve_docx(str(base), stack))
    return collect_from(sent, returned, members=members, force=force)


def collect_from(
    base: Base,
    returned: Sequence[Path | str],
    *,
    members: dict[str, str] | None = None,
    force: bool = False,
    layered: bool = False,
) -> Compilation:
    """Every change and comment of the ``returned`` copies of ``base``, as :func:`collect_review`.

    ``layered`` keeps a file's untracked edits apart from its tracked changes even when they
    are by the same Member (each tracked change then reads from the copy's own text, never
    from the base: what ``review apply`` needs).
    """
    members = members or {}
    entries: list[Entry] = []
    for path in map(Path, returned):
        copy_ = read_returned(path)
        for part in (copy_.root, *copy_.notes.values()):  # cross-references read as sent
            show_references(part, base.references)
        member = _member(path, members, copy_.last_modified_by, base.last_modified_by)
        entries.extend(_collect_file(base, copy_, member, force=force, layered=layered))
    entries.sort(key=lambda e: (e.order, e.member.casefold(), e.file, e.kind == "comment"))
    return Compilation(base.symbol, entries, [shown_name(Path(p).name) for p in returned])


def _member(path: Path, members: dict[str, str], saved_by: str | None, base_saved_by: str | None) -> str:
    for name in (str(path), path.name, path.stem):
        if name in members:
            return members[name]
    if saved_by and saved_by != base_saved_by:  # else nobody re-saved what wcodoc wrote
        return saved_by
    return shown_name(path.stem)


def shown_name(name: str) -> str:
    """A file name as entries show it: a byte that is not UTF-8 (the name of a file made on
    another system) as U+FFFD, since no output can hold it as it is."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _collect_file(
    base: Base, copy_: Returned, member: str, *, force: bool = False, layered: bool = False
) -> list[Entry]:
    """The entries of one returned copy, whose untracked edits are ``member``'s."""
    rejected = copy_.view(_rejected)
    symbol = _symbol_of(rejected, copy_.reader)
    if symbol and base.symbol and symbol != base.symbol and not force:
        raise WcodocError(
            f"a copy of {symbol}, not of {base.symbol}: check that it answers this document "
            "(--force to collect it all the same)",
            copy_.path,
        )
    untracked = _compare(base.blocks, base.keys, rejected)
    name = shown_name(copy_.path.name)
    authors = copy_.authors
    found: list[Entry] = []
    merged = member in authors and not layered
    if not merged:
        found += _changes(untracked.edits, member, name)
    for author in authors:  # changes without an author's name are the file's Member's
        accepted = copy_.view(_by(author))
        author = author or member
        if author == member and merged:  # the Member's untracked and tracked edits: one entry
            found += _changes(_compare(base.blocks, base.keys, accepted).edits, author, name)
        else:
            found += _changes(_compare(rejected, untracked.keys, accepted).edits, author, name)
    found += _comments(base, copy_, rejected, untracked.keys)
    return found


def _changes(found: list[Edit], member: str, name: str) -> list[Entry]:
    return [
        Entry(key, member, name, "change", old, new, None, order)
        for (key, order), old, new in _grouped(found)
        if old != new
    ]


def _comments(base: Base, copy_: Returned, blocks: list[Block], keys: list[Key]) -> list[Entry]:
    """One entry per comment thread the base did not have, on the paragraph it is anchored to."""
    owner: dict[str, int] = {}
    for index, block in enumerate(blocks):
        paragraphs = [block.element] if block.element.tag == W_P else block.element.iter(W_P)
        for p in paragraphs:
            owner.setdefault(p.get(POSITION, ""), index)
    parts = [copy_.root, *copy_.notes.values()]
    out = []
    for thread in new_threads(copy_.comments, copy_.replies, parts, base.comments):
        found = _anchored_block(thread.paragraph, owner)
        key, order = keys[found] if found is not None else (START, -1.0)
        text = blocks[found].text if found is not None else None
        member = thread.author or shown_name(copy_.path.stem)
        out.append(Entry(key, member, shown_name(copy_.path.name), "comment", text, None, thread.text, order))
    return out


def _anchored_block(paragraph: etree._Element | None, owner: dict[str, int]) -> int | None:
    """The block (of the rejected view) holding ``paragraph``, else the nearest one before it
    (the paragraph may exist only in a tracked insertion)."""
    if paragraph is None:
        return None
    position = int(paragraph.get(POSITION, "0"))
    for candidate in range(position, -1, -1):
        if str(candidate) in owner:
            return owner[str(candidate)]
    return None


def key_texts(base: Base) -> dict[str, str]:
    """The text of the block each key of the base names (its first block: paragraph 7 itself,
    not its bullets)."""
    found: dict[str, str] = {}
    for block, (key, _) in zip(base.blocks, base.keys, strict=True):
        found.setdefault(key, block.text)
    return found
