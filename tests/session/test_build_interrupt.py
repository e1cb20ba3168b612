"""Ctrl-C or SIGTERM during ``wcodoc session build``: the queued documents are dropped, the
LibreOffice processes under way are killed, and wcodoc exits at once with a failure status."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ctrl_c_restored, group_gone
from tests.session.folders import write_session

# A LibreOffice that never finishes; each one notes its process group.
# Started without --convert-to (the LibreOffice a build starts early), it just idles.
HANGING_SOFFICE = (
    '#!/bin/sh\ncase "$*" in *--convert-to*) ;; *) exec sleep 300;; esac\n'
    'echo $$ >> "{started}"\nsleep 300 & sleep 300\n'
)


def started_groups(started: Path) -> list[int]:
    return [int(line) for line in started.read_text().split()] if started.exists() else []


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupted_session_build_stops_at_once(tmp_path, how):
    session = write_session(tmp_path / "session", 6)
    started, soffice = tmp_path / "started", tmp_path / "soffice"
    soffice.write_text(HANGING_SOFFICE.format(started=started))
    soffice.chmod(0o755)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wcodoc",
            "session",
            "build",
            "-s",
            str(session),
            "--format",
            "pdf",
            "-j",
            "2",
        ],
        env={**os.environ, "WCODOC_SOFFICE": str(soffice), "WCODOC_PDF_SERVER": "off"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_restored,
    )
    try:
        deadline = time.monotonic() + 60
        while len(started_groups(started)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(started_groups(started)) == 2, proc.communicate()  # both workers converting
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: wcodoc's group only
        else:
            os.kill(proc.pid, signal.SIGTERM)
        interrupted = time.monotonic()
        _, stderr = proc.communicate(timeout=30)
        assert time.monotonic() - interrupted < 10
        assert proc.returncode != 0 and "Interrupted." in stderr
        assert all(group_gone(group) for group in started_groups(started))
        assert len(started_groups(started)) == 2  # the four queued documents never started
        assert list(session.glob("*/build/*.pdf")) == []
    finally:
        for group in [proc.pid, *started_groups(started)]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        proc.wait()
