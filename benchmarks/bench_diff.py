"""Benchmark ``wcodoc diff``: extract + align + redline (with its self-check) + write.

Drafts of 300, 1,000 and 3,000 numbered paragraphs receive 18 edits (6 modified, 3 inserted,
3 deleted, 3 moved of which 1 also edited, 1 cover field, 1 sub-item modified, 1 word made
bold); every insertion and deletion renumbers the paragraphs after it, which must cost no
mark. Prints the time (best of 3) against the targets of issue 4, the changes reported and
the revision marks written against the real edits, and marks per edit (a modified
paragraph costs an insertion and a deletion, a move two runs and two paragraph marks).

Then the same drafts returned by a Member: LibreOffice itself (through UNO, author "Korea
Customs") makes 4 tracked edits in the old draft (a replacement, an insertion, a deletion of
words and of a whole paragraph); wcodoc compares with the Member's changes accepted and writes
the redline, checked both ways. Prints the time, the tracked changes the copy held, and the
changes reported against the 4 real ones.

Run: ``.venv/bin/python benchmarks/bench_diff.py``
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

# The synthetic DOCX writer is test support (not shipped): reach it from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.synth import sample_items, write_docx
from tests.support.system_python import has_uno, run_script

from wcodoc.diff import compare_files, redline

TARGETS = {300: 0.3, 1000: 0.7, 3000: 2.0}
REAL_EDITS = 18


def edited(items: list[tuple[str, str]], seed: int) -> list[tuple[str, str]]:
    """A copy of ``items`` with the 18 edits described above."""
    rng = random.Random(seed)
    new = list(items)
    paras = [k for k, (kind, _) in enumerate(new) if kind == "para"]
    picks = rng.sample(paras, 15)
    for k in picks[:6]:
        words = new[k][1].split()
        words[len(words) // 2] = "amended"
        new[k] = ("para", " ".join(words))
    moved = [new[k] for k in picks[6:9]]
    moved[0] = ("para", moved[0][1].replace(" says ", " now states "))
    deleted = {*picks[9:12]}
    inserted_at = set(picks[12:15])
    out = []
    for k, item in enumerate(new):
        if k in deleted or item in moved or k in picks[6:9]:
            continue
        out.append(item)
        if k in inserted_at:
            out.append(("para", f"A new paragraph {k} explains the {rng.random():.6f} timeline."))
    for m, item in enumerate(moved):
        out.insert((m + 1) * len(out) // 4, item)
    out[1] = ("cover:issued", "Brussels, 14 March 2022.")
    sub = next(k for k, (kind, _) in enumerate(out) if kind == "sub")
    out[sub] = ("sub", out[sub][1] + " (amended)")
    plain = next(
        k for k, (kind, text) in enumerate(out) if kind == "para" and " says " in text and k > len(out) // 2
    )
    out[plain] = ("para", out[plain][1].replace(" says ", " **says** ", 1))
    return out


def measure(size: int, folder: Path) -> tuple[float, int, int]:
    """Best time of three runs for one size; the number of changes and of marks."""
    items = sample_items(size)
    old = write_docx(folder / f"old-{size}.docx", items)
    new = write_docx(folder / f"new-{size}.docx", edited(items, size))
    best, changes, marks = float("inf"), 0, 0
    for _ in range(3):
        start = time.perf_counter()
        comparison = compare_files(old, new)
        marks = redline(comparison, folder / f"red-{size}.docx", author="bench")
        best = min(best, time.perf_counter() - start)
        changes = len(comparison.alignment.changes)
    return best, changes, marks


MEMBER_EDITS = 4


def member_edits(size: int) -> list[dict[str, str]]:
    """Four edits LibreOffice makes with tracking on, at a quarter, half … of the draft."""
    a, b, c, d = (size * k // 5 for k in range(1, 5))
    return [
        {"op": "replace", "find": f"Paragraph {a} says", "with": f"Paragraph {a} now states"},
        {"op": "insert", "find": f"Paragraph {b} says", "text": " clearly"},
        {"op": "delete", "find": f"Paragraph {c} says "},
        {"op": "delete_paragraph", "find": f"Paragraph {d} says"},
    ]


def member_return(size: int, folder: Path) -> tuple[float, int, int, int]:
    """Best of three for a Member's copy of the ``size`` draft: time, tracked changes it held,
    changes reported, marks written."""
    old = write_docx(folder / f"member-old-{size}.docx", sample_items(size))
    edits = folder / f"edits-{size}.json"
    edits.write_text(json.dumps(member_edits(size)), encoding="utf-8")
    member = folder / f"member-{size}.docx"
    run_script("lo_edit.py", str(old), str(member), "Korea Customs", str(edits))
    best, held, changes, marks = float("inf"), 0, 0, 0
    for _ in range(3):
        start = time.perf_counter()
        comparison = compare_files(old, member)
        marks = redline(comparison, folder / f"member-red-{size}.docx", author="bench")
        best = min(best, time.perf_counter() - start)
        held, changes = comparison.new.pending.count, len(comparison.alignment.changes)
    return best, held, changes, marks


def main() -> None:
    """Print one line per size."""
    print(
        f"{'paragraphs':>10} {'time':>8} {'target':>7} {'edits':>6} {'reported':>9} {'marks':>6}"
        f" {'marks/edit':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size, target in TARGETS.items():
            seconds, changes, marks = measure(size, Path(tmp))
            flag = "ok" if seconds <= target else "SLOW"
            print(
                f"{size:>10} {seconds:>7.3f}s {target:>6.1f}s {REAL_EDITS:>6} {changes:>9} {marks:>6}"
                f" {marks / REAL_EDITS:>10.2f}  {flag}"
            )
        if not has_uno():
            print("Member returns: skipped (needs /usr/bin/python3 with uno and LibreOffice)")
            return
        print(f"\nMember returns (edited in LibreOffice with tracking on, {MEMBER_EDITS} real edits):")
        print(f"{'paragraphs':>10} {'time':>8} {'target':>7} {'tracked':>8} {'reported':>9} {'marks':>6}")
        for size, target in TARGETS.items():
            seconds, held, changes, marks = member_return(size, Path(tmp))
            flag = "ok" if seconds <= target and changes == MEMBER_EDITS else "CHECK"
            print(f"{size:>10} {seconds:>7.3f}s {target:>6.1f}s {held:>8} {changes:>9} {marks:>6}  {flag}")


if __name__ == "__main__":
    main()
