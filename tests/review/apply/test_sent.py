"""What a returned copy answers: ``--base``, a tag named after the copy's symbol, the commits of
that version in git, the sources now; a copy of another document, or of a version the project
never issued, refused before anything is written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_YAML, write_project
from tests.review.copies import CHAPTER, apply_cli
from tests.support.member_copy import MemberCopy
from wcodoc.build import build_project
from wcodoc.fsutil import shown_path
from wcodoc.review.apply import sent as sent_module
from wcodoc.workflow.revise import revise_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
P3 = "Capacity building remains"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def sent(tmp_path) -> tuple[Path, Path]:
    """A project in git, committed and built as PC0685Ea (the DOCX sent), then edited by the
    Secretariat (paragraph 3) and committed again."""
    project = write_project(
        tmp_path / "session" / "doc", {"document.yaml": MINIMAL_YAML, "chapters/01-intro.md": CHAPTER}
    )
    top = tmp_path / "session"
    (top / ".gitignore").write_text("build/\n")
    git(top, "init", "-q")
    git(top, "config", "user.name", "Secretariat")
    git(top, "config", "user.email", "secretariat@example.org")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "PC0685Ea as sent")
    docx = build_project(project, tmp_path / "sent", formats=("docx",)).outputs["docx"]
    chapter = project / "chapters/01-intro.md"
    chapter.write_text(CHAPTER.replace("remains a priority", "remains a key priority"), encoding="utf-8")
    git(top, "commit", "-qam", "Secretariat: paragraph 3")
    return project, Path(docx)


def korea(docx: Path, path: Path) -> Path:
    """A tracked change to paragraph 1 and an edit made without tracking to paragraph 4."""
    copy = MemberCopy(docx)
    copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    copy.untracked("The committee recommends", "revenue security", "revenue protection")
    copy.saved_by("Korea Customs")
    return copy.save(path)


def test_the_commit_of_the_version_sent_is_found_and_the_edits_since_are_kept(sent, tmp_path, capsys):
    project, docx = sent
    code, _, err = apply_cli(project, korea(docx, tmp_path / "korea.docx"), capsys)
    assert code == 0, err
    first = git(project, "rev-list", "--max-parents=0", "HEAD").strip()
    copy = shown_path(tmp_path / "korea.docx")  # relative when the tests run nearby
    assert err.splitlines()[0] == f"{copy}: a copy of PC0685Ea (commit {first[:7]})"
    chapter = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in chapter and "revenue protection" in chapter
    assert "remains a key priority" in chapter


def test_a_tag_named_after_the_symbol_is_what_was_sent(sent, tmp_path, capsys):
    project, docx = sent
    git(project, "tag", "PC0685Ea", "HEAD~1")
    code, _, err = apply_cli(project, korea(docx, tmp_path / "korea.docx"), capsys)
    assert code == 0, err
    assert err.splitlines()[0] == f"{shown_path(tmp_path / 'korea.docx')}: a copy of PC0685Ea (tag PC0685Ea)"
    assert "remains a key priority" in (project / "chapters/01-intro.md").read_text(encoding="utf-8")


def test_a_copy_of_the_version_before_a_revision_is_read_against_that_version(sent, tmp_path, capsys):
    project, docx = sent
    revise_project(project)
    git(project, "commit", "-qam", "PC0685Eb")
    code, _, err = apply_cli(project, korea(docx, tmp_path / "korea.docx"), capsys)
    assert code == 0, err
    assert "a copy of PC0685Ea (commit" in err
    text = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in text and "revenue protection" in text and "key priority" in text
    assert "reference: PC0685Eb" in (project / "document.yaml").read_text(encoding="utf-8")


def test_copies_of_other_documents_and_versions_are_refused(sent, tmp_path, capsys):
    project, _ = sent
    (project.parent / "session.yaml").write_text(
        "committee: PC\nregister:\n- symbol: PC0701E\n  folder: single-window\n", encoding="utf-8"
    )
    other = write_project(
        tmp_path / "other",
        {"document.yaml": MINIMAL_YAML.replace("PC0685Ea", "PC0701Ea"), "chapters/01.md": CHAPTER},
    )
    other_docx = build_project(other, tmp_path / "other-out", formats=("docx",)).outputs["docx"]
    later = write_project(
        tmp_path / "later",
        {"document.yaml": MINIMAL_YAML.replace("PC0685Ea", "PC0685Ec"), "chapters/01.md": CHAPTER},
    )
    later_docx = build_project(later, tmp_path / "later-out", formats=("docx",)).outputs["docx"]
    before = git(project, "status", "--porcelain")
    code, out, err = apply_cli(project, korea(Path(other_docx), tmp_path / "other.docx"), capsys)
    assert (code, out) == (1, "")
    assert "a copy of PC0701Ea (folder single-window in the session's register), not of this document" in err
    code, out, err = apply_cli(project, korea(Path(later_docx), tmp_path / "later.docx"), capsys)
    assert (code, out) == (1, "")
    assert "a copy of PC0685Ec, a version this document has not issued (it is PC0685Ea" in err
    assert git(project, "status", "--porcelain") == before


def test_too_many_versions_of_the_symbol_ask_for_base(sent, tmp_path, capsys, monkeypatch):
    project, docx = sent
    monkeypatch.setattr(sent_module, "MAX_CANDIDATES", 1)
    code, out, err = apply_cli(project, korea(docx, tmp_path / "korea.docx"), capsys)
    assert (code, out) == (1, "")
    assert "PC0685Ea was committed in 2 versions; name the one sent with --base COMMIT" in err
    code, _, err = apply_cli(project, tmp_path / "korea.docx", capsys, "--base", str(docx))
    assert code == 0, err
