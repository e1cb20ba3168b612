"""One command at a time: the project's and the session's locks, taken by every command that
writes sources, ``document.yaml`` or ``session.yaml``; a holder that is stopped, dead or in the
way named; commands run at once that take turns instead of losing each other's work."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.session.folders import commit, git_session
from tests.writes.commands import finished, start, wcodoc
from wcodoc.errors import WcodocError
from wcodoc.load.yamlio import load_yaml
from wcodoc.writes.lock import command_line, locked

# A process that takes the flock of a file (as any program may) and stops or sleeps holding it.
HOLD = (
    "import fcntl, os, signal, sys, time\n"
    "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
    "fcntl.flock(fd, fcntl.LOCK_EX)\n"
    "print('held', flush=True)\n"
    "os.kill(os.getpid(), signal.SIGSTOP) if sys.argv[2] == 'stop' else time.sleep(300)\n"
)


@contextlib.contextmanager
def holder(lock: Path, how: str) -> Iterator[subprocess.Popen]:
    """A process holding ``lock``, stopped (``how="stop"``) or sleeping; killed at the end."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lock), how], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        if how == "stop":
            wait_until_stopped(proc.pid)
        yield proc
    finally:
        proc.kill()
        proc.communicate()


def wait_until_stopped(pid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "T":
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} did not stop")


def test_a_lock_path_that_is_a_folder_is_one_clear_line(tmp_path):
    session = git_session(tmp_path)
    (session / "session.yaml.lock").unlink(missing_ok=True)  # left by the wcodoc of before
    (session / "session.yaml.lock").mkdir()
    before = (session / "session.yaml").read_bytes()
    result = wcodoc("new", "korea", "--title", "Korea", cwd=session)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "session.yaml.lock: is a folder, where wcodoc keeps the lock that lets one command at a "
        "time change these files; remove the folder and run this again"
    ]
    assert (session / "session.yaml").read_bytes() == before and not (session / "korea").exists()
    project = session / "smart-customs"
    (project / "document.yaml.lock").mkdir()
    result = wcodoc("revise", ".", cwd=project)
    assert result.returncode == 1 and result.stderr.startswith("document.yaml.lock: is a folder")
    assert "Traceback" not in result.stderr and "PC0791Ea" in (project / "document.yaml").read_text()


def test_a_lock_file_that_cannot_be_made_is_one_clear_line(tmp_path):
    session = git_session(tmp_path)
    (session / "session.yaml.lock").unlink(missing_ok=True)
    (session / "session.yaml.lock").symlink_to(tmp_path / "gone" / "lock")
    result = wcodoc("new", "korea", "--title", "Korea", cwd=session)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "session.yaml.lock: cannot open the lock file: No such file or directory"
    ]


def test_a_stopped_holder_is_named_then_its_lock_taken_over_once_it_is_dead(tmp_path):
    session = git_session(tmp_path)
    with holder(session / "session.yaml.lock", "stop") as proc:
        started = time.monotonic()
        result = wcodoc("new", "korea", "--title", "Korea", cwd=session)
        assert time.monotonic() - started < 30
        assert result.returncode == 1
        assert result.stderr.startswith(f"session.yaml.lock: locked by process {proc.pid} (")
        assert result.stderr.rstrip().endswith(
            f"which is stopped; resume it (fg, or kill -CONT {proc.pid}) or end it, then run this again"
        )
        assert not (session / "korea").exists()
        proc.kill()
        proc.wait()
        started = time.monotonic()
        result = wcodoc("new", "korea", "--title", "Korea", cwd=session)
        assert result.returncode == 0, result.stderr
        assert time.monotonic() - started < 10  # taken over at once, not after a time-out
    assert "folder: korea" in (session / "session.yaml").read_text()
    assert not (session / "session.yaml.lock").exists()  # removed by the command that held it


def test_a_running_holder_is_waited_for_then_named(tmp_path):
    session = git_session(tmp_path)
    with holder(session / "session.yaml.lock", "sleep") as proc:
        result = wcodoc("new", "korea", "--title", "Korea", cwd=session, WCODOC_LOCK_TIMEOUT="1")
    assert result.returncode == 1
    assert result.stderr.startswith(f"session.yaml.lock: still locked by process {proc.pid} (")
    assert "after 1 s; let it finish (or end it), then run this again (WCODOC_LOCK_TIMEOUT" in result.stderr


