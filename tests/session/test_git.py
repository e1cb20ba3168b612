"""A session folder kept inside a git repository: ``diff`` of a revision and ``revise --redline``
of a document in a subfolder, hints at the session's root."""

from __future__ import annotations

from tests.session.folders import GIT_SESSION_YAML, commit, edit, run
from wcodoc.commands.diff import diff as diff_command
from wcodoc.commands.output import format_error
from wcodoc.commands.revise import revise as revise_command
from wcodoc.errors import WcodocError
from wcodoc.workflow import revise as revise_module


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
    (repo / "session.yaml").write_text(GIT_SESSION_YAML.replace("[237, 238]", "[239, 240]"))
    result = run(diff_command, ["HEAD", "--format", "json"], repo / "smart-customs", monkeypatch)
    assert result.exit_code == 0, result.output
    assert '"field": "sessions"' in result.output


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
