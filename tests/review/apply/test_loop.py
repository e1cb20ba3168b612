"""A round of returns as a Secretariat works it: a project in git, PC0685Ea sent, the Secretariat
editing on, three Members' copies edited in LibreOffice (through UNO, each under its author's
name) applied one after the other, with and without ``--base``: footnotes, a table, a line
block, conflicts, the same copy twice, a conflict settled with ``--paragraph``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write_project
from tests.review.copies import CHAPTER, RICH_FILES, apply_cli
from tests.support.system_python import has_uno, run_script
from wcodoc.build import build_project
from wcodoc.diff.extract import read_draft
from wcodoc.fsutil import shown_path

pytestmark = [
    pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno"),
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def edited(sent: Path, target: Path, author: str, edits: list[dict]) -> Path:
    """``sent`` edited in LibreOffice by ``author`` (tracked unless an edit says otherwise)."""
    script = target.with_suffix(".json")
    script.write_text(json.dumps(edits), encoding="utf-8")
    run_script("lo_edit.py", str(sent), str(target), author, str(script))
    return target


def sources(project: Path) -> dict[str, str]:
    return {
        p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(project.rglob("*"))
        if p.is_file() and "build" not in p.parts and ".git" not in p.parts
    }


@pytest.fixture(scope="module")
def round_(tmp_path_factory) -> dict[str, Path]:
    """The project committed and sent as PC0685Ea, then edited and committed again by the
    Secretariat; the three Members' copies of what was sent."""
    root = tmp_path_factory.mktemp("loop")
    project = write_project(root / "project", {**RICH_FILES, ".gitignore": "build/\n"})
    git(project, "init", "-q")
    git(project, "config", "user.name", "Secretariat")
    git(project, "config", "user.email", "secretariat@example.org")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "PC0685Ea as sent")
    sent = Path(
        shutil.copy(build_project(project, formats=("docx",)).outputs["docx"], root / "PC0685Ea.docx")
    )
    chapter = project / "chapters/01-intro.md"  # the Secretariat edits on after sending
    chapter.write_text(CHAPTER.replace("remains a priority", "remains a key priority"), encoding="utf-8")
    git(project, "commit", "-qam", "Secretariat: paragraph 3")
    korea = edited(sent, root / "korea.docx", "Korea Customs", [
        {"op": "replace", "find": "in some detail", "with": "in great detail"},
        {"op": "replace", "find": "June 2005", "with": "June 2006"},
        {"op": "insert_paragraph", "find": "The committee noted the figures.",
         "text": "A paragraph proposed by Korea."},
        {"op": "replace", "find": "data quality", "with": "data quality and integrity", "track": False},
    ])  # fmt: skip
    brazil = edited(sent, root / "brazil.docx", "Brazil Customs", [
        {"op": "replace", "find": "in some detail", "with": "briefly"},
        {"op": "replace", "find": "Europe", "with": "Europe and CIS"},
        {"op": "replace", "find": "second line of the verse", "with": "last line of the verse"},
        {"op": "type_after_table", "find": "Africa", "text": "Figures are for 2021."},
    ])  # fmt: skip
    chile = edited(sent, root / "chile.docx", "Chile Customs", [
        {"op": "replace", "find": "See the Revenue Package.", "with": "See the Revenue Package (2023)."},
        {"op": "insert", "find": "Results", "text": ", outlook and next steps"},
        {"op": "replace", "find": "Members agreed", "with": "Members decided"},
        {"op": "replace", "find": "Pilot · 2021", "with": "Implemented · 2021"},
        {"op": "replace", "find": "revenue security", "with": "revenue protection", "track": False},
    ])  # fmt: skip
    return {"root": root, "project": project, "sent": sent, "korea": korea, "brazil": brazil, "chile": chile}


