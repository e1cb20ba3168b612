"""``wcodoc session list``: the documents, serials reserved, symbols used twice, misplaced projects."""

from __future__ import annotations

import re
import shutil

from click.testing import CliRunner

from tests.session.folders import SESSION_YAML, write_doc
from wcodoc.commands.new import new as new_command
from wcodoc.commands.session import session as session_command


def test_session_list(session_dir, monkeypatch):
    monkeypatch.chdir(session_dir / "one")  # any folder inside the session works
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "PC068" in line]
    assert len(rows) == 2
    cells = re.split(r"\s{2,}", rows[0].strip())
    assert cells == [
        *("one", "PC0685Ea", "working-document", "V", "one"),
        *("a", "2022-03-07", "never", "not built"),
    ]


def test_outside_a_session(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code != 0 and "not inside a session folder" in str(result.exception)


def test_session_list_names_the_folder_and_never_cuts_a_word(session_dir, monkeypatch):
    """Piped (as here) the table takes the width it needs, however narrow COLUMNS is."""
    long = "a-folder-name-much-longer-than-any-column-would-be"
    write_doc(session_dir, long, "PC0687E2a")
    (session_dir / long / "document.yaml").write_text(
        "reference: PC0687E2a\ntitle: Supercalifragilistic customs interoperability\nissued: 2022-03-07\n"
    )
    monkeypatch.chdir(session_dir)
    monkeypatch.setenv("COLUMNS", "40")
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Session {session_dir.name} ({session_dir / 'session.yaml'})"
    row = next(line for line in lines if long in line)
    cells = re.split(r"\s{2,}", row.strip())
    assert cells[:6] == [
        long,
        "PC0687E2a",
        "working-document",
        "Supercalifragilistic customs interoperability",
        "2a",
        "2022-03-07",
    ]
    assert all(line == line.rstrip() for line in lines)


def test_session_list_flags_duplicates_and_shows_reserved_and_misplaced(session_dir, monkeypatch):

    shutil.copytree(session_dir / "one", session_dir / "one-copy")
    (session_dir / "session.yaml").write_text(
        SESSION_YAML + "register:\n- symbol: PC0690E   # for Korea\n  title: Korean pilot\n"
    )
    write_doc(session_dir / "two", "nested", "PC0699Ea")
    monkeypatch.chdir(session_dir)
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code == 0, result.output
    rows = {re.split(r"\s{2,}", line.strip())[0]: line for line in result.output.splitlines()}
    assert "duplicate symbol (also one-copy/)" in rows["one"]
    assert "duplicate symbol (also one/)" in rows["one-copy"]
    assert "duplicate" not in rows["two"]
    reserved = rows["PC0690E"]
    assert "Korean pilot" in reserved and "reserved (session.yaml:7)" in reserved
    assert f"not built: move it to {session_dir.name}/nested" in rows["two/nested"]


def test_session_list_flags_a_serial_the_register_holds_twice(session_dir, monkeypatch):
    # Two `wcodoc new` on two branches, merged: both took PC0691E. Nothing said so.
    (session_dir / "session.yaml").write_text(
        SESSION_YAML + "register:\n"
        "- symbol: PC0691E\n  folder: alpha\n"
        "- symbol: PC0790E   # Korea\n"
        "- symbol: PC0691E\n  folder: beta\n"
        "- symbol: PC0790E   # Korea again\n"
    )
    monkeypatch.chdir(session_dir)
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code == 0, result.output
    rows = {re.split(r"\s{2,}", line.strip())[0]: line for line in result.output.splitlines()}
    assert (
        "registered twice: alpha/ (session.yaml:7), beta/ (session.yaml:10); keep one entry"
        in rows["PC0691E"]
    )
    assert "registered twice: reserved (session.yaml:9), reserved (session.yaml:12)" in rows["PC0790E"]
    assert sum("PC0790E" in line for line in result.output.splitlines()) == 1  # not also as reserved


def test_session_list_shows_a_reports_kind_and_the_title_it_is_given(session_dir, monkeypatch):
    monkeypatch.chdir(session_dir)
    made = CliRunner().invoke(new_command, ["report", "--kind", "report", "--issued", "2022-05-02"])
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("COLUMNS", "300")
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.strip().startswith("report "))
    assert re.split(r"\s{2,}", row.strip())[:5] == [
        "report",
        "PC0687Ea",
        "report",
        "Report to the Customs Co-operation Council on the 235th/236th Sessions of the Permanent "
        "Technical Committee",
        "a",
    ]
