"""Each document's state (built, fresh, missing outputs) and the parallel session build."""

from __future__ import annotations

import os
import time

from click.testing import CliRunner

from tests.session.folders import write_doc
from wcodoc.commands.session import session as session_command
from wcodoc.load.sessionconfig import read_session
from wcodoc.session.documents import build_session, document_status


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
