"""Copies of the repository's sample project, edited as an author edits a draft."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT


def sample_copy(dest: Path, reference: str = "PC0685Ea") -> Path:
    """A copy of the repository's sample project (chapters and annex) under ``reference``."""
    dest.mkdir(parents=True)
    for folder in ("chapters", "annexes"):
        shutil.copytree(ROOT / folder, dest / folder)
    meta = (ROOT / "document.yaml").read_text(encoding="utf-8")
    (dest / "document.yaml").write_text(meta.replace("PC0685Ea", reference), encoding="utf-8")
    return dest


def paragraphs_of(chapter: Path) -> list[str]:
    """The blocks of a chapter, as its blank lines separate them."""
    return chapter.read_text(encoding="utf-8").rstrip("\n").split("\n\n")


def write_paragraphs(chapter: Path, paragraphs: list[str]) -> None:
    chapter.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def move_paragraph(
    project: Path, starting: str, to: str, after: str, *, edit: tuple[str, str] | None = None
) -> None:
    """Move the paragraph of ``project`` that starts with ``starting`` to chapter ``to``, after
    the paragraph starting with ``after``; ``edit`` (old, new) changes words of it on the way."""
    chapters = sorted((project / "chapters").glob("*.md"))
    source = next(c for c in chapters if _starting(paragraphs_of(c), starting) is not None)
    moved = _starting(paragraphs_of(source), starting) or ""
    write_paragraphs(source, [p for p in paragraphs_of(source) if p != moved])
    if edit is not None:
        moved = moved.replace(*edit)
    target = project / "chapters" / to
    blocks = paragraphs_of(target)
    at = next(k for k, p in enumerate(blocks) if p.startswith(after)) + 1
    write_paragraphs(target, [*blocks[:at], moved, *blocks[at:]])


def _starting(paragraphs: list[str], start: str) -> str | None:
    return next((p for p in paragraphs if p.startswith(start)), None)


def delete_paragraph(project: Path, chapter: str, starting: str) -> None:
    """Delete the paragraph of ``chapter`` that starts with ``starting``."""
    path = project / "chapters" / chapter
    write_paragraphs(path, [p for p in paragraphs_of(path) if not p.startswith(starting)])


def replace_in(project: Path, name: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in the file ``name`` of ``project``."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def eleven_edits(project: Path) -> None:
    """Eleven edits of the kinds a Secretariat makes between two drafts of the sample."""
    replace_in(project, "document.yaml", "issued: 2022-03-07", "issued: 2022-03-14")
    replace_in(
        project,
        "chapters/01-introduction.md",
        "for the first time in 2019",
        "for the first time in 2019, at the request of Members",
    )
    replace_in(project, "chapters/01-introduction.md", "revised periodically", "**revised periodically**")
    replace_in(
        project, "chapters/02-objective.md", "\n\nSince 2019,",
        "\n\nA new paragraph explains how the Members' replies were gathered.\n\nSince 2019,",
    )  # fmt: skip
    replace_in(project, "chapters/02-objective.md", " Wider deployment nonetheless remains possible.", "")
    move_paragraph(
        project, "Preparing the revision jointly", "04-way-forward.md", "Delegates are invited",
        edit=("larger effort", "wider effort"),
    )  # fmt: skip
    delete_paragraph(project, "02-objective.md", "Moreover, the WCO")
    replace_in(project, "chapters/03-updates.md", "b. A new *Chapter", "b. A new and longer *Chapter")
    replace_in(project, "chapters/04-way-forward.md", "# The way forward", "# The way ahead")
    replace_in(project, "chapters/05-action.md", "consider the revised", "consider and discuss the revised")
    replace_in(
        project, "annexes/use-cases/01-kr-ecommerce-export.md", "took longer than the technical work",
        "took longer than the technical work, by several months",
    )  # fmt: skip
