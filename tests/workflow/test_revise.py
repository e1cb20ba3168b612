"""wcodoc revise: symbol bumping, exact round-trip of document.yaml, history, redline."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile

import pikepdf
import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL_YAML, pdf_text
from wcodoc.commands.revise import revise as revise_command
from wcodoc.errors import WcodocError
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.load.yamledit import edit_yaml_text
from wcodoc.workflow.revise import next_symbol, revise_project

DAY = dt.date(2022, 4, 1)

# Comments, blank lines, odd spacing, quotes and flow lists the user chose must survive.
ODD_YAML = """\
# Working document  -- keep this header
reference:   'PC0685Ea'    # symbol, quoted on purpose

title:    Future of Customs
sessions: [235,236]
dates:
    from: 2022-04-25   # Monday
    to:   2022-04-29
issued:  2022-03-07
agenda_item: V
summary:
  purpose: >
      Folded text
      on two lines.
history:
    -   PC0685E     # first circulated without a letter
# trailing comment
"""


@pytest.mark.parametrize(
    ("before", "edition", "after"),
    [
        ("PC0685Ea", False, "PC0685Eb"),
        ("PC0685Ey", False, "PC0685Ez"),
        ("PC0685E", False, "PC0685Ea"),
        ("PC0345E1a", False, "PC0345E1b"),
        ("PC0685Fa", False, "PC0685Fb"),
        ("PC0345E1b", True, "PC0345E2a"),
        ("PC0685Ea", True, "PC0685E1a"),
        ("PC0685E", True, "PC0685E1a"),
        ("NC0160E8c", True, "NC0160E9a"),
    ],
)
def test_next_symbol_every_form(before, edition, after):
    assert str(next_symbol(DocumentSymbol.parse(before), edition=edition)) == after


def project_with(make_project, yaml: str):
    return make_project({"chapters/01.md": "# A\n\nText.\n"}, yaml=yaml)


def test_round_trip_changes_only_the_edited_values(make_project):
    root = project_with(make_project, ODD_YAML)
    revision = revise_project(root, issued=DAY)
    assert (str(revision.old), str(revision.new)) == ("PC0685Ea", "PC0685Eb")
    expected = (
        ODD_YAML.replace("'PC0685Ea'", "'PC0685Eb'")
        .replace("issued:  2022-03-07", "issued:  2022-04-01")
        .replace("first circulated without a letter\n", "first circulated without a letter\n    - PC0685Ea\n")
    )
    assert (root / "document.yaml").read_text(encoding="utf-8") == expected


def test_history_added_when_absent_and_project_still_loads(make_project):
    from wcodoc.load.project import load_project

    yaml = "reference: PC0685Ea   # symbol\ntitle: T\nissued: 2022-03-07\n"
    root = project_with(make_project, yaml)
    revise_project(root, issued=DAY)
    revise_project(root, issued=DAY + dt.timedelta(days=1))
    assert (root / "document.yaml").read_text() == (
        "reference: PC0685Ec   # symbol\ntitle: T\nissued: 2022-04-02\nhistory: [PC0685Ea, PC0685Eb]\n"
    )
    meta = load_project(root).meta
    assert meta.history == ("PC0685Ea", "PC0685Eb") and str(meta.symbol) == "PC0685Ec"


def test_edition_resets_letter(make_project):
    root = project_with(make_project, "reference: PC0345E1b\ntitle: T\nissued: 2022-03-07\nhistory: []\n")
    revise_project(root, issued=DAY, edition=True)
    assert (root / "document.yaml").read_text() == (
        "reference: PC0345E2a\ntitle: T\nissued: 2022-04-01\nhistory: [PC0345E1b]\n"
    )


def test_default_issue_date_is_today(make_project):
    root = project_with(make_project, "reference: PC0685Ea\ntitle: T\nissued: 2022-03-07\n")
    assert revise_project(root).issued == dt.date.today()
    assert f"issued: {dt.date.today().isoformat()}\n" in (root / "document.yaml").read_text()


def test_crlf_line_endings_are_kept(make_project):
    root = project_with(make_project, "")
    (root / "document.yaml").write_bytes(b"reference: PC0685Ea\r\ntitle: T\r\nissued: 2022-03-07\r\n")
    revise_project(root, issued=DAY)
    assert (root / "document.yaml").read_bytes() == (
        b"reference: PC0685Eb\r\ntitle: T\r\nissued: 2022-04-01\r\nhistory: [PC0685Ea]\r\n"
    )


def test_last_letter_is_an_error_naming_the_line(make_project):
    root = project_with(make_project, "title: T\nreference: PC0685Ez\nissued: 2022-03-07\n")
    with pytest.raises(WcodocError) as info:
        revise_project(root, issued=DAY)
    assert info.value.path.name == "document.yaml" and info.value.line == 2
    assert "no version letter after 'z'" in info.value.message
    assert "PC0685Ez" in (root / "document.yaml").read_text()  # untouched


def test_history_must_be_a_list(make_project):
    root = project_with(make_project, "reference: PC0685Ea\ntitle: T\nissued: 2022-03-07\nhistory: x\n")
    with pytest.raises(WcodocError, match="history: expected a list") as info:
        revise_project(root, issued=DAY)
    assert info.value.line == 4


def test_unusual_layout_falls_back_to_round_trip_dump():
    # A multi-line plain scalar cannot be replaced in place; the dump keeps the comment.
    text = "# note\nreference: PC0685Ea\nissued:\n  2022-03-07\n"
    edited = edit_yaml_text(text, "document.yaml", {"issued": DAY})
    assert edited.startswith("# note\nreference: PC0685Ea\n") and "2022-04-01" in edited


def test_cli_prints_old_and_new(make_project):
    root = project_with(make_project, "reference: PC0685Ea\ntitle: T\nissued: 2022-03-07\n")
    result = CliRunner().invoke(revise_command, [str(root), "--issued", "2022-04-01"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "PC0685Ea → PC0685Eb, issued 2022-04-01"


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_redline_against_committed_draft(make_project, tmp_path):
    root = project_with(make_project, "reference: PC0685Ea\ntitle: T\nissued: 2022-03-07\n")
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a")
    (root / "chapters" / "01.md").write_text("# A\n\nText.\n\nA new paragraph.\n")
    result = CliRunner().invoke(
        revise_command, [str(root), "--issued", "2022-04-01", "--redline", "--format", "docx"]
    )
    assert result.exit_code == 0, result.output
    redline = root / "build" / "PC0685Eb-redline.docx"
    assert (root / "build" / "PC0685Eb.docx").is_file()
    with zipfile.ZipFile(redline) as z:
        document = z.read("word/document.xml").decode()
    assert "<w:ins " in document and "A new paragraph." in document


def test_redline_outside_git_says_so(make_project):
    root = project_with(make_project, "reference: PC0685Ea\ntitle: T\nissued: 2022-03-07\n")
    result = CliRunner().invoke(
        revise_command,
        [str(root), "--redline", "--format", "docx"],
        env={"GIT_CEILING_DIRECTORIES": str(root.parent)},
    )
    assert result.exit_code != 0
    assert "not in a git repository" in str(result.exception)


def test_a_translation_is_revised_in_step_with_the_version_it_follows(tmp_path, monkeypatch):
    # The English went a → b → c; the translator caught up with c at once. Revising the French
    # gave PC0701Fb: the French of PC0701Ec must be PC0701Fc.
    from wcodoc.commands.session import session as session_command
    from wcodoc.workflow.newdoc import create_document

    (tmp_path / "session.yaml").write_text("committee: PC\nsessions: [237]\n")
    english = create_document(tmp_path / "en", title="T", reference="PC0701Ea", issued=DAY).root
    french = create_document(tmp_path / "fr", translation_of=english).root
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def revise(*args):
        return runner.invoke(revise_command, [*args, "--issued", "2022-04-02"])

    early = revise("fr")
    assert early.exit_code == 1
    assert "follows: PC0701Ea, so PC0701Fa is already in step with it; a translation is reissued" in str(
        early.exception
    )
    assert revise("en").exit_code == revise("en").exit_code == 0  # a → b → c
    behind = revise("fr")
    assert f"{french / 'document.yaml'}:" in str(behind.exception)
    assert (
        "its original is now PC0701Ec: once the translation is updated, run 'wcodoc session follow fr'"
        in (str(behind.exception))
    )
    assert runner.invoke(session_command, ["follow", "fr"]).exit_code == 0
    result = revise("fr")
    assert result.exit_code == 0, result.output
    assert "PC0701Fa → PC0701Fc" in result.output
    text = (french / "document.yaml").read_text()
    assert "reference: PC0701Fc\n" in text and "history: [PC0701Fa]\n" in text


def _committed_project(make_project):
    """A project with one paragraph, committed to git, then given a second paragraph."""
    root = project_with(make_project, MINIMAL_YAML)
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a")
    (root / "chapters" / "01.md").write_text("# A\n\nText.\n\nA new paragraph.\n\nLast words.\n")
    return root


def _authors(docx) -> set[str]:
    with zipfile.ZipFile(docx) as z:
        return set(re.findall(r'w:author="([^"]*)"', z.read("word/document.xml").decode()))


@pytest.mark.parametrize(
    ("options", "env", "author"),
    [
        (["--author", "Jane Doe"], {}, "Jane Doe"),
        ([], {"WCODOC_AUTHOR": "Secretariat"}, "Secretariat"),
    ],
)
def test_redline_is_signed_like_the_diffs(make_project, options, env, author):
    """``revise --redline`` signs its changes as ``diff`` does: ``--author``, else
    $WCODOC_AUTHOR, else git's user.name, never the organisation of ``document.yaml``."""
    root = _committed_project(make_project)
    result = CliRunner().invoke(
        revise_command,
        [str(root), "--issued", "2022-04-01", "--redline", "--format", "docx", *options],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert _authors(root / "build" / "PC0685Eb-redline.docx") == {author}


def test_redline_author_with_a_control_character_is_refused(make_project):
    root = _committed_project(make_project)
    result = CliRunner().invoke(
        revise_command, [str(root), "--redline", "--format", "docx", "--author", "A\x07B"]
    )
    assert result.exit_code != 0
    assert "control character" in str(result.exception)
    assert "PC0685Ea" in (root / "document.yaml").read_text()  # nothing changed


@pytest.mark.libreoffice
def test_redline_pdf_is_printed_like_the_diffs(make_project):
    """The redline PDF of ``revise`` is the printed redline of ``diff --pdf``: wcodoc's
    numbers (no LibreOffice recount such as "2.[3.]"), the "Changes from" line, dated with
    the new draft's issue date."""
    root = _committed_project(make_project)
    result = CliRunner().invoke(revise_command, [str(root), "--issued", "2022-04-01", "--redline"])
    assert result.exit_code == 0, result.output
    pdf = root / "build" / "PC0685Eb-redline.pdf"
    text = pdf_text(pdf)
    assert "Changes from PC0685Ea to PC0685Eb" in text
    assert "[" not in text
    numbers = [line.split()[0] for line in text.splitlines() if re.match(r"\s*\d+\.\s", line)]
    assert numbers == ["1.", "2.", "3."]
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/CreationDate"]) == "D:20220401120000Z"