def test_a_stopped_wcodoc_is_named_with_its_command(tmp_path):
    session = git_session(tmp_path)
    first = start("new", "first", "--title", "First", cwd=session, kill_at="lock:held", signal="STOP")
    try:
        wait_until_stopped(first.pid)
        result = wcodoc("new", "second", "--title", "Second", cwd=session)
        assert result.returncode == 1
        assert result.stderr.startswith(
            f"session.yaml.lock: locked by process {first.pid} (wcodoc new first --title First), "
            "which is stopped"
        )
        os.kill(first.pid, signal.SIGCONT)  # resumed, it finishes; then the second goes through
        assert finished(first).returncode == 0
    finally:
        first.kill()
        first.wait()
    assert wcodoc("new", "second", "--title", "Second", cwd=session).returncode == 0
    entries = load_yaml(session / "session.yaml")["register"]
    assert [(e["symbol"], e.get("folder")) for e in entries[-3:]] == [
        ("PC0791E", "smart-customs"),
        ("PC0792E", "first"),
        ("PC0793E", "second"),
    ]


def test_four_revisions_at_once_take_turns(tmp_path):
    project = git_session(tmp_path) / "smart-customs"
    procs = [start("revise", ".", "--issued", "2023-03-01", cwd=project) for _ in range(4)]
    results = [finished(p) for p in procs]
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert sorted(r.stdout.splitlines()[0] for r in results) == [
        f"PC0791E{a} → PC0791E{b}, issued 2023-03-01" for a, b in ("ab", "bc", "cd", "de")
    ]
    data = load_yaml(project / "document.yaml")
    assert data["reference"] == "PC0791Ee" and data["history"] == [
        "PC0791Ea",
        "PC0791Eb",
        "PC0791Ec",
        "PC0791Ed",
    ]


def test_four_use_cases_of_one_id_at_once_make_one_file(tmp_path):
    project = git_session(tmp_path) / "smart-customs"
    procs = [
        start("usecases", "new", "kr-export", "-p", ".", "--title", f"T{i}", cwd=project) for i in range(4)
    ]
    results = [finished(p) for p in procs]
    assert sorted(r.returncode for r in results) == [0, 1, 1, 1], [r.stderr for r in results]
    assert all("id 'kr-export' is already used" in r.stderr for r in results if r.returncode)
    assert [p.name for p in (project / "annexes" / "use-cases").glob("*.md")] == ["01-kr-export.md"]


@pytest.mark.libreoffice
def test_two_members_copies_applied_at_once_both_land(tmp_path, lo_copies):
    """Korea's and Brazil's copies (edited in LibreOffice), applied at the same moment with
    --base: each change is written, none over the other."""
    project, base, korea, brazil = lo_copies(tmp_path)
    procs = [start("review", "apply", ".", copy, "--base", base, cwd=project) for copy in (korea, brazil)]
    results = [finished(p) for p in procs]
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert "met to study the pilot in great detail." in (project / "chapters" / "01-intro.md").read_text()
    updates = (project / "chapters" / "02-updates.md").read_text()  # both Members changed it
    assert "guidance on revenue and security." in updates  # Korea's
    assert "Capacity building remains the first priority" in updates  # Brazil's
    assert wcodoc("build", ".", "--format", "docx", cwd=project).returncode == 0


def test_session_follow_holds_the_projects_lock(tmp_path):
    session = git_session(tmp_path)
    assert wcodoc("new", "fr", "--translation-of", "smart-customs", cwd=session).returncode == 0
    commit(session.parent, "French version")
    with holder(session / "fr" / "document.yaml.lock", "sleep"):
        result = wcodoc("session", "follow", "fr", cwd=session, WCODOC_LOCK_TIMEOUT="0.5")
    assert result.returncode == 1 and "fr/document.yaml.lock: still locked by process" in result.stderr


def test_a_nested_block_is_free_and_another_thread_waits_as_another_process_would(tmp_path):
    guarded = tmp_path / "document.yaml"
    outcome: list[str] = []

    def other_thread() -> None:
        try:
            with locked(guarded, timeout=0.3):
                outcome.append("got it")
        except WcodocError as error:
            outcome.append(error.message)

    with locked(guarded):
        with locked(guarded):  # the same thread again: no wait
            pass
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert (tmp_path / "document.yaml.lock").exists()  # still held by the outer block
    assert outcome == [
        f"still locked by process {os.getpid()} ({command_line()}) after 0 s; let it "
        "finish (or end it), then run this again (WCODOC_LOCK_TIMEOUT sets how long to wait)"
    ]
    assert not (tmp_path / "document.yaml.lock").exists()


def test_four_session_inits_at_once_make_one_session(tmp_path):
    args = ("session", "init", "ptc", "--committee", "PC", "--sessions", "237", "--from", "2023-03-20")
    procs = [start(*args, "--to", "2023-03-24", "--place", place, cwd=tmp_path) for place in "ABCD"]
    results = [finished(p) for p in procs]
    assert sorted(r.returncode for r in results) == [0, 1, 1, 1], [r.stderr for r in results]
    assert all("ptc: already a session folder" in r.stderr for r in results if r.returncode)
    winner = next(r for r in results if r.returncode == 0)
    assert winner.stdout.splitlines()[:3] == [
        "wrote ptc/session.yaml",
        "wrote ptc/.gitignore",
        "wrote ptc/templates/",
    ]
