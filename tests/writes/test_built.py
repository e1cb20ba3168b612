"""Built files that keep hand edits: the record of what each build wrote, a build that refuses
to overwrite a DOCX edited since, ``session list`` that shows it, and a pair that an
interrupted build left half-renewed never called up to date."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.session.folders import plain_session
from tests.session.test_build_interrupt import HANGING_SOFFICE, started_groups
from tests.writes.commands import finished, start, wcodoc
from tests.writes.conftest import edited_in_libreoffice
from wcodoc.diff.extract import read_draft
from wcodoc.workflow.watch import BuildFailed, Built, WatchEvent, rebuild


def row(listing: str, folder: str) -> str:
    """The line of ``session list`` for ``folder``."""
    return next(line for line in listing.splitlines() if line.split()[:1] == [folder])


def texts(docx: Path) -> list[str]:
    return [block.text for block in read_draft(docx).blocks]


@pytest.mark.libreoffice
def test_a_built_docx_edited_by_hand_is_never_overwritten_without_a_word(tmp_path):
    session = plain_session(tmp_path)
    assert wcodoc("session", "build", cwd=session).returncode == 0
    built = session / "one" / "build" / "PC0685Ea.docx"
    untracked = [{"op": "replace", "find": "Text.", "with": "Text edited in Word.", "track": False}]
    edited_in_libreoffice(built, tmp_path / "edited.docx", "Anna Colleague", untracked)
    built.write_bytes((tmp_path / "edited.docx").read_bytes())
    edited = built.read_bytes()

    build = wcodoc("build", "one", cwd=session)
    assert build.returncode == 1
    assert build.stderr.splitlines() == [
        "one/build/PC0685Ea.docx: changed since wcodoc built it (edited by hand?); bring the edits "
        "into the sources with 'wcodoc review apply one one/build/PC0685Ea.docx', or pass --force "
        "to overwrite it"
    ]
    assert built.read_bytes() == edited
    listing = wcodoc("session", "list", cwd=session).stdout
    assert row(listing, "one").endswith("edited since built: PC0685Ea.docx")
    assert "edited" not in row(listing, "two")
    session_build = wcodoc("session", "build", cwd=session)
    assert session_build.returncode == 1 and "changed since wcodoc built it" in session_build.stderr
    assert "1 up to date, 1 failed" in session_build.stderr and built.read_bytes() == edited

    applied = wcodoc("review", "apply", "one", built, cwd=session)
    assert applied.returncode == 0, applied.stderr
    assert (session / "one" / "chapters" / "01.md").read_text() == "# A\n\nText edited in Word.\n"
    assert wcodoc("build", "one", cwd=session).returncode == 0  # its edit is in the sources now
    assert "Text edited in Word." in texts(built)
    assert "up to date" in row(wcodoc("session", "list", cwd=session).stdout, "one")


def test_force_overwrites_an_edited_output(tmp_path):
    session = plain_session(tmp_path)
    assert wcodoc("build", "one", "--format", "docx", cwd=session).returncode == 0
    built = session / "one" / "build" / "PC0685Ea.docx"
    fresh = built.read_bytes()
    built.write_bytes(fresh + b"\0")
    assert wcodoc("build", "one", "--format", "docx", cwd=session).returncode == 1
    assert wcodoc("build", "one", "--format", "docx", "--force", cwd=session).returncode == 0
    assert built.read_bytes() == fresh
    assert wcodoc("build", "one", "--format", "docx", cwd=session).returncode == 0


def test_an_output_the_record_does_not_list_is_the_builds_to_overwrite(tmp_path):
    session = plain_session(tmp_path)
    out = session / "one" / "build"
    out.mkdir()
    (out / "PC0685Ea.docx").write_bytes(b"built by a wcodoc before the record")
    assert wcodoc("build", "one", "--format", "docx", cwd=session).returncode == 0
    record = json.loads((out / ".wcodoc-outputs.json").read_text())
    assert list(record["outputs"]) == ["PC0685Ea.docx"]


@pytest.mark.parametrize("point", ["build:recorded-docx", "build:after-docx"])
def test_a_build_killed_while_renaming_never_takes_its_own_output_for_an_edit(tmp_path, point):
    session = plain_session(tmp_path)
    assert wcodoc("build", "one", "--format", "docx", cwd=session).returncode == 0
    (session / "one" / "chapters" / "01.md").write_text("# A\n\nText changed.\n")
    assert wcodoc("build", "one", "--format", "docx", cwd=session, kill_at=point).returncode == -9
    again = wcodoc("build", "one", "--format", "docx", cwd=session)
    assert again.returncode == 0, again.stderr
    assert "Text changed." in texts(session / "one" / "build" / "PC0685Ea.docx")


def test_ctrl_c_between_the_docx_and_the_pdf_is_not_up_to_date(tmp_path):
    """The first build stopped while LibreOffice converts: the DOCX is there, the PDF is not."""
    session = plain_session(tmp_path)
    started, soffice = tmp_path / "started", tmp_path / "soffice"
    soffice.write_text(HANGING_SOFFICE.format(started=started))
    soffice.chmod(0o755)
    proc = start("build", "one", cwd=session, WCODOC_SOFFICE=str(soffice))
    deadline = time.monotonic() + 60
    while not started_groups(started) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    assert finished(proc).returncode == 130
    assert (session / "one" / "build" / "PC0685Ea.docx").exists()
    assert not (session / "one" / "build" / "PC0685Ea.pdf").exists()
    assert "out of date (no PDF)" in row(wcodoc("session", "list", cwd=session).stdout, "one")


@pytest.mark.libreoffice
def test_a_pdf_older_than_the_docx_beside_it_is_out_of_date(tmp_path):
    """Built whole, then a source changed and the build stopped (Ctrl-C) after the DOCX: the
    PDF left from before does not match it, even when its time says otherwise."""
    session = plain_session(tmp_path)
    assert wcodoc("build", "one", cwd=session).returncode == 0
    (session / "one" / "chapters" / "01.md").write_text("# A\n\nText changed.\n")
    stopped = wcodoc("build", "one", cwd=session, kill_at="build:after-docx", signal="INT")
    assert stopped.returncode == 130 and "Interrupted." in stopped.stderr
    pdf = session / "one" / "build" / "PC0685Ea.pdf"
    subprocess.run(["touch", str(pdf)], check=True)  # newest of all: times alone would say fresh
    assert "out of date" in row(wcodoc("session", "list", cwd=session).stdout, "one")
    assert wcodoc("session", "build", cwd=session).stderr.count("built one") == 1
    assert "up to date" in row(wcodoc("session", "list", cwd=session).stdout, "one")


def test_watch_reports_the_edited_output_and_overwrites_it_with_force(tmp_path):
    session = plain_session(tmp_path)
    project = session / "one"
    assert wcodoc("build", "one", "--format", "docx", cwd=session).returncode == 0
    built = project / "build" / "PC0685Ea.docx"
    built.write_bytes(built.read_bytes() + b"edited")
    events: list[WatchEvent] = []
    rebuild(project, None, ("docx",), events.append)
    assert isinstance(events[0], BuildFailed) and "changed since wcodoc built it" in events[0].error.message
    rebuild(project, None, ("docx",), events.append, force=True)
    assert isinstance(events[1], Built) and not built.read_bytes().endswith(b"edited")
