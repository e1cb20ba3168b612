"""Generate a large synthetic working document (~350 pages) for the benchmarks.

30 chapters × 40 numbered paragraphs (every eighth one followed by lettered sub-items) and
60 use cases. The text is filler made from a fixed word list and a seeded random generator,
so every run measures the same document.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "customs",
    "administration",
    "border",
    "data",
    "risk",
    "management",
    "trade",
    "facilitation",
    "clearance",
    "goods",
    "declaration",
    "platform",
    "pilot",
    "members",
    "secretariat",
    "technology",
    "blockchain",
    "analytics",
    "traveller",
    "inspection",
    "revenue",
    "security",
    "cooperation",
    "partners",
    "stakeholders",
    "process",
    "digital",
    "automation",
    "guidance",
    "capacity",
    "regional",
    "workshop",
    "survey",
    "evidence",
    "outcome",
    "implementation",
    "review",
]
REGIONS = [
    "east-southern-africa",
    "west-central-africa",
    "mena",
    "europe",
    "asia-pacific",
    "americas-caribbean",
]
TECHS = [
    "blockchain",
    "iot",
    "ai-ml",
    "big-data",
    "biometrics",
    "drones",
    "virtual-reality",
    "3d-printing",
    "cloud",
    "rpa",
]
STATUSES = ["concept", "pilot", "implemented", "discontinued"]

DOCUMENT_YAML = """\
reference: PC0999Ea
title: Benchmark Report
subtitle: Synthetic document for measuring wcodoc
meeting: hybrid
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
issued: 2022-03-07
agenda_item: V
summary:
  purpose: |
    A synthetic report used to measure build times.
  action: |
    The PTC is invited to:

    - take note of the figures.
"""


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(10, 18)) for _ in range(rng.randint(4, 6)))


def chapter(rng: random.Random, number: int, paragraphs: int = 40) -> str:
    out = [f"# Chapter {number}: {sentence(rng, 4)[:-1]}\n"]
    for i in range(paragraphs):
        out.append(paragraph(rng) + "\n")
        if i % 8 == 7:
            out.append("\n".join(f"{chr(97 + k)}. {sentence(rng, 12)}" for k in range(4)) + "\n")
    return "\n".join(out)


def use_case(rng: random.Random, number: int) -> str:
    front = (
        f"---\nid: bench-case-{number:02d}\ntitle: {sentence(rng, 5)[:-1]}\n"
        f"member: Member {number}\nregion: {REGIONS[number % 6]}\n"
        f"technologies: [{TECHS[number % 10]}, {TECHS[(number * 3) % 10]}]\n"
        f"status: {STATUSES[number % 4]}\nyear: {2015 + number % 8}\n---\n"
    )
    sections = ["Background", "Solution", "Benefits", "Challenges and lessons learnt"]
    body = "\n".join(f"## {s}\n\n{paragraph(rng)}\n" for s in sections)
    return front + "\n" + body


def generate(root: Path, chapters: int = 30, use_cases: int = 60, seed: int = 2022) -> Path:
    """Write the synthetic project under ``root`` and return it."""
    rng = random.Random(seed)
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "annexes" / "use-cases").mkdir(parents=True, exist_ok=True)
    (root / "document.yaml").write_text(DOCUMENT_YAML, encoding="utf-8")
    for n in range(1, chapters + 1):
        (root / "chapters" / f"{n:02d}-chapter.md").write_text(chapter(rng, n), encoding="utf-8")
    for n in range(1, use_cases + 1):
        path = root / "annexes" / "use-cases" / f"{n:02d}-case.md"
        path.write_text(use_case(rng, n), encoding="utf-8")
    return root
