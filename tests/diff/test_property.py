"""Property: random edits of a generated draft are reported exactly, and the redline checks out.

Each example builds a draft of distinct paragraphs, applies insertions, deletions,
modifications (one word replaced), moves and renumbering (typed numbers shifted), and
compares. The report must list one change per edit, of the right kind (moves counted as the paragraphs
off a longest in-order chain); building the redline
must pass its own accept-all = new and reject-all = old check (it raises otherwise).
"""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.synth import write_docx
from wcodoc.diff import compare_files
from wcodoc.diff.redline import build_redline

VOCABULARY = [
    f"{a}{b}"
    for a in ("bor", "cus", "tra", "rev", "dat", "ris", "pil", "led")
    for b in ("der", "tom", "de", "enue", "ta", "k", "ot", "ger", "al", "ion")
]
EDITS = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "modify", "move"]), st.integers(0, 10_000)),
    max_size=6,
)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(10, 18))) + "."


def _apply(paragraphs: list[str], edits, rng: random.Random) -> tuple[list[str], Counter]:
    new = list(paragraphs)
    touched: set[str] = set()
    expected: Counter = Counter()
    for kind, where in edits:
        candidates = [p for p in new if p not in touched and p in paragraphs]
        if kind == "insert":
            fresh = _sentence(rng)
            new.insert(where % (len(new) + 1), fresh)
            touched.add(fresh)
            expected["inserted"] += 1
            continue
        if len(candidates) < 2:
            continue
        target = candidates[where % len(candidates)]
        index = new.index(target)
        touched.add(target)
        if kind == "delete":
            del new[index]
            expected["deleted"] += 1
        elif kind == "modify":
            words = target.split()
            words[len(words) // 2] = "changedword"
            new[index] = " ".join(words)
            touched.add(new[index])
            expected["modified"] += 1
        else:
            del new[index]
            destination = (where // 7) % (len(new) + 1)
            new.insert(destination, target)
    return new, expected


def _out_of_order(old: list[str], new: list[str]) -> int:
    """How many unchanged paragraphs must count as moved: those off a longest in-order chain."""
    common = [p for p in new if p in old]
    order = [old.index(p) for p in common]
    longest = [1] * len(order)
    for k in range(len(order)):
        for m in range(k):
            if order[m] < order[k]:
                longest[k] = max(longest[k], longest[m] + 1)
    return len(common) - max(longest, default=0)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(3, 25),
    edits=EDITS,
    typed=st.booleans(),
    shift=st.integers(0, 3),
)
def test_random_edits_are_reported_exactly(tmp_path, seed, size, edits, typed, shift):
    rng = random.Random(seed)
    paragraphs = [_sentence(rng) for _ in range(size)]
    new_paragraphs, expected = _apply(paragraphs, edits, rng)

    def items(texts, offset):
        if typed:  # hand-typed numbers, shifted in the new draft: renumbering only
            return [("typed", f"{k + 1 + offset}. {t}") for k, t in enumerate(texts)]
        return [("para", t) for t in texts]

    old = write_docx(tmp_path / "old.docx", items(paragraphs, 0))
    new = write_docx(tmp_path / "new.docx", items(new_paragraphs, shift))
    comparison = compare_files(old, new)
    got = Counter(c.kind for c in comparison.alignment.changes)
    moves = _out_of_order(paragraphs, new_paragraphs)
    assert (got["inserted"], got["deleted"]) == (expected["inserted"], expected["deleted"])
    # A modified paragraph that drifted out of order is reported once, as moved and edited.
    assert got["moved"] >= moves
    assert got["modified"] + got["moved"] == expected["modified"] + moves
    build_redline(comparison.old, comparison.new, comparison.alignment, author="prop")
