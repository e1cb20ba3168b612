"""Pair the blocks of two drafts by content, never by number.

1. Exact matches: the longest chain of identical blocks in order (patience alignment over
   block keys, ``SequenceMatcher`` where keys repeat). Numbers are not part of a key, so
   renumbering alone changes nothing.
2. Between two exact anchors, similar blocks (ratio ≥ :data:`SIMILARITY_THRESHOLD`) are paired
   in order as *modified*.
3. Blocks still unpaired on both sides that are identical or similar are *moved* (a moved
   block that was also edited keeps both texts and its word diff).
4. Whatever is left is *deleted* (old side) or *inserted* (new side).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import ClassVar, Literal

from wcodoc.diff.extract import Block

SIMILARITY_THRESHOLD = 0.5
"""Word-level similarity from which two blocks count as one block modified, not two."""
MAX_GAP_PAIRS = 40_000
"""Above this many candidate pairs in one gap, pair greedily instead of optimally."""
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokens(text: str) -> list[str]:
    """Words, runs of spaces and single punctuation marks, which concatenate back to ``text``."""
    return TOKEN.findall(text)


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]
"""One ``SequenceMatcher`` opcode: what to do with ``a[i1:i2]`` to make ``b[j1:j2]``."""


@dataclass(frozen=True)
class TokenDiff:
    """The token opcodes of one text into another, with where each token starts."""

    opcodes: list[Opcode]
    """``SequenceMatcher`` opcodes over the :func:`tokens` of the old and the new text."""
    old_offsets: list[int]
    """Character offset of each old token, then the old text's length (one more item)."""
    new_offsets: list[int]
    """The same for the new text."""


