"""Where a block is, in the words a reader uses to find it: one wording for diff and review.

- a block with a number is named by it: ``paragraph 7``, ``sub-item 9.b``, ``heading II``,
  ``use case 3``; a cover field by its ``document.yaml`` key: ``cover (title)``;
- a note by its number and its paragraph: ``footnote 3 of paragraph 7``; a picture, text
  box, equation … by the block holding it: ``picture in paragraph 12``;
- a block without a number by the numbered block before it: ``bullet after paragraph 9``,
  ``table after heading II``; the text of a use case by the use case and its first words:
  ``use case 2, 'Customs of Korea…'``;
- a block with no numbered block before it (every block of a draft without numbers, the
  opening of a Member's own note) by its position among the draft's blocks of its kind and
  its first words: ``paragraph 19 of 20, 'Nineteen…'``.

The diff report names changes this way in every format, and ``review collect`` shows its
entries' places with the same words (its JSON keeps the short keys ``7``, ``uc 3``, …).
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_WORDS = 4
"""Words of a block's text that name it beside its position."""
USE_CASE = "use case "


@dataclass(frozen=True)
class Position:
    """Where a block without a number sits: the ``index``-th of ``total`` blocks called
    ``noun`` in its draft (``paragraph 19 of 20``)."""

    noun: str
    index: int
    total: int


COUNTED_APART = frozenset({"heading", "table", "picture", "text box", "equation", "chart", "SmartArt",
                           "shape", "embedded object"})  # fmt: skip
"""What a reader counts on its own; everything else (bullets, sub-items, unnumbered text) is
a paragraph."""


def noun_of(noun: str) -> str:
    """What a reader calls a block named ``noun`` when counting them: headings, tables,
    pictures … apart, and paragraphs."""
    return noun if noun in COUNTED_APART else "paragraph"


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The first ``count`` words of ``text`` in quotes, ``…`` when more follow: ``'Nineteen is…'``."""
    words = text.split()
    shown = " ".join(words[:count])
    return f"'{shown}…'" if len(words) > count else f"'{shown}'"


def positioned(position: Position, text: str) -> str:
    """``paragraph 19 of 20, 'Nineteen…'`` (``picture 2 of 3`` for a block without words)."""
    where = f"{position.noun} {position.index} of {position.total}"
    return f"{where}, {first_words(text)}" if text.strip() else where


def numbered(block: str, number: str) -> str:
    """A block named by its number: ``paragraph 7``, ``heading II``; a use case's heading
    (an ``annex`` block with a number) is ``use case 3``."""
    return f"{USE_CASE}{number}" if block == "annex" else f"{block} {number}"


def after(block: str, noun: str, previous: str, text: str) -> str:
    """A block without a number, named by the numbered block before it (``previous``):
    ``bullet after paragraph 9``; inside a use case, ``use case 2, 'Its first words…'``."""
    if block == "annex" and previous.startswith(USE_CASE):
        return f"{previous}, {first_words(text)}"
    return f"{'paragraph' if noun == 'other' else noun} after {previous}"


def inside(noun: str, block: str) -> str:
    """Embedded content named by the block holding it: ``equation in paragraph 12``."""
    return f"{noun} in {block}"


def note(kind: str, number: str | None, paragraph: str | None) -> str:
    """``footnote 3 of paragraph 7``."""
    return f"{kind} {number} of {paragraph or 'the start'}"


def cover(field: str | None) -> str:
    """``cover (title)``."""
    return f"cover ({field})" if field else "cover"


def review_key(key: str) -> str:
    """A ``review collect`` key in these words: ``7`` → ``paragraph 7``, ``9.b`` → ``sub-item
    9.b``, ``III`` → ``heading III``, ``uc 3`` → ``use case 3``, ``cover:title`` → ``cover
    (title)``, ``after 7`` → ``new, after paragraph 7``; other keys are already words."""
    if key.startswith("after "):
        return f"new, after {review_key(key.removeprefix('after '))}"
    if key.startswith("cover:"):
        return cover(key.removeprefix("cover:"))
    if key.startswith("uc "):
        return f"{USE_CASE}{key.removeprefix('uc ')}"
    if key.isdigit():
        return f"paragraph {key}"
    if "." in key and key.split(".")[0].isdigit():
        return f"sub-item {key}"
    if key and key.isupper() and key.isalpha():
        return f"heading {key}"
    return key
