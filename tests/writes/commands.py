"""The real command line in a subprocess, for the tests that interrupt it or run it twice at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ctrl_c_restored

TIMEOUT = 300


def environment(kill_at: str | None = None, signal: str = "KILL", **extra: str) -> dict[str, str]:
    """wcodoc's environment, with a test kill point (``WCODOC_TEST_KILL_AT``) when given."""
    env = {**os.environ, "WCODOC_PDF_SERVER": "off", **extra}
    env.pop("WCODOC_TEST_KILL_AT", None)
    if kill_at is not None:
        env.update(WCODOC_TEST_KILL_AT=kill_at, WCODOC_TEST_KILL_SIGNAL=signal)
    return env


def start(*args: str | Path, cwd: Path, kill_at: str | None = None, **extra: str) -> subprocess.Popen:
    """``wcodoc ARGS`` started in ``cwd`` (not waited for)."""
    return subprocess.Popen(
        [sys.executable, "-m", "wcodoc", *map(str, args)],
        cwd=cwd,
        env=environment(kill_at, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_restored,  # some are interrupted
    )


def wcodoc(
    *args: str | Path, cwd: Path, kill_at: str | None = None, **extra: str
) -> subprocess.CompletedProcess:
    """``wcodoc ARGS`` run in ``cwd`` to its end (or to the kill point ``kill_at``)."""
    return subprocess.run(
        [sys.executable, "-m", "wcodoc", *map(str, args)],
        cwd=cwd,
        env=environment(kill_at, **extra),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=ctrl_c_restored,  # a kill point may send SIGINT
    )


def finished(proc: subprocess.Popen, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """``proc`` waited for, as :func:`wcodoc` gives it."""
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def killed(result: subprocess.CompletedProcess) -> bool:
    """Whether the command ended at its kill point (SIGKILL), not by itself."""
    return result.returncode == -9


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` → its bytes; outputs and caches, and what an interrupted
    command leaves for the next one (:func:`leftovers`), left out."""
    left = set(leftovers(root))
    return {
        rel: p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and "build" not in (rel := p.relative_to(root).as_posix()).split("/")
        and not any(rel == item or rel.startswith(item + "/") for item in left)
    }


def leftovers(root: Path) -> list[str]:
    """Journals, locks, staging folders and temporary files left under ``root``."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.name.endswith((".journal", ".lock", ".tmp")) or p.name == ".wcodoc-staging"
    )
