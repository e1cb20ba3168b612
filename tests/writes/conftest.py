"""Fixtures of the tests of safe writes: a project sent out, and Members' copies of it edited in
LibreOffice (through UNO, with the Member's name as author)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_YAML, write_project
from tests.review.copies import CHAPTER
from tests.support.system_python import has_uno, run_script
from wcodoc.build import build_project

INTRODUCTION, UPDATES = CHAPTER.split("# Updates\n")
CHAPTERS = {"chapters/01-intro.md": INTRODUCTION, "chapters/02-updates.md": "# Updates\n" + UPDATES}

KOREA = [  # one edit in each chapter and one on the cover: three files for apply to write
    {"op": "replace", "find": "in some detail", "with": "in great detail"},
    {"op": "replace", "find": "revenue security", "with": "revenue and security"},
    {"op": "replace", "find": "FUTURE OF", "with": "PRESENT OF"},
]
BRAZIL = [{"op": "replace", "find": "a priority", "with": "the first priority"}]


def edited_in_libreoffice(base: Path, target: Path, author: str, edits: list[dict]) -> Path:
    """``base`` opened in LibreOffice as ``author``, edited with changes tracked, saved as ``target``."""
    script = target.with_suffix(".json")
    script.write_text(json.dumps(edits), encoding="utf-8")
    run_script("lo_edit.py", str(base), str(target), author, str(script))
    return target


@pytest.fixture(scope="session")
def sent(tmp_path_factory) -> tuple[Path, Path, Path, Path]:
    """The project, PC0685Ea as sent (``sent/PC0685Ea.docx``), Korea's and Brazil's copies."""
    if not has_uno():
        pytest.skip("needs the system Python with uno (python3-uno)")
    root = tmp_path_factory.mktemp("sent")
    project = write_project(root / "project", {"document.yaml": MINIMAL_YAML, **CHAPTERS})
    base = build_project(project, root / "sent", ("docx",)).outputs["docx"]
    korea = edited_in_libreoffice(base, root / "korea.docx", "Korea Customs", KOREA)
    brazil = edited_in_libreoffice(base, root / "brazil.docx", "Brazil Customs", BRAZIL)
    return project, base, korea, brazil


@pytest.fixture
def lo_copies(sent):
    """``make(folder)``: a fresh copy of the project in ``folder``, with the base and the copies."""
    project, base, korea, brazil = sent

    def make(folder: Path) -> tuple[Path, Path, Path, Path]:
        return Path(shutil.copytree(project, folder / "project")), base, korea, brazil

    return make
