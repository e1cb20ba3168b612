"""Session folders: inherited values, session.yaml validation, list and parallel build."""

from __future__ import annotations

import os
import re
import time

import pytest
from click.testing import CliRunner

from wcodoc.commands.session import session as session_command
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.load.sessionconfig import read_session
from wcodoc.session.documents import build_session, document_status

SESSION_YAML = """\
committee: PC
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
meeting: hybrid
place: Brussels
"""


def write_doc(folder, name, reference, extra=""):
    root = folder / name
    (root / "chapters").mkdir(parents=True)
    (root / "document.yaml").write_text(
        f"reference: {reference}\ntitle: {name}\nissued: 2022-03-07\nagenda_item: V\n{extra}"
    )
    (root / "chapters" / "01.md").write_text("# A\n\nText.\n")
    return root


@pytest.fixture
def session_dir(tmp_path):
    (tmp_path / "session.yaml").write_text(SESSION_YAML)
    write_doc(tmp_path, "one", "PC0685Ea")
    write_doc(tmp_path, "two", "PC0686Ea", extra="meeting: virtual\n")
    return tmp_path


def errors(root) -> list[str]:
    with pytest.raises(WcodocError) as info:
        load_project(root)
    return [f"{p.path.name}:{p.line}: {p.message}" for p in info.value.problems or [info.value]]


def test_documents_inherit_unless_they_set_the_key(session_dir):
    one = load_project(session_dir / "one").meta
    two = load_project(session_dir / "two").meta
    assert one.sessions == (235, 236) and one.meeting == "hybrid" and one.dates.start.day == 25
    assert two.meeting == "virtual" and two.sessions == (235, 236)
    assert one.lines["meeting"][0].name == "session.yaml"
    assert two.lines["meeting"][0].name == "document.yaml"


def test_error_in_inherited_value_names_session_yaml(session_dir):
    (session_dir / "session.yaml").write_text(SESSION_YAML.replace("sessions: [235, 236]", "sessions: April"))
    assert errors(session_dir / "one") == [
        "session.yaml:2: sessions: expected one or two session numbers such as [235, 236], got 'April'"
    ]


def test_unknown_session_key_with_suggestion(session_dir):
    (session_dir / "session.yaml").write_text(SESSION_YAML + "metting: virtual\n")
    assert errors(session_dir / "one") == ["session.yaml:6: unknown key 'metting' (did you mean 'meeting'?)"]
    with pytest.raises(WcodocError) as info:
        read_session(session_dir / "session.yaml")
    assert (info.value.line, info.value.message) == (6, "unknown key 'metting' (did you mean 'meeting'?)")


def test_session_yaml_validation_reports_everything(session_dir):
    bad = SESSION_YAML.replace("committee: PC", "committee: PX") + "language: D\nregister: [XX1, PC0686E]\n"
    (session_dir / "session.yaml").write_text(bad)
    with pytest.raises(WcodocError) as info:
        read_session(session_dir / "session.yaml", ["NC", "PC"])
    found = [(p.line, p.message.split(":")[0]) for p in info.value.problems]
    assert found == [(1, "committee"), (6, "language"), (7, "register")]
    assert info.value.problems[0].message.endswith("known prefixes: NC, PC")


def test_status_tracks_inputs(session_dir):
    root = session_dir / "one"
    assert document_status(root).last_built is None
    build_session(read_session(session_dir / "session.yaml"), ("docx",), jobs=2)
    status = document_status(root, ("docx",))
    assert status.up_to_date and status.last_built is not None
    assert document_status(root).missing == ("pdf",)
    later = time.time() + 5
    os.utime(root / "chapters" / "01.md", (later, later))
    assert not document_status(root, ("docx",)).fresh


def test_session_build_skips_fresh_and_reports_failures(session_dir, monkeypatch):
    write_doc(session_dir, "three", "PC0687Ea", extra="sesions: [1]\n")
    monkeypatch.chdir(session_dir)
    runner = CliRunner()
    first = runner.invoke(session_command, ["build", "--format", "docx", "--jobs", "2"])
    assert first.exit_code == 1
    assert "2 built, 0 up to date, 1 failed" in first.output
    assert "three/document.yaml:5: unknown key 'sesions'" in first.output
    assert str(first.exception) == "1 of 3 documents failed: three"
    assert (session_dir / "one" / "build" / "PC0685Ea.docx").is_file()
    assert (session_dir / "two" / "build" / "PC0686Ea.docx").is_file()
    second = runner.invoke(session_command, ["build", "--format", "docx"])
    assert "0 built, 2 up to date, 1 failed" in second.output


def test_session_list(session_dir, monkeypatch):
    monkeypatch.chdir(session_dir / "one")  # any folder inside the session works
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(session_command, ["list"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "PC068" in line]
    assert len(rows) == 2
    cells = re.split(r"\s{2,}", rows[0].strip())
    assert cells == ["one", "PC0685Ea", "V", "one", "a", "2022-03-07", "never", "not built"]


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
    assert cells[:5] == [
        long,
        "PC0687E2a",
        "Supercalifragilistic customs interoperability",
        "2a",
        "2022-03-07",
    ]
    assert all(line == line.rstrip() for line in lines)


def test_session_list_flags_duplicates_and_shows_reserved_and_misplaced(session_dir, monkeypatch):
    import shutil

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
