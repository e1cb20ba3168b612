"""What a returned copy proposes, block by block and layer by layer.

A copy holds layers on top of what was sent (``review collect`` reads them the same way):
the edits made without tracking (the copy with every tracked change rejected, compared with
what was sent), then each author's tracked changes (that author's accepted, compared with the
copy with all rejected). Each layer is a list of :class:`Change`: a block modified, deleted,
or blocks inserted after one, a footnote modified; each names the block of what was sent it
stands on, so that it can be found in the sources as they are now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from wcodoc.diff.align import NewOnly, OldOnly, Pair, Step, align, note_pairs
from wcodoc.diff.extract import Block
from wcodoc.ooxml import qn
from wcodoc.review.collect import AFTER, START, Base, Returned

Op = Literal["modify", "delete", "insert", "note", "notes"]


@dataclass(frozen=True)
class Change:
    """One change of one layer of a copy."""

    member: str
    """Whose: the author of the tracked change, or the file's Member for untracked edits."""
    key: str
    """The paragraph key of the entry it belongs to (``7``, ``after 7``, ``cover:title``)."""
    order: float
    op: Op
    """``modify``, ``delete``, ``insert`` (``new`` after ``sent``), ``note`` (a footnote
    of ``old`` modified: ``note``), ``notes`` (footnotes added or removed)."""
    sent: int | None
    """The block of what was sent it stands on (an insertion: the one it follows; ``None``:
    the start, or a block the copy itself added)."""
    old: Block | None = None
    """The block as the Member found it (a footnote change: the footnote; an insertion: the
    block the inserted ones went before, if any)."""
    new: tuple[Block, ...] = ()
    """The block as proposed; an insertion: the blocks inserted."""
    note: int = -1
    """A footnote change: which footnote of the block (its index among the block's notes)."""
    layer: int = 0
    """0 for the edits made without tracking, then 1, 2 … for each author's tracked changes."""
    before: int | None = None
    """An insertion: the block of what was sent that the inserted blocks went before."""

    @property
    def entry(self) -> tuple[str, str]:
        """The entry it belongs to: applied or refused whole."""
        return (self.key, self.member)


@dataclass(frozen=True)
class _View:
    """One reading of a copy, as the old side of a layer: its blocks, the block of what was
    sent each stands on (if any), and their keys."""

    blocks: list[Block]
    sent: list[int | None]
    keys: list[tuple[str, float]]


def copy_changes(base: Base, copy_: Returned, member: str, *, untracked: bool = True) -> list[Change]:
    """Every change of ``copy_`` against ``base`` (what was sent), layer by layer: first the
    edits made without tracking (``member``'s; left out when ``untracked`` is false: they
    cannot be told from edits made since), then each author's tracked changes."""
    sent = _View(base.blocks, list(range(len(base.blocks))), base.keys)
    rejected = copy_.view(_none)
    found, view = _layer(sent, rejected, member, 0)
    changes = found if untracked else []
    for n, author in enumerate(copy_.authors, start=1):
        accepted = copy_.view(_by(author))
        changes += _layer(view, accepted, author or member, n)[0]
    return changes


_W_AUTHOR = qn("w:author")


def _none(change: etree._Element) -> bool:
    return False


def _by(author: str) -> Callable[[etree._Element], bool]:
    """Accepts the tracked changes of ``author`` (``""``: those without an author's name)."""
    return lambda change: change.get(_W_AUTHOR, "").strip() == author


def _layer(old: _View, new: list[Block], member: str, layer: int) -> tuple[list[Change], _View]:
    """The changes from ``old`` to ``new``, and ``new`` as the old side of the next layer."""
    steps = _rewritten_in_place(align(old.blocks, new).steps, old.blocks, new)
    out: list[Change] = []
    sent_of: list[int | None] = [None] * len(new)
    keys: list[tuple[str, float]] = [(START, -1.0)] * len(new)
    last: int | None = None  # the old block the next insertion follows
    inserted: list[int] = []

    def flush(following: int | None) -> None:
        if inserted:
            name, order = old.keys[last] if last is not None else (START, -1.0)
            after = (name if name.startswith(AFTER) else f"{AFTER}{name}", order + 0.5)
            anchor = old.sent[last] if last is not None else None
            blocks = tuple(new[j] for j in inserted)
            block = old.blocks[following] if following is not None else None
            before = old.sent[following] if following is not None else None
            out.append(
                Change(
                    member, after[0], after[1], "insert", anchor, block, blocks, layer=layer, before=before
                )
            )
            for j in inserted:
                keys[j] = after
            inserted.clear()

    for step in steps:
        if isinstance(step, NewOnly) or (isinstance(step, Pair) and step.op == "moved_to"):
            inserted.append(step.new)
            continue
        flush(step.old)
        if isinstance(step, OldOnly):
            last = step.old
            out.append(_change(old, step.old, member, "delete", layer))
            continue
        last = step.old
        sent_of[step.new], keys[step.new] = old.sent[step.old], old.keys[step.old]
        if step.op == "modified":
            out.append(_change(old, step.old, member, "modify", layer, (new[step.new],)))
        out += _note_changes(old, step.old, new[step.new], member, layer)
    flush(None)
    return out, _View(new, sent_of, keys)


def _change(old: _View, index: int, member: str, op: Op, layer: int, new: tuple[Block, ...] = ()) -> Change:
    name, order = old.keys[index]
    return Change(member, name, order, op, old.sent[index], old.blocks[index], new, layer=layer)


def _note_changes(old: _View, index: int, new: Block, member: str, layer: int) -> list[Change]:
    """The footnotes of a block and of the block it became that differ."""
    block = old.blocks[index]
    name, order = old.keys[index]
    out: list[Change] = []
    for before, after in note_pairs(block.notes, new.notes):
        if before is None or after is None:
            out.append(Change(member, name, order, "notes", old.sent[index], block, (new,), layer=layer))
            continue
        note = block.notes.index(before)
        out.append(Change(member, name, order, "note", old.sent[index], before, (after,), note, layer))
    return out


def _rewritten_in_place(steps: Sequence[Step], old: list[Block], new: list[Block]) -> list[Step]:
    """The steps, with blocks deleted and blocks of their kind inserted at the same place paired
    as blocks rewritten: a heading retyped is edited in place (its label kept), not deleted and
    written anew."""
    out: list[Step] = []
    k = 0
    while k < len(steps):
        deleted: list[OldOnly] = []
        while k < len(steps) and isinstance(steps[k], OldOnly) and steps[k].op == "deleted":
            deleted.append(steps[k])  # type: ignore[arg-type]
            k += 1
        added: list[NewOnly] = []
        while k < len(steps) and isinstance(steps[k], NewOnly):
            added.append(steps[k])  # type: ignore[arg-type]
            k += 1
        if not deleted and not added:
            out.append(steps[k])
            k += 1
            continue
        n = 0
        while n < min(len(deleted), len(added)) and _same_kind(old[deleted[n].old], new[added[n].new]):
            n += 1
        out += [Pair("modified", d.old, a.new) for d, a in zip(deleted[:n], added[:n], strict=True)]
        out += [*deleted[n:], *added[n:]]
    return out


def _same_kind(old: Block, new: Block) -> bool:
    return old.block == new.block and old.field == new.field and old.block != "table"
