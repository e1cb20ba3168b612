"""Translations behind their original: ``session status`` and ``session follow``, and the whole
bilingual session of issue 10 end to end."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.session.folders import commit, git, run
from wcodoc.commands.revise import revise as revise_command
from wcodoc.commands.session import session as session_command
from wcodoc.workflow.newdoc import create_document

BODY = """\
# Introduction

The Permanent Technical Committee discussed smart customs at its last session.

Members reported pilots of automated risk management in several regions.

The Secretariat collected case studies from administrations and partners.

Several pilots used machine learning to select consignments for inspection.

Delegates asked for guidance on data protection when sharing information.

The Committee is invited to take note of this document.
"""


def test_translation_behind_its_original_names_the_changed_paragraphs(repo, monkeypatch):

    english = repo / "smart-customs"
    (english / "chapters" / "01-introduction.md").write_text(BODY)
    commit(repo.parent, "body")
    created = create_document(repo / "smart-customs-fr", translation_of=english, title="Douane intelligente")
    french = (created.root / "document.yaml").read_text()
    assert "translation_of: smart-customs\n" in french and "follows: PC0791Ea\n" in french
    commit(repo.parent, "French version")
    runner = CliRunner()
    monkeypatch.chdir(repo)
    fresh = runner.invoke(session_command, ["status"])
    assert fresh.exit_code == 0, fresh.output
    assert "smart-customs-fr  PC0791Fa  follows PC0791Ea: up to date" in fresh.output

    # The original is reissued as b, the translator catches up, then c changes 3 and 5.
    assert runner.invoke(revise_command, ["smart-customs", "--issued", "2023-03-01"]).exit_code == 0
    commit(repo.parent, "PC0791Eb")
    followed = runner.invoke(session_command, ["follow", "smart-customs-fr"])
    assert followed.output.strip() == "smart-customs-fr: follows PC0791Eb (was PC0791Ea)"
    commit(repo.parent, "French follows b")
    chapter = english / "chapters" / "01-introduction.md"
    text = chapter.read_text().replace("in several regions.", "in all six WCO regions.")
    text = text.replace("data protection", "personal data protection and retention")
    chapter.write_text(text)
    assert runner.invoke(revise_command, ["smart-customs", "--issued", "2023-03-10"]).exit_code == 0
    commit(repo.parent, "PC0791Ec")

    result = runner.invoke(session_command, ["status"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "smart-customs     PC0791Ec  original",
        "smart-customs-fr  PC0791Fa  follows PC0791Eb, original now PC0791Ec: paragraphs 2, 5 changed",
    ]
    data = json.loads(runner.invoke(session_command, ["status", "--format", "json"]).output)
    assert data == {
        "documents": [
            {
                "folder": "smart-customs",
                "reference": "PC0791Ec",
                "translation_of": None,
                "follows": None,
                "original": None,
                "behind": False,
                "changed_paragraphs": [],
                "changed_blocks": [],
            },
            {
                "folder": "smart-customs-fr",
                "reference": "PC0791Fa",
                "translation_of": "smart-customs",
                "follows": "PC0791Eb",
                "original": "PC0791Ec",
                "behind": True,
                "changed_paragraphs": ["2", "5"],
                "changed_blocks": [
                    {"kind": "modified", "block": "paragraph", "number": "2", "location": "paragraph 2"},
                    {"kind": "modified", "block": "paragraph", "number": "5", "location": "paragraph 5"},
                ],
            },
        ]
    }


def test_follow_refuses_a_document_that_is_no_translation(repo, monkeypatch):

    result = run(session_command, ["follow", "smart-customs"], repo, monkeypatch)
    assert result.exit_code != 0 and "translation_of: not set" in str(result.exception)


def test_bilingual_session_end_to_end(tmp_path, monkeypatch):
    from tests.conftest import docx_xml, paragraphs
    from wcodoc.cli import cli

    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q")
    git(top, "config", "user.name", "Secretariat")
    git(top, "config", "user.email", "secretariat@example.org")
    runner = CliRunner()

    def wcodoc(*args, cwd):
        monkeypatch.chdir(cwd)
        result = runner.invoke(cli, list(args))
        return result

    init = ["session", "init", "ptc", "--committee", "PC", "--sessions", "237,238"]
    init += ["--from", "2023-03-20", "--to", "2023-03-24", "--place", "Brussels", "--meeting", "hybrid"]
    assert wcodoc(*init, cwd=top).exit_code == 0
    ptc = top / "ptc"
    (ptc / "templates" / "labels-en.yaml").write_text("agenda_item: (Agenda item {item})\n")
    (ptc / "session.yaml").write_text(
        (ptc / "session.yaml").read_text() + "register:\n  - symbol: PC0790E   # Korea\n"
    )
    for name, title in (("smart-customs", "Smart Customs"), ("e-commerce", "E-commerce")):
        assert wcodoc("new", name, "--title", title, "--item", "V", cwd=ptc).exit_code == 0
    (ptc / "smart-customs" / "chapters" / "01-introduction.md").write_text(BODY)
    made = wcodoc("new", "smart-customs-fr", "--translation-of", "smart-customs", cwd=ptc)
    assert made.exit_code == 0, made.output
    commit(top, "first drafts")

    # edits, then diff HEAD from inside the document and from the session folder
    chapter = ptc / "smart-customs" / "chapters" / "01-introduction.md"
    chapter.write_text(chapter.read_text().replace("last session.", "last two sessions."))
    inside = wcodoc("diff", "HEAD", cwd=ptc / "smart-customs")
    root = wcodoc("diff", "HEAD", "smart-customs", cwd=ptc)
    assert inside.exit_code == root.exit_code == 0
    assert "{+two sessions+}" in inside.output and inside.output == root.output

    # a failing revise leaves document.yaml byte-identical; the fixed one makes the redline
    doc = ptc / "smart-customs" / "document.yaml"
    before = doc.read_bytes()
    chapter.write_text(chapter.read_text() + "\nSee @par:nowhere.\n")
    assert wcodoc("revise", "smart-customs", "--redline", "--format", "docx", cwd=ptc).exit_code == 1
    assert doc.read_bytes() == before
    chapter.write_text(chapter.read_text().replace("\nSee @par:nowhere.\n", ""))
    revised = wcodoc(
        "revise", "smart-customs", "--redline", "--format", "docx", "--issued", "2023-03-01", cwd=ptc
    )
    assert revised.exit_code == 0, revised.output
    assert (ptc / "smart-customs" / "build" / "PC0791Eb-redline.docx").is_file()
    commit(top, "PC0791Eb")

    # the reserved serial is claimed, with no second register entry
    assert wcodoc("new", "korea", "--title", "Korea", "--reference", "PC0790E", cwd=ptc).exit_code == 0
    assert (ptc / "session.yaml").read_text().count("PC0790E") == 1

    # the session's template applies to every document
    built = wcodoc("session", "build", "--format", "docx", cwd=ptc)
    assert built.exit_code == 0, built.output
    for docx in (
        ptc / "smart-customs" / "build" / "PC0791Eb.docx",
        ptc / "e-commerce" / "build" / "PC0792Ea.docx",
    ):
        assert "(Agenda item V)" in [t for _, t in paragraphs(docx_xml(docx))]

    # the translation is behind its original, with exactly the paragraph changed
    status = wcodoc("session", "status", "--format", "json", cwd=ptc)
    french = next(d for d in json.loads(status.output)["documents"] if d["folder"] == "smart-customs-fr")
    assert (french["follows"], french["original"], french["behind"]) == ("PC0791Ea", "PC0791Eb", True)
    assert french["changed_paragraphs"] == ["1"]


def test_status_in_a_shallow_clone_says_the_history_is_cut(repo, tmp_path, monkeypatch):
    # A CI job or a colleague's `git clone --depth 1`: the version followed is in the history,
    # but not in the clone. Status said "commit each version as issued", which they had done.
    create_document(repo / "smart-customs-fr", translation_of=repo / "smart-customs")
    commit(repo.parent, "French version")
    runner = CliRunner()
    monkeypatch.chdir(repo)
    assert runner.invoke(revise_command, ["smart-customs", "--issued", "2023-03-01"]).exit_code == 0
    commit(repo.parent, "PC0791Eb")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.parent}", str(clone))
    monkeypatch.chdir(clone / "ptc")
    result = runner.invoke(session_command, ["status", "--format", "json"])
    french = json.loads(result.output)["documents"][1]
    assert french["behind"] is True and french["changed_blocks"] == []
    assert french["problem"] == (
        "this clone's history is shallow and holds no commit of smart-customs/document.yaml with "
        "reference PC0791Ea: run 'git fetch --unshallow'"
    )
    text = runner.invoke(session_command, ["status"]).output
    assert "run 'git fetch --unshallow'" in text
