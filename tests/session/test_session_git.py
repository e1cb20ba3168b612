"""A session folder kept inside a git repository, as docs/session-workflow.md recommends (issue 10).

The repository's top holds other things; the session is ``ptc/`` and each document a
subfolder of it, so every git-revision path goes through a prefix.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from wcodoc.commands.diff import diff as diff_command
from wcodoc.commands.new import new as new_command
from wcodoc.commands.output import format_error
from wcodoc.commands.revise import revise as revise_command
from wcodoc.errors import WcodocError
from wcodoc.workflow import revise as revise_module
from wcodoc.workflow.newdoc import create_document

SESSION_YAML = """\
committee: PC
sessions: [237, 238]
dates: {from: 2023-03-20, to: 2023-03-24}
place: Brussels
meeting: hybrid
register:
- symbol: PC0700E
  folder: other
- symbol: PC0790E   # reserved for the Korean paper
"""


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    top = tmp_path / "repo"
    session = top / "ptc"
    session.mkdir(parents=True)
    git(top, "init", "-q")
    git(top, "config", "user.name", "Secretariat")
    git(top, "config", "user.email", "secretariat@example.org")
    (top / "README.md").write_text("Documents of the PTC.\n")
    (session / "session.yaml").write_text(SESSION_YAML)
    create_document(session / "smart-customs", title="Smart Customs", item="V", issued=dt.date(2023, 2, 1))
    chapter = session / "smart-customs" / "chapters" / "01-introduction.md"
    chapter.write_text("# Introduction\n\nFirst paragraph.\n\nSecond paragraph.\n")
    (session / "smart-customs" / ".gitignore").write_text("build/\n")
    commit(top, "PC0791Ea as issued")
    return session


def commit(top, message):
    git(top, "add", "-A")
    git(top, "commit", "-qm", message)


def run(command, args, cwd, monkeypatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(command, args)


def edit(session):
    chapter = session / "smart-customs" / "chapters" / "01-introduction.md"
    chapter.write_text(chapter.read_text() + "\nA new third paragraph.\n")


# --- diff of a git revision ------------------------------------------------------------


def test_diff_head_from_inside_the_document_folder(repo, monkeypatch):
    edit(repo)
    result = run(diff_command, ["HEAD", "--format", "json"], repo / "smart-customs", monkeypatch)
    assert result.exit_code == 0, result.output
    assert '"kind": "inserted"' in result.output and "A new third paragraph." in result.output


def test_diff_head_from_a_folder_inside_the_document(repo, monkeypatch):
    edit(repo)
    result = run(diff_command, ["HEAD"], repo / "smart-customs" / "chapters", monkeypatch)
    assert result.exit_code == 0, result.output
    assert "A new third paragraph." in result.output


def test_diff_head_of_a_named_document_from_the_session_root(repo, monkeypatch):
    edit(repo)
    result = run(diff_command, ["HEAD", "smart-customs"], repo, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "A new third paragraph." in result.output


def test_diff_head_at_the_session_root_asks_which_document(repo, monkeypatch):
    result = run(diff_command, ["HEAD"], repo, monkeypatch)
    assert result.exception.exit_code == 2
    assert "wcodoc diff HEAD FOLDER" in str(result.exception)


def test_error_in_a_revision_names_the_users_file(repo, monkeypatch):
    chapter = repo / "smart-customs" / "chapters" / "01-x.md"
    chapter.write_text("# Extra\n\nSee @par:missing.\n")
    commit(repo.parent, "broken draft")
    chapter.unlink()
    for cwd, args, shown in (
        (repo / "smart-customs", ["HEAD"], "chapters/01-x.md:3:"),
        (repo, ["HEAD", "smart-customs"], "smart-customs/chapters/01-x.md:3:"),
    ):
        result = run(diff_command, args, cwd, monkeypatch)
        assert result.exception.exit_code == 2
        message = format_error(result.exception)
        assert message.startswith(shown), message
        assert "(at revision HEAD)" in message
        assert "/tmp" not in message and "wcodoc-diff" not in message


def test_a_revision_inherits_the_session_values_it_had(repo, monkeypatch):
    # The revision is built with session.yaml as committed: the cover of HEAD says 237th.
    edit(repo)
    (repo / "session.yaml").write_text(SESSION_YAML.replace("[237, 238]", "[239, 240]"))
    result = run(diff_command, ["HEAD", "--format", "json"], repo / "smart-customs", monkeypatch)
    assert result.exit_code == 0, result.output
    assert '"field": "sessions"' in result.output


# --- revise --redline ---------------------------------------------------------------


def test_revise_redline_of_a_document_in_a_subfolder(repo, monkeypatch):
    edit(repo)
    args = ["smart-customs", "--redline", "--format", "docx", "--issued", "2023-03-01"]
    result = run(revise_command, args, repo, monkeypatch)
    assert result.exit_code == 0, result.output
    build = repo / "smart-customs" / "build"
    assert (build / "PC0791Eb.docx").is_file() and (build / "PC0791Eb-redline.docx").is_file()
    assert "reference: PC0791Eb" in (repo / "smart-customs" / "document.yaml").read_text()


def test_failed_build_leaves_document_yaml_byte_identical(repo, monkeypatch):
    doc = repo / "smart-customs" / "document.yaml"
    doc.write_bytes(doc.read_bytes().replace(b"\n", b"\r\n"))  # odd bytes survive too
    commit(repo.parent, "crlf")
    before = doc.read_bytes()
    chapter = repo / "smart-customs" / "chapters" / "01-introduction.md"
    chapter.write_text(chapter.read_text() + "\nSee @par:nowhere.\n")
    for _ in range(2):  # a retry uses the same letter: nothing was used up
        result = run(revise_command, ["smart-customs", "--redline", "--format", "docx"], repo, monkeypatch)
        assert result.exit_code == 1
        assert "unknown reference '@par:nowhere'" in str(result.exception)
        assert doc.read_bytes() == before
    assert not (repo / "smart-customs" / "build" / "PC0791Eb.docx").exists()


def test_failed_redline_rolls_back_and_removes_new_outputs(repo, monkeypatch):
    edit(repo)
    doc = repo / "smart-customs" / "document.yaml"
    before = doc.read_bytes()

    def broken(*args, **kwargs):
        raise WcodocError("redline failed")

    monkeypatch.setattr(revise_module, "redline", broken)
    result = run(revise_command, ["smart-customs", "--redline", "--format", "docx"], repo, monkeypatch)
    assert result.exit_code == 1 and str(result.exception) == "redline failed"
    assert doc.read_bytes() == before
    assert not (repo / "smart-customs" / "build" / "PC0791Eb.docx").exists()
    assert not (repo / "smart-customs" / "build" / "PC0791Eb-redline.docx").exists()


def test_revision_that_does_not_build_changes_nothing(repo, monkeypatch):
    doc = repo / "smart-customs" / "document.yaml"
    before = doc.read_bytes()
    result = run(revise_command, ["smart-customs", "--redline", "--against", "nosuchtag"], repo, monkeypatch)
    assert result.exit_code == 1 and "not in a git repository" in str(result.exception)
    assert doc.read_bytes() == before


# --- the register ---------------------------------------------------------------------


def test_reserved_serial_is_claimed_with_reference(repo, monkeypatch):
    result = run(new_command, ["korea", "--title", "Korea", "--reference", "PC0790E"], repo, monkeypatch)
    assert result.exit_code == 0, result.output
    text = (repo / "session.yaml").read_text()
    assert text.count("PC0790E") == 1
    today = dt.date.today().isoformat()
    assert (
        "- symbol: PC0790E   # reserved for the Korean paper\n"
        f"  folder: korea\n  title: Korea\n  allocated: {today}\n- symbol: PC0791E\n"
    ) in text
    assert "reference: PC0790Ea" in (repo / "korea" / "document.yaml").read_text()
    again = run(new_command, ["korea2", "--title", "K", "--reference", "PC0790E"], repo, monkeypatch)
    assert again.exit_code == 1 and "already allocated" in str(again.exception)


def test_allocated_entry_with_a_folder_is_still_refused(repo, monkeypatch):
    result = run(new_command, ["x", "--title", "X", "--reference", "PC0700E"], repo, monkeypatch)
    assert result.exit_code == 1 and "PC0700E is already allocated" in str(result.exception)


def test_no_serial_past_9999(repo, monkeypatch):
    (repo / "session.yaml").write_text(SESSION_YAML + "- symbol: PC9999E\n")
    before = (repo / "session.yaml").read_bytes()
    result = run(new_command, ["late", "--title", "Late"], repo, monkeypatch)
    assert result.exit_code == 1
    assert str(result.exception).splitlines() == [
        f"{repo / 'session.yaml'}: no serial left for PC: PC9999 is the last four-digit serial; "
        "pass --reference with a free one"
    ]
    assert (repo / "session.yaml").read_bytes() == before and not (repo / "late").exists()


def test_concurrent_new_of_the_same_folder_exactly_one_wins(repo):
    script = (
        "import sys; from wcodoc.workflow.newdoc import create_document; "
        "print(create_document(sys.argv[1], title=sys.argv[2]).symbol)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(repo / "same"), f"Title {i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [(p.communicate(timeout=60), p.returncode) for p in procs]
    winners = [out for (out, _), code in results if code == 0]
    assert len(winners) == 1, results
    assert all("already exists" in err for (_, err), code in results if code != 0)
    text = (repo / "session.yaml").read_text()
    assert text.count("folder: same") == 1
    assert winners[0].strip() in (repo / "same" / "document.yaml").read_text()


def test_new_inside_a_document_folder_is_refused(repo, monkeypatch):
    before = (repo / "session.yaml").read_bytes()
    result = run(new_command, ["smart-customs/inner", "--title", "Inner"], repo, monkeypatch)
    assert result.exit_code == 1
    assert "inside the document folder smart-customs/" in str(result.exception)
    assert (repo / "session.yaml").read_bytes() == before
    assert not (repo / "smart-customs" / "inner").exists()


def test_register_change_does_not_make_other_documents_out_of_date(repo):
    from wcodoc.load.sessionconfig import read_session
    from wcodoc.session.documents import build_session, document_status

    build_session(read_session(repo / "session.yaml"), ("docx",))
    assert document_status(repo / "smart-customs", ("docx",)).up_to_date
    create_document(repo / "second", title="Second")
    assert document_status(repo / "smart-customs", ("docx",)).up_to_date
    assert "folder: second" in (repo / "session.yaml").read_text()


def test_first_document_follows_the_highest_serial_reserved(repo):
    assert "reference: PC0791Ea" in (repo / "smart-customs" / "document.yaml").read_text()


# --- hints and warnings -----------------------------------------------------------------


def test_build_and_check_at_the_session_root_point_to_session_commands(repo, monkeypatch):
    from wcodoc.commands.build import build as build_command
    from wcodoc.commands.check import check as check_command

    for command in (build_command, check_command):
        result = run(command, [], repo, monkeypatch)
        text = result.output + str(result.exception)
        assert "not a wcodoc project" in text
        assert "'wcodoc session build'" in text and "'wcodoc session list'" in text


def test_revise_warns_about_an_unlikely_issue_date(repo, monkeypatch):
    doc = repo / "smart-customs" / "document.yaml"
    result = run(revise_command, ["smart-customs", "--issued", "2023-01-15"], repo, monkeypatch)
    assert result.exit_code == 0, result.output
    assert (
        "smart-customs/document.yaml:6: issued: 2023-01-15 is earlier than the previous draft's 2023-02-01"
        in result.output
    )
    later = run(revise_command, ["smart-customs", "--issued", "2023-04-01"], repo, monkeypatch)
    assert "issued: 2023-04-01 is after the meeting's last day (2023-03-24) [issued]" in later.output
    assert "reference: PC0791Ec" in doc.read_text()  # warnings only: both revisions were made


# --- translation status ----------------------------------------------------------------

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
    from wcodoc.commands.session import session as session_command

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
            },
            {
                "folder": "smart-customs-fr",
                "reference": "PC0791Fa",
                "translation_of": "smart-customs",
                "follows": "PC0791Eb",
                "original": "PC0791Ec",
                "behind": True,
                "changed_paragraphs": ["2", "5"],
            },
        ]
    }


def test_follow_refuses_a_document_that_is_no_translation(repo, monkeypatch):
    from wcodoc.commands.session import session as session_command

    result = run(session_command, ["follow", "smart-customs"], repo, monkeypatch)
    assert result.exit_code != 0 and "translation_of: not set" in str(result.exception)


# --- the whole scenario of issue 10, end to end -------------------------------------------


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
