"""The review tests' fixtures: the base built once per module, and copies of its project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_YAML, write_project
from tests.review.copies import CHAPTER, COMMENTED_YAML, SECTIONS, USE_CASE
from wcodoc.build import build_project


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """PC0685Ea built from a small project (cover, sections, sub-items, bullets, a use case)."""
    root = tmp_path_factory.mktemp("review")
    project = write_project(
        root / "project",
        {
            "document.yaml": MINIMAL_YAML,
            "chapters/01-intro.md": CHAPTER,
            "annexes/use-cases/01-kr.md": USE_CASE,
        },
    )
    result = build_project(project, root / "out", formats=("docx",))
    return Path(result.outputs["docx"])


@pytest.fixture
def project(base, tmp_path) -> Path:
    """A copy of the base's project, for apply to edit."""
    return Path(shutil.copytree(base.parent.parent / "project", tmp_path / "project"))


@pytest.fixture(scope="module")
def cover_base(tmp_path_factory) -> Path:
    """A build whose document.yaml has comments, a quoted subtitle and a two-paragraph purpose."""
    root = tmp_path_factory.mktemp("cover")
    project = write_project(
        root / "project", {"document.yaml": COMMENTED_YAML, "chapters/01-intro.md": CHAPTER}
    )
    return Path(build_project(project, root / "out", formats=("docx",)).outputs["docx"])


@pytest.fixture
def cover_project(cover_base, tmp_path) -> Path:
    """A copy of the cover base's project, for apply to edit."""
    return Path(shutil.copytree(cover_base.parent.parent / "project", tmp_path / "project"))


@pytest.fixture(scope="module")
def sections_base(tmp_path_factory) -> Path:
    """A build with three labelled sections and ``@sec:`` references to them."""
    root = tmp_path_factory.mktemp("sections")
    project = write_project(root / "project", {"document.yaml": MINIMAL_YAML, "chapters/01.md": SECTIONS})
    return Path(build_project(project, root / "out", formats=("docx",)).outputs["docx"])
