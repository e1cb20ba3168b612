"""A Member's change made on text that may have changed since the copy was sent: three ways
(what the Member read, what the Member proposes, what the sources say now), sentence by
sentence.

Changes to different sentences of a paragraph both stay; a change to a sentence that was
changed since is a *conflict* (two wordings of one sentence, neither of which is the other's):
never made over the newer text, unless the Secretariat chooses the Member's wording
(``--paragraph``), which then replaces the changes since in that sentence and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from wcodoc.diff.align import tokens

SENTENCE_END = frozenset(".!?;:")


@dataclass(frozen=True)
class _Region:
    """Tokens ``start``–``end`` of the common ancestor replaced by ``new``; ``sentences``:
    those of the ancestor it touches."""

    start: int
    end: int
    new: tuple[str, ...]
    sentences: frozenset[int]

    def meets(self, other: _Region) -> bool:
        """Whether the two changes touch one sentence."""
        return bool(self.sentences & other.sentences)


def _sentences(words: list[str]) -> list[int]:
    """The sentence each token is in: one ends with ``.``, ``!``, ``?``, ``;`` or ``:`` and
    the blank after it."""
    out: list[int] = []
    sentence = 0
    for n, token in enumerate(words):
        out.append(sentence)
        if token.isspace() and n > 0 and words[n - 1] in SENTENCE_END:
            sentence += 1
    return out


def _regions(ancestor: list[str], text: list[str]) -> list[_Region]:
    sentence = _sentences(ancestor)
    last = sentence[-1] if sentence else 0
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ancestor, text, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        touched = range(i1, i2) if i2 > i1 else range(max(i1 - 1, 0), i1 + 1)
        found = {sentence[k] if k < len(sentence) else last for k in touched}
        out.append(_Region(i1, i2, tuple(text[j1:j2]), frozenset(found)))
    return out


def merge(ancestor: str, mine: str, theirs: str, *, mine_wins: bool = False) -> str | None:
    """``theirs`` with the changes from ``ancestor`` to ``mine`` made in it; ``None`` when one
    of them touches a sentence changed from ``ancestor`` to ``theirs`` (unless ``mine_wins``:
    then that sentence's changes are ``mine``'s)."""
    if theirs in (ancestor, mine):
        return mine
    if mine == ancestor:
        return theirs
    a = tokens(ancestor)
    ours, others = _regions(a, tokens(mine)), _regions(a, tokens(theirs))
    kept: list[_Region] = []
    for region in others:
        clash = [r for r in ours if r.meets(region)]
        if not clash:
            kept.append(region)
        elif region in clash and all(r == region or not r.meets(region) for r in clash):
            continue  # the same change made both ways
        elif not mine_wins:
            return None
    chosen = sorted([*ours, *kept], key=lambda r: (r.start, r.end))
    out: list[str] = []
    at = 0
    for region in chosen:
        if region.start < at:  # mine_wins: a change of theirs inside one of ours
            continue
        out.extend(a[at : region.start])
        out.extend(region.new)
        at = region.end
    out.extend(a[at:])
    return "".join(out)
