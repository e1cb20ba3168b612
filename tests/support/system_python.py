"""Run a support script under the system Python, which has LibreOffice's ``uno`` bridge."""

from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
SUPPORT = Path(__file__).resolve().parent
TIMEOUT = 120
LIST_NUMBER = re.compile(r"^\s*(?:\d+|[IVXLC]+|[a-z])\.\s+")


@functools.cache
def has_uno() -> bool:
    """Whether the system Python can import ``uno``."""
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


def run_script(script: str, *args: str) -> None:
    """Run ``tests/support/<script>`` with ``args``; fail the test if it fails or hangs."""
    proc = subprocess.Popen(
        [SYSTEM_PYTHON, str(SUPPORT / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{script} did not finish within {TIMEOUT} s")
    assert proc.returncode == 0, err.decode("utf-8", "replace")


def text_lines(path: Path) -> list[str]:
    """The lines of a text file LibreOffice saved, list numbers and blank lines left out."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [" ".join(LIST_NUMBER.sub("", line).split()) for line in lines if line.strip()]
