"""wcodoc session init, the session's .gitignore and its templates/ folder (issue 10)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import docx_xml, paragraphs
from wcodoc.build import build_project
from wcodoc.commands.new import new as new_command
from wcodoc.commands.session import session as session_command
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.load.sessionconfig import read_session
from wcodoc.session.init import GITIGNORE_LINES
from wcodoc.workflow.newdoc import create_document

INIT = ["--committee", "PC", "--sessions", "237,238", "--from", "2023-03-20", "--to", "2023-03-24"]


BAD_DATES = ["--from", "2023-03-24", "--to", "2023-03-20"]


def init(tmp_path, *extra):
    return CliRunner().invoke(session_command, ["init", str(tmp_path / "ptc"), *INIT, *extra])


def test_init_writes_session_gitignore_and_templates(tmp_path):
    result = init(tmp_path, "--place", "Geneva", "--meeting", "hybrid", "--language", "F")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ptc"
    session = read_session(folder / "session.yaml")
    assert (session.committee, session.language) == ("PC", "F")
    assert session.data["sessions"] == [237, 238] and session.data["place"] == "Geneva"
    assert session.data["meeting"] == "hybrid"
    assert (folder / ".gitignore").read_text().splitlines() == list(GITIGNORE_LINES)
    assert (folder / "templates").is_dir() and not any((folder / "templates").iterdir())
    created = create_document(folder / "one", title="One")
    meta = load_project(created.root).meta
    assert str(meta.symbol) == "PC0001Fa" and meta.sessions == (237, 238) and meta.place == "Geneva"
    assert (meta.dates.start.isoformat(), meta.dates.end.isoformat()) == ("2023-03-20", "2023-03-24")


def test_init_refuses_bad_values_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(
        session_command,
        ["init", str(tmp_path / "ptc"), "--committee", "PX", "--sessions", "238,237", *BAD_DATES],
    )
    assert result.exit_code != 0
    lines = str(result.exception).splitlines()
    assert any("unknown body prefix 'PX'" in line for line in lines)
    assert any("session.yaml:4: sessions:" in line for line in lines)
    assert any(
        "session.yaml:5: dates: the range ends (2023-03-20) before it starts" in line for line in lines
    )
    assert not (tmp_path / "ptc").exists()


def test_init_refuses_an_existing_session(tmp_path):
    assert init(tmp_path).exit_code == 0
    before = (tmp_path / "ptc" / "session.yaml").read_bytes()
    again = init(tmp_path)
    assert again.exit_code != 0 and "already a session folder" in str(again.exception)
    inner = CliRunner().invoke(session_command, ["init", str(tmp_path / "ptc" / "sub"), *INIT])
    assert inner.exit_code != 0 and "inside the session" in str(inner.exception)
    assert (tmp_path / "ptc" / "session.yaml").read_bytes() == before


def test_new_writes_a_gitignore_when_the_session_has_none(tmp_path):
    folder = tmp_path / "ptc"
    folder.mkdir()
    (folder / "session.yaml").write_text("committee: PC\n")
    create_document(folder / "one", title="One")
    assert "build/" in (folder / ".gitignore").read_text().splitlines()
    (folder / ".gitignore").write_text("mine\n")
    create_document(folder / "two", title="Two")
    assert (folder / ".gitignore").read_text() == "mine\n"  # never changed once there


def test_session_templates_apply_to_every_document_unless_it_has_its_own(tmp_path):
    assert init(tmp_path).exit_code == 0
    folder = tmp_path / "ptc"
    (folder / "templates" / "labels-en.yaml").write_text(
        "summary: SESSION SUMMARY\nsubtitle: '= {subtitle} ='\n"
    )
    one = create_document(folder / "one", title="One").root
    two = create_document(folder / "two", title="Two").root
    (two / "templates").mkdir()
    (two / "templates" / "labels-en.yaml").write_text("summary: OWN SUMMARY\n")
    for root in (one, two):
        (root / "document.yaml").write_text(
            (root / "document.yaml").read_text() + "subtitle: Sub\nsummary:\n  purpose: P.\n"
        )
    texts = {}
    for root in (one, two):
        docx = build_project(root, None, ("docx",)).outputs["docx"]
        texts[root.name] = [t for _, t in paragraphs(docx_xml(docx))]
    assert "SESSION SUMMARY" in texts["one"] and "= Sub =" in texts["one"]
    assert "OWN SUMMARY" in texts["two"] and "= Sub =" in texts["two"]  # key by key over the session's
    assert "SUMMARY" not in texts["one"]


def test_first_serial_is_where_allocation_starts(tmp_path, monkeypatch):
    # The body's serials run on from earlier sessions: the first document was PC0001E, and the
    # only way out was --reference by hand for every document.
    result = init(tmp_path, "--first-serial", "720")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ptc"
    assert "first_serial: 720" in (folder / "session.yaml").read_text()
    monkeypatch.chdir(folder)
    runner = CliRunner()
    for name, shown in (("one", "PC0720Ea"), ("two", "PC0721Ea")):
        made = runner.invoke(new_command, [name, "--title", name.title()])
        assert made.exit_code == 0, made.output
        assert made.output.splitlines()[0] == f"created {name}/ as {shown}"
    assert str(load_project(folder / "two").meta.symbol) == "PC0721Ea"


def test_first_serial_out_of_range_is_refused(tmp_path):
    result = init(tmp_path, "--first-serial", "10000")
    assert result.exit_code == 2 and "--first-serial" in result.output
    assert not (tmp_path / "ptc").exists()
    (tmp_path / "hand").mkdir()
    (tmp_path / "hand" / "session.yaml").write_text("committee: PC\nfirst_serial: seven\n")
    with pytest.raises(WcodocError) as info:
        create_document(tmp_path / "hand" / "one", title="One")
    assert "session.yaml:2: first_serial: expected a serial from 1 to 9999" in str(info.value)
