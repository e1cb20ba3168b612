"""A git revision is read as git stores it: ``.gitattributes`` meant for ``git archive``
(``export-ignore``, ``export-subst``) change nothing, so a clean tree has no changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHAPTER = "# Intro\n\nThe first paragraph of the project.\n\nThe second paragraph stays as well.\n"


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def committed(root: Path) -> Path:
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


def diff_head(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wcodoc", "diff", "HEAD", "--exit-code"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("attributes", "chapter"),
    [
        pytest.param(
            "chapters/02-more.md export-ignore\n", "# More\n\nA whole chapter.\n", id="export-ignore"
        ),
        pytest.param("*.md export-subst\n", "# More\n\nCommit $Format:%H$ of the text.\n", id="export-subst"),
    ],
)
def test_export_attributes_change_nothing_in_a_clean_tree(make_project, attributes, chapter):
    root = make_project(
        {"chapters/01-intro.md": CHAPTER, "chapters/02-more.md": chapter, ".gitattributes": attributes}
    )
    result = diff_head(committed(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "PC0685Ea → PC0685Ea: no changes"


def test_export_attributes_of_the_session_above_change_nothing(make_project, tmp_path):
    session = tmp_path / "session"
    make_project(
        {"chapters/01-intro.md": CHAPTER, "chapters/02-more.md": "# More\n\nA whole chapter.\n"},
        name="session/doc",
    )
    (session / ".gitattributes").write_text("doc/chapters/* export-ignore\n")
    result = diff_head(committed(session) / "doc")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "PC0685Ea → PC0685Ea: no changes"


def test_a_chapter_linked_inside_the_project_is_read_at_the_revision(make_project):
    root = make_project({"shared/intro.md": CHAPTER})
    (root / "chapters").mkdir()
    (root / "chapters" / "01-intro.md").symlink_to("../shared/intro.md")
    committed(root)
    (root / "shared" / "intro.md").write_text(CHAPTER.replace("stays as well", "was changed"))
    result = diff_head(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "paragraph 2: modified" in result.stdout


def test_a_chapter_with_lone_cr_line_ends_reads_the_same_from_a_revision(make_project):
    root = make_project({".gitattributes": "* text=auto eol=crlf\n"})
    (root / "chapters").mkdir()
    (root / "chapters" / "01-mac.md").write_bytes(b"# Mac\r\rFirst paragraph.\rSame paragraph.\r\rSecond.\r")
    result = diff_head(committed(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "PC0685Ea → PC0685Ea: no changes"


def test_a_smudge_filter_applies_as_in_a_checkout(make_project):
    """Git LFS works so: the repository stores a stand-in, a filter writes the real file."""
    root = make_project({".gitattributes": "chapters/*.md filter=shown\n", "chapters/01-intro.md": CHAPTER})
    git(root, "init", "-q")
    git(root, "config", "filter.shown.clean", "sed s/first/STORED/")
    git(root, "config", "filter.shown.smudge", "sed s/STORED/first/")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    result = diff_head(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "PC0685Ea → PC0685Ea: no changes"