def test_three_members_applied_in_turn_without_base(round_, tmp_path, capsys):
    project = Path(shutil.copytree(round_["project"], tmp_path / "project"))
    at = shown_path(project)  # as messages show it: relative when the tests run nearby
    code, out, err = apply_cli(project, round_["korea"], capsys)
    assert code == 0, err
    assert out.splitlines() == [
        f"{at}/chapters/01-intro.md:3: paragraph 1 (Korea Customs)",
        f"{at}/chapters/01-intro.md:7: paragraph 2.a (Korea Customs)",
        f"{at}/chapters/02-results.md:3: paragraph 5 (Korea Customs)",
        f"{at}/chapters/02-results.md:17: paragraph after 7 (Korea Customs)",
    ]
    intro = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in intro and "data quality and integrity;" in intro
    assert "remains a key priority" in intro  # the Secretariat's edit since: not reverted
    results = (project / "chapters/02-results.md").read_text(encoding="utf-8")
    assert "[^fw]: Adopted in June 2006 by the Council." in results
    assert "The committee noted the figures.\n\nA paragraph proposed by Korea.\n" in results

    # Brazil, without --base: Korea's wording of paragraph 1 stays; the conflict is reported.
    code, out, err = apply_cli(project, round_["brazil"], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{at}/chapters/02-results.md:7: paragraph 6 (Brazil Customs)",
        f"{at}/chapters/02-results.md:12: paragraph after 6 (Brazil Customs)",
    ]
    sent_commit = git(round_["project"], "rev-parse", "HEAD~1")[:7]
    brazil = shown_path(round_["brazil"])
    assert err.splitlines() == [
        f"{brazil}: a copy of PC0685Ea (commit {sent_commit})",
        f"{at}/chapters/01-intro.md:3: paragraph 1 (Brazil Customs): changed since PC0685Ea was "
        "sent, and the copy changes the same sentence; not applied",
        "    now:      Customs administrations met to study the pilot in great detail.",
        "    proposed: Customs administrations met to study the pilot briefly.",
        f"    to take the proposal: wcodoc review apply PROJECT {brazil} --paragraph '1'",
    ]
    intro = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in intro and "data quality and integrity;" in intro
    results = (project / "chapters/02-results.md").read_text(encoding="utf-8")
    assert "| Europe and CIS | 5      |" in results and "| last line of the verse" in results
    assert (
        results.index("| Europe and CIS |")
        < results.index("Figures are for 2021.")
        < results.index("| First")
    )

    # The same copy again: nothing written, the conflict still reported.
    before = sources(project)
    code, out, err = apply_cli(project, round_["brazil"], capsys)
    assert code == 1 and out == ""
    assert err.count("already in the sources") == 2 and "paragraph 1 (Brazil Customs): changed since" in err
    assert sources(project) == before

    # The Secretariat takes Brazil's wording of paragraph 1.
    code, out, err = apply_cli(project, round_["brazil"], capsys, "--paragraph", "1")
    assert code == 0, err
    assert "in some detail" not in (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "pilot briefly." in (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    git(project, "commit", "-qam", "Korea and Brazil applied")

    # Chile, without --base: footnote, heading with its label, emphasis kept, use-case status.
    code, out, err = apply_cli(project, round_["chile"], capsys)
    assert code == 0, err
    intro = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "Members decided that the platform should *exchange* risk information, see @par:later." in intro
    assert "revenue protection.^[See the Revenue Package (2023).]" in intro
    results = (project / "chapters/02-results.md").read_text(encoding="utf-8")
    assert results.startswith("# Results, outlook and next steps {#sec:results}\n")
    assert "status: implemented" in (project / "annexes/use-cases/01-kr.md").read_text(encoding="utf-8")

    built = read_draft(build_project(project, tmp_path / "out", formats=("docx",)).outputs["docx"])
    shown = [b.text for b in built.blocks]
    assert "Customs administrations met to study the pilot briefly." in shown
    assert "Capacity building remains a key priority for the Secretariat." in shown


def test_with_base_the_sent_docx_gives_the_same_edits(round_, tmp_path, capsys):
    project = Path(shutil.copytree(round_["project"], tmp_path / "project"))
    for copy_ in ("korea", "chile"):
        code, _, err = apply_cli(project, round_[copy_], capsys, "--base", str(round_["sent"]))
        assert code == 0, err
    intro = (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    assert "in great detail" in intro and "remains a key priority" in intro
    assert "revenue protection.^[See the Revenue Package (2023).]" in intro


def test_without_history_a_copy_differing_from_the_sources_is_refused(round_, tmp_path, capsys):
    project = Path(
        shutil.copytree(round_["project"], tmp_path / "project", ignore=shutil.ignore_patterns(".git"))
    )
    before = sources(project)
    code, out, err = apply_cli(project, round_["korea"], capsys)
    assert code == 1 and out == ""
    assert "cannot tell what was sent: git has no version of PC0685Ea" in err and "--base" in err
    assert sources(project) == before