def token_diff(old: str, new: str) -> TokenDiff:
    """Compare two texts token by token; offsets turn token indices into character offsets."""
    a, b = tokens(old), tokens(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return TokenDiff(opcodes, _offsets(a), _offsets(b))


def _offsets(toks: list[str]) -> list[int]:
    out = [0]
    for tok in toks:
        out.append(out[-1] + len(tok))
    return out


def similarity(old: Block, new: Block) -> float:
    """How alike two blocks are (0..1); blocks of different kinds never are."""
    if old.block != new.block:
        return 0.0
    if old.block == "cover":
        return 1.0 if old.field == new.field else 0.0
    a, b = old.text.split(), new.text.split()
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    if matcher.quick_ratio() < SIMILARITY_THRESHOLD:
        return 0.0
    return matcher.ratio()


Segment = tuple[str, str]
"""One piece of a word diff: (``equal`` | ``delete`` | ``insert``, text)."""


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level differences between two texts, as segments that rebuild both texts."""
    a, b = tokens(old), tokens(new)
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(b[j1:j2])))
    return _merge(segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for op, text in segments:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


@dataclass(frozen=True)
class Inserted:
    """A block of the new draft with no counterpart in the old one."""

    new: Block
    also: tuple[Block, ...] = ()
    """The blocks inserted with it as one unit (the paragraphs of an inserted use case)."""
    kind: ClassVar[Literal["inserted"]] = "inserted"

    @property
    def block(self) -> Block:
        """The block that names the change."""
        return self.new


@dataclass(frozen=True)
class Deleted:
    """A block of the old draft with no counterpart in the new one."""

    old: Block
    also: tuple[Block, ...] = ()
    """The blocks deleted with it as one unit (the paragraphs of a deleted use case)."""
    kind: ClassVar[Literal["deleted"]] = "deleted"

    @property
    def block(self) -> Block:
        """The block that names the change."""
        return self.old


@dataclass(frozen=True)
class _Paired:
    """A block of the old draft and the block of the new draft it became."""

    old: Block
    new: Block

    @property
    def block(self) -> Block:
        """The block that names the change: the new one."""
        return self.new


@dataclass(frozen=True)
class Modified(_Paired):
    """A block edited in place."""

    words: tuple[Segment, ...]
    """The word diff of old → new text."""
    derived: tuple[Modified, ...] = ()
    """Changes that follow from this one (a cover field's value repeated elsewhere, as the
    annex's "Annex to Doc. …" line repeats the reference), folded into it."""
    kind: ClassVar[Literal["modified"]] = "modified"


@dataclass(frozen=True)
class Moved(_Paired):
    """A block found elsewhere in the new draft, perhaps also edited."""

    words: tuple[Segment, ...] = ()
    """The word diff of old → new text when the moved block was also edited, else empty."""
    kind: ClassVar[Literal["moved"]] = "moved"


@dataclass(frozen=True)
class Formatted(_Paired):
    """A block whose text stayed the same but whose formatting changed."""

    pieces: tuple[str, ...]
    """The pieces of text whose formatting changed, in order."""
    kind: ClassVar[Literal["formatted"]] = "formatted"


Change = Inserted | Deleted | Modified | Moved | Formatted
"""One reported difference between the drafts; ``kind`` names which."""


def sides(change: Change) -> tuple[Block | None, Block | None]:
    """The old and the new block of ``change`` (``None`` for the side it has not)."""
    match change:
        case Inserted():
            return None, change.new
        case Deleted():
            return change.old, None
        case _:
            return change.old, change.new


@dataclass(frozen=True)
class OldOnly:
    """An old block placed here as deleted: ``deleted``, or ``moved_from`` (moved away)."""

    op: Literal["deleted", "moved_from"]
    old: int


@dataclass(frozen=True)
class NewOnly:
    """A new block with no old counterpart, marked as inserted."""

    new: int
    op: ClassVar[Literal["inserted"]] = "inserted"


@dataclass(frozen=True)
class Pair:
    """A new block and the old block it came from: ``equal`` or ``modified`` in place, or
    ``moved_to`` (from elsewhere)."""

    op: Literal["equal", "modified", "moved_to"]
    old: int
    new: int


Step = OldOnly | NewOnly | Pair
"""One step of the redline, in new-document order (indexes into the old and new blocks)."""


@dataclass
class Alignment:
    """The outcome of aligning two drafts."""

    old: list[Block]
    new: list[Block]
    steps: list[Step]
    changes: list[Change]


def align(old: list[Block], new: list[Block]) -> Alignment:
    """Pair ``old`` and ``new`` blocks and list the changes between them."""
    anchors = _exact_anchors(old, new)
    in_place = _with_modified(old, new, anchors)
    paired_old = {i for i, _ in in_place}
    paired_new = {j for _, j in in_place}
    moves = _moves(old, new, paired_old, paired_new)
    steps = _steps(old, new, in_place, moves)
    return Alignment(old, new, steps, _changes(old, new, steps))


def _exact_anchors(old: list[Block], new: list[Block]) -> list[tuple[int, int]]:
    codes: dict[tuple, int] = {}
    a = [codes.setdefault(b.key, len(codes)) for b in old]
    b = [codes.setdefault(b.key, len(codes)) for b in new]
    return _patience(a, b, 0, len(a), 0, len(b), 0)


MAX_DEPTH = 40


def _patience(
    a: list[int], b: list[int], alo: int, ahi: int, blo: int, bhi: int, depth: int
) -> list[tuple[int, int]]:
    """Patience alignment: blocks unique on both sides anchor the chain (a longest increasing
    subsequence, so one moved block never costs its neighbours), then recurse between anchors.
    """
    if alo >= ahi or blo >= bhi:
        return []
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where = {a[i]: i for i in range(alo, ahi) if count_a[a[i]] == 1}
    pairs = [(where[b[j]], j) for j in range(blo, bhi) if count_b[b[j]] == 1 and b[j] in where]
    if not pairs or depth > MAX_DEPTH:
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        return [(alo + m.a + k, blo + m.b + k) for m in matcher.get_matching_blocks() for k in range(m.size)]
    anchors: list[tuple[int, int]] = []
    prev_i, prev_j = alo - 1, blo - 1
    for i, j in [*_increasing(pairs), (ahi, bhi)]:
        anchors.extend(_patience(a, b, prev_i + 1, i, prev_j + 1, j, depth + 1))
        if i < ahi:
            anchors.append((i, j))
        prev_i, prev_j = i, j
    return anchors


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``pairs`` (ordered by j) whose i also increases."""
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for k, (i, _) in enumerate(pairs):
        pos = bisect_left(tails, i)
        if pos == len(tails):
            tails.append(i)
            tail_at.append(k)
        else:
            tails[pos] = i
            tail_at[pos] = k
        back[k] = tail_at[pos - 1] if pos else -1
    chain, k = [], tail_at[-1] if tail_at else -1
    while k != -1:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _with_modified(
    old: list[Block], new: list[Block], anchors: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Anchors plus similar pairs found in order inside each gap between anchors."""
    pairs: list[tuple[int, int]] = []
    prev_i = prev_j = -1
    for i, j in [*anchors, (len(old), len(new))]:
        pairs.extend(_pair_gap(old, new, range(prev_i + 1, i), range(prev_j + 1, j)))
        if i < len(old) and j < len(new):
            pairs.append((i, j))
        prev_i, prev_j = i, j
    return pairs


def _pair_gap(old: list[Block], new: list[Block], gi: range, gj: range) -> list[tuple[int, int]]:
    if not gi or not gj:
        return []
    if len(gi) * len(gj) > MAX_GAP_PAIRS:
        return _pair_greedy(old, new, gi, gj)
    # Best monotonic pairing: dynamic programming over similarity scores.
    n, m = len(gi), len(gj)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = [[similarity(old[i], new[j]) for j in gj] for i in gi]
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            s = sims[x][y]
            take = s + score[x + 1][y + 1] if s >= SIMILARITY_THRESHOLD else -1.0
            score[x][y] = max(take, score[x + 1][y], score[x][y + 1])
    pairs, x, y = [], 0, 0
    while x < n and y < m:
        s = sims[x][y]
        if s >= SIMILARITY_THRESHOLD and score[x][y] == s + score[x + 1][y + 1]:
            pairs.append((gi[x], gj[y]))
            x, y = x + 1, y + 1
        elif score[x][y] == score[x + 1][y]:
            x += 1
        else:
            y += 1
    return pairs


def _pair_greedy(old: list[Block], new: list[Block], gi: range, gj: range) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    start = gi.start
    for j in gj:
        for i in range(start, min(gi.stop, start + 50)):
            if similarity(old[i], new[j]) >= SIMILARITY_THRESHOLD:
                pairs.append((i, j))
                start = i + 1
                break
    return pairs


def _moves(old: list[Block], new: list[Block], paired_old: set[int], paired_new: set[int]) -> dict[int, int]:
    """Unpaired new block → the unpaired old block it was moved from (same or similar text)."""
    free_old = [i for i in range(len(old)) if i not in paired_old]
    free_new = [j for j in range(len(new)) if j not in paired_new]
    by_key: dict[tuple, list[int]] = {}
    for i in free_old:
        by_key.setdefault(old[i].key, []).append(i)
    moves: dict[int, int] = {}
    for j in free_new:
        candidates = by_key.get(new[j].key)
        if candidates:
            moves[j] = candidates.pop(0)
    taken = set(moves.values())
    if len(free_new) * len(free_old) > MAX_GAP_PAIRS:
        return moves  # a rewrite, not a reordering: searching for similar moves would not pay
    for j in free_new:
        if j in moves or new[j].block == "cover" or new[j].described:
            continue  # a cover field stays in place; a picture's description is not its content
        best, best_score = None, SIMILARITY_THRESHOLD
        for i in free_old:
            if i in taken:
                continue
            score = similarity(old[i], new[j])
            if score >= best_score:
                best, best_score = i, score
        if best is not None:
            moves[j] = best
            taken.add(best)
    return moves


def _steps(
    old: list[Block], new: list[Block], in_place: list[tuple[int, int]], moves: dict[int, int]
) -> list[Step]:
    moved_from = set(moves.values())
    steps: list[Step] = []
    prev_i = prev_j = -1
    for i, j in [*in_place, (len(old), len(new))]:
        for k in range(prev_i + 1, i):
            steps.append(OldOnly("moved_from" if k in moved_from else "deleted", k))
        for k in range(prev_j + 1, j):
            steps.append(Pair("moved_to", moves[k], k) if k in moves else NewOnly(k))
        if i < len(old) and j < len(new):
            same = old[i].key == new[j].key
            steps.append(Pair("equal" if same else "modified", i, j))
        prev_i, prev_j = i, j
    return steps


def _changes(old: list[Block], new: list[Block], steps: list[Step]) -> list[Change]:
    return [change for step in steps for change in step_changes(old, new, step)]


def step_changes(old: list[Block], new: list[Block], step: Step) -> list[Change]:
    """The change a step of the alignment makes to the blocks themselves (none for a block
    kept, or moved away: its change is the move's; none for a block whose embedded content
    alone changed: see :func:`embedded_changes`)."""
    match step:
        case Pair(op="modified") if old[step.old].compare != new[step.new].compare:
            o, n = old[step.old], new[step.new]
            return [Modified(o, n, tuple(word_diff(o.text, n.text)))]
        case Pair(op="moved_to"):
            o, n = old[step.old], new[step.new]
            return [Moved(o, n, tuple(word_diff(o.text, n.text)) if o.text != n.text else ())]
        case NewOnly():
            return [Inserted(new[step.new])]
        case OldOnly(op="deleted"):
            return [Deleted(old[step.old])]
    return []


NotePair = tuple[Block | None, Block | None]
"""An old note (or embedded content) and the new one it became; ``None`` on the side where
it is missing."""


def note_pairs(old: tuple[Block, ...], new: tuple[Block, ...]) -> list[NotePair]:
    """The notes (or the embedded content) of two paired blocks that differ, paired in order
    (renumbering is no change); content of another kind is never paired."""
    if [n.compare for n in old] == [n.compare for n in new]:
        return []
    matcher = SequenceMatcher(None, [n.compare for n in old], [n.compare for n in new], autojunk=False)
    pairs: list[NotePair] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # By content, not by place: a note added before an edited one is an insertion.
        matched = dict(_pair_gap(list(old), list(new), range(i1, i2), range(j1, j2)))
        taken = set(matched.values())
        left = [i for i in range(i1, i2) if i not in matched]
        right = [j for j in range(j1, j2) if j not in taken]
        if len(left) == len(right):  # as many unlike each other: each took the other's place
            matched.update(zip(left, right, strict=True))
        source = {j: i for i, j in matched.items()}
        pairs.extend((old[source[j]] if j in source else None, new[j]) for j in range(j1, j2))
        pairs.extend((old[i], None) for i in range(i1, i2) if i not in matched)
    return pairs


def note_changes(old: Block, new: Block) -> list[Change]:
    """The changes between the footnotes/endnotes of two paired blocks; a deleted note is
    named by the paragraph it was in as that paragraph is numbered now."""
    return _parts_changed(note_pairs(old.notes, new.notes), lambda gone: replace(gone, after=new.label))


def embedded_changes(old: Block, new: Block) -> list[Change]:
    """The changes between the embedded content (pictures, text boxes, equations …) of two
    paired blocks; a block that is embedded content alone changes as a whole instead."""
    if old.key == new.key or old.bare or new.bare or not (old.objects or new.objects):
        return []
    return _parts_changed(note_pairs(old.objects, new.objects), lambda gone: replace(gone, within=new.label))


def _parts_changed(pairs: list[NotePair], named: Callable[[Block], Block]) -> list[Change]:
    """The changes of paired notes (or embedded content); ``named`` names one taken away by
    the block it was in as that block is now."""
    changes: list[Change] = []
    for o, n in pairs:
        if o is not None and n is not None:
            changes.append(Modified(o, n, tuple(word_diff(o.text, n.text))))
        elif n is not None:
            changes.append(Inserted(n))
        elif o is not None:
            changes.append(Deleted(named(o)))
    return changes


UNMARKABLE = {"equation": None, "other": frozenset({"chart", "embedded object"})}
"""Embedded content whose changes a redline cannot show, by block kind (and ``field``):
LibreOffice 7.4 drops equations it reads (and wcodoc has no way to check Word's marks inside
them), and keeps a chart or embedded object whose run is marked inserted or deleted through
both *Accept All* and *Reject All*."""


def unmarkable(changes: list[Change]) -> list[Block]:
    """The embedded content whose change a redline cannot show (see :data:`UNMARKABLE`): an
    equation, chart or embedded object added, removed, changed, or in a block moved, added or
    taken away; each named by the content of the draft that has it (the new one, if both)."""
    found: list[Block] = []
    for change in changes:
        old, new = sides(change)
        before, after = _unmarkable_in(old), _unmarkable_in(new)
        if isinstance(change, Modified | Formatted) and [b.compare for b in before] == [
            a.compare for a in after
        ]:
            continue
        found.extend(b for b in after or before if all(b is not f for f in found))
    return found


def _unmarkable_in(block: Block | None) -> list[Block]:
    """The content of ``block`` a redline cannot show (``block`` itself, if it is such content)."""
    if block is None:
        return []
    found = [o for o in block.objects or (block,) if _unmarkable(o)]
    return [block] if found and block.bare else found


def _unmarkable(block: Block) -> bool:
    if block.block not in UNMARKABLE:
        return False
    fields = UNMARKABLE[block.block]
    return fields is None or block.field in fields


def fold_units(changes: list[Change]) -> list[Change]:
    """Fold the paragraphs of an inserted or deleted use case into the change of its
    heading: one use case added is one change, not one per paragraph."""
    out: list[Change] = []
    for change in changes:
        match change, out[-1] if out else None:
            case Inserted(new=block), Inserted(new=head, also=folded) if _part_of(block, head):
                out[-1] = Inserted(head, (*folded, block))
            case Deleted(old=block), Deleted(old=head, also=folded) if _part_of(block, head):
                out[-1] = Deleted(head, (*folded, block))
            case _:
                out.append(change)
    return out


def _part_of(block: Block, head: Block) -> bool:
    """Whether ``block`` is a paragraph of the use case headed by ``head``."""
    return (
        head.block == "annex"
        and head.number is not None
        and block.block == "annex"
        and block.number is None
        and block.after == head.label
    )


MIN_DERIVED = 4
"""Shortest cover value whose repetitions are folded (a one-letter agenda item is not)."""


def fold_derived(changes: list[Change]) -> list[Change]:
    """Fold into a cover field's change the changes that only repeat it elsewhere (the new
    value where the old one was, as in "Annex to Doc. PC0685Eb")."""
    fields = [
        c
        for c in changes
        if isinstance(c, Modified) and c.new.block == "cover" and len(c.old.text) >= MIN_DERIVED
    ]
    if not fields:
        return changes
    derived: dict[int, list[Modified]] = {}
    out: list[Change] = []
    for change in changes:
        source = next((f for f in fields if f is not change and _repeats(change, f)), None)
        if source is None or not isinstance(change, Modified):
            out.append(change)
        else:
            derived.setdefault(id(source), []).append(change)
    return [
        replace(c, derived=tuple(derived[id(c)])) if isinstance(c, Modified) and id(c) in derived else c
        for c in out
    ]


def _repeats(change: Change, field: Modified) -> bool:
    """Whether ``change`` only replaces the field's old value with its new one."""
    if (
        not isinstance(change, Modified)
        or change.new.block == "cover"
        or field.old.text not in change.old.text
    ):
        return False
    return change.old.text.replace(field.old.text, field.new.text) == change.new.text
