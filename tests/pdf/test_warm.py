"""Warm converters for a batch (``wcodoc.pdf.warm``): with nothing set up, ``wcodoc session
build`` starts PDF servers of its own, converts through them, and leaves no LibreOffice,
unoserver, profile folder or socket file behind, however it ends: success, a failed document,
Ctrl-C, SIGTERM, or wcodoc killed outright. Conversions spread over the servers; one that dies
mid-batch is dropped and its document converted by another."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ctrl_c_restored, pdf_text
from tests.pdf.test_convert import make_docx, unused_port
from tests.pdf.test_server import RunningServer, _unoserver_missing
from tests.session.folders import write_session
from tests.support.pipes import office_pipes
from tests.workflow.test_watch import next_event
from wcodoc.pdf import client
from wcodoc.pdf import convert as convert_module
from wcodoc.pdf.convert import convert_to_pdf
from wcodoc.pdf.warm import warm_converters
from wcodoc.workflow.revise import revise_with_redline
from wcodoc.workflow.watch import watch_project

pytestmark = pytest.mark.libreoffice


@pytest.fixture(autouse=True)
def needs_unoserver():
    if reason := _unoserver_missing():
        pytest.skip(reason)


class Watched:
    """What a command started, seen from outside while it runs: the processes whose command
    line names ``folder`` (its TMPDIR, where every server's profile lives) and the socket
    files LibreOffice's among them listen on in /tmp."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pids: set[int] = set()
        self.pipes: set[str] = set()
        self.names: dict[int, str] = {}
        self.commands: dict[int, bytes] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Watched:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.scan()
            time.sleep(0.02)

    def scan(self) -> None:
        mark = str(self.folder).encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            with contextlib.suppress(OSError):
                if mark in (command := Path(f"/proc/{entry}/cmdline").read_bytes()):
                    pid = int(entry)
                    self.pids.add(pid)
                    self.commands[pid] = command
                    self.names[pid] = Path(f"/proc/{entry}/comm").read_text().strip()
                    self.pipes |= office_pipes([pid])

    def offices(self) -> set[int]:
        """The LibreOffice processes seen so far."""
        return {pid for pid, name in self.names.items() if name == "soffice.bin"}

    def servers(self) -> set[int]:
        """The PDF servers (unoserver launchers) seen so far: LibreOffice may restart itself
        once on a fresh profile, so its own processes do not count servers."""
        return {pid for pid, command in self.commands.items() if b"unoserver_launcher" in command}

    def left(self, within: float = 15, folders: str = "*") -> list[str]:
        """What is still there after ``within`` seconds: live processes, socket files, folders
        (those matching ``folders``)."""
        deadline = time.monotonic() + within
        while True:
            remains = [
                *(f"process {pid} ({self.names.get(pid)})" for pid in self.pids if _alive(pid)),
                *(f"socket file {pipe}" for pipe in self.pipes if os.path.exists(pipe)),
                *(f"folder {path.name}" for path in self.folder.glob(folders)),
            ]
            if not remains or time.monotonic() > deadline:
                return remains
            time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def tmpdir_(tmp_path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def session_build(session: Path, tmpdir: Path, *extra: str, **env: str) -> subprocess.Popen[str]:
    """``wcodoc session build`` of ``session`` in a session of its own, as from a terminal,
    with no PDF server answering where it looks."""
    return subprocess.Popen(
        [sys.executable, "-m", "wcodoc", "session", "build", "-s", str(session), "--format", "pdf", *extra],
        env={
            **os.environ,
            "TMPDIR": str(tmpdir),
            "WCODOC_PDF_SERVER": f"127.0.0.1:{unused_port()}",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=ctrl_c_restored,
    )


def summary(stderr: str) -> dict[str, int]:
    """``host:port`` → PDFs made, from the build's line ``PDFs: 4 by 127.0.0.1:40211 …``."""
    line = next((line for line in stderr.splitlines() if line.startswith("PDFs:")), "")
    return {server: int(count) for count, server in re.findall(r"(\d+) by (\S+?:\d+)", line)}


def test_a_session_build_with_nothing_set_up_converts_through_servers_it_started(tmp_path, tmpdir_):
    session = write_session(tmp_path / "session", 4)
    with Watched(tmpdir_) as watched:
        build = session_build(session, tmpdir_)
        _, stderr = build.communicate(timeout=300)
    assert build.returncode == 0, stderr
    assert "4 built, 0 up to date, 0 failed" in stderr
    assert "(started for this build)" in stderr
    made = summary(stderr)
    assert sum(made.values()) == 4 and all(server.startswith("127.0.0.1:") for server in made), stderr
    assert "by a LibreOffice of their own" not in stderr  # no document started its own
    for n in range(4):
        assert "Text." in pdf_text(session / f"doc{n}" / "build" / f"PC068{n}Ea.pdf")
    assert watched.offices(), "no LibreOffice was seen running for the build"
    assert watched.pipes, "no socket file of LibreOffice's was seen"
    assert watched.left() == []


def test_a_failed_document_leaves_nothing_either(tmp_path, tmpdir_):
    session = write_session(tmp_path / "session", 4)
    (session / "doc2" / "document.yaml").write_text("reference: PC0682Ea\ntitle: [unclosed\n")
    with Watched(tmpdir_) as watched:
        build = session_build(session, tmpdir_)
        _, stderr = build.communicate(timeout=300)
    assert build.returncode == 1
    assert "3 built, 0 up to date, 1 failed" in stderr and "doc2" in stderr
    assert sum(summary(stderr).values()) == 3
    assert watched.offices()
    assert watched.left() == []


def _interrupted(tmp_path: Path, tmpdir: Path, interrupt) -> tuple[Watched, subprocess.Popen[str], str]:
    """A session build interrupted by ``interrupt(process)`` once it has made its first PDF,
    while its server converts the next ones."""
    session = write_session(tmp_path / "session", 10)
    with Watched(tmpdir) as watched:
        build = session_build(session, tmpdir)
        try:
            deadline = time.monotonic() + 120
            while (
                not list(session.glob("*/build/*.pdf"))
                and build.poll() is None
                and time.monotonic() < deadline
            ):
                time.sleep(0.01)
            assert watched.offices(), "the build started no LibreOffice"
            interrupt(build)
            interrupted = time.monotonic()
            _, stderr = build.communicate(timeout=60)
            assert time.monotonic() - interrupted < 15
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(build.pid, signal.SIGKILL)
    return watched, build, stderr


@pytest.mark.parametrize(
    "interrupt",
    [
        pytest.param(lambda build: os.killpg(build.pid, signal.SIGINT), id="ctrl-c"),  # the terminal's
        pytest.param(lambda build: build.send_signal(signal.SIGTERM), id="sigterm"),
    ],
)
def test_an_interrupted_session_build_leaves_nothing(tmp_path, tmpdir_, interrupt):
    watched, build, stderr = _interrupted(tmp_path, tmpdir_, interrupt)
    assert build.returncode == 130 and "Interrupted." in stderr
    assert len(list((tmp_path / "session").glob("*/build/*.pdf"))) < 10  # interrupted mid-batch
    assert watched.left() == []


def test_a_session_build_killed_outright_leaves_nothing(tmp_path, tmpdir_):
    """SIGKILL gives wcodoc no chance to clean up: the servers' launchers see their standard
    input close and kill their LibreOffice, delete its profile and its socket file."""
    watched, build, _ = _interrupted(tmp_path, tmpdir_, lambda build: build.send_signal(signal.SIGKILL))
    assert build.returncode == -signal.SIGKILL
    assert len(list((tmp_path / "session").glob("*/build/*.pdf"))) < 10  # killed mid-batch
    # The build's own temporary folder (wcodoc-…) stays: nothing is left to remove it.
    assert watched.left(folders="wcodoc-pdf-server-*") == []


def test_two_servers_started_for_a_batch_both_convert(tmp_path, monkeypatch):
    monkeypatch.setenv("WCODOC_PDF_SERVER", f"127.0.0.1:{unused_port()}")
    docx = make_docx(tmp_path / "small.docx")
    with warm_converters(2) as servers:
        assert servers is not None and servers.started

        def convert(n: int) -> None:
            client.use_servers(servers)
            convert_to_pdf(docx, tmp_path / f"out{n}.pdf")

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(convert, range(6)))
        made = dict(servers.converted)
    assert len(made) == 2 and sum(made.values()) == 6 and min(made.values()) >= 1, made
    assert servers.cold == 0
    assert all("quokka ledgers" in pdf_text(tmp_path / f"out{n}.pdf") for n in range(6))


def test_a_server_whose_port_was_taken_meanwhile_is_started_again_on_another(tmp_path, monkeypatch):
    # The port is free when chosen, but another program may listen on it before unoserver does.
    from wcodoc.pdf import warm

    monkeypatch.setenv("WCODOC_PDF_SERVER", f"127.0.0.1:{unused_port()}")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    taken_port = taken.getsockname()[1]
    ports = iter([taken_port])
    real_free_port = warm.free_port
    monkeypatch.setattr(warm, "free_port", lambda: next(ports, None) or real_free_port())
    docx = make_docx(tmp_path / "small.docx")
    with taken, warm_converters(1) as servers:
        assert servers is not None
        convert_to_pdf(docx, tmp_path / "out.pdf")
        made = dict(servers.converted)
    assert list(made.values()) == [1] and servers.cold == 0
    assert taken_port not in {port for _, port in made}


@pytest.fixture
def two_servers(tmp_path_factory) -> Iterator[tuple[RunningServer, RunningServer]]:
    started = (RunningServer(tmp_path_factory.mktemp("a")), RunningServer(tmp_path_factory.mktemp("b")))
    try:
        for server in started:
            server.banner = server.next_line()
        yield started
    finally:
        for server in started:
            server.close()


def test_a_server_killed_mid_batch_is_dropped_and_its_document_converted_elsewhere(tmp_path, two_servers):
    first, second = two_servers
    session = write_session(tmp_path / "session", 6)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    killed_while_converting: list[int] = []

    def kill_first_mid_conversion() -> None:
        deadline = time.monotonic() + 120
        while first.conversions() == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        os.killpg(first.proc.pid, signal.SIGKILL)  # wcodoc pdf-server: its launcher then kills LibreOffice
        killed_while_converting.append(first.conversions())

    killer = threading.Thread(target=kill_first_mid_conversion)
    killer.start()
    build = session_build(
        session,
        tmpdir,
        "-j",
        "2",
        WCODOC_PDF_SERVER=f"{first.address},{second.address}",
        WCODOC_SOFFICE=str(tmp_path / "no-soffice"),  # every PDF must come from a server
    )
    _, stderr = build.communicate(timeout=300)
    killer.join()
    assert build.returncode == 0, stderr
    assert "6 built, 0 up to date, 0 failed" in stderr
    made = summary(stderr)
    # The conversion under way on the first server when it died was made by the second.
    assert made[first.address] < killed_while_converting[0], (made, killed_while_converting)
    assert made[first.address] + made[second.address] == 6
    assert f"{first.address} stopped answering and was given up" in stderr


@pytest.fixture
def only_warm(monkeypatch, tmpdir_):
    """No PDF server answering where wcodoc looks, every PDF made by a warm converter (a cold
    conversion fails the test), and the converters' folders in ``tmpdir_``, where
    :class:`Watched` finds them."""
    monkeypatch.setenv("WCODOC_PDF_SERVER", f"127.0.0.1:{unused_port()}")
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir_))

    def no_cold(*args, **kwargs):
        raise AssertionError("a PDF was converted by a LibreOffice of its own")

    monkeypatch.setattr(convert_module, "_convert_cold", no_cold)


def test_a_watch_keeps_one_server_warm_and_stops_it_with_the_watch(make_project, tmpdir_, only_warm):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    with Watched(tmpdir_) as watched:
        thread = threading.Thread(
            target=watch_project,
            args=(root, events.put),
            kwargs={"formats": ("pdf",), "stop": stop},
            daemon=True,
        )
        thread.start()
        try:
            assert next_event(events, "built").fmt == "pdf"
            time.sleep(0.5)  # let the watcher settle before the change
            (root / "chapters" / "01.md").write_text("# A\n\nOne.\n\nTwo lemurs.\n")
            next_event(events, "changed")
            assert next_event(events, "built").fmt == "pdf"
            assert "Two lemurs." in pdf_text(root / "build" / "PC0685Ea.pdf")
            servers = watched.servers()
        finally:
            stop.set()
            thread.join(timeout=30)
        assert not thread.is_alive()
        # One LibreOffice made both PDFs, and went with the watch.
        assert len(servers) == 1 and watched.offices(), watched.names
        assert watched.left() == []


def test_revise_with_redline_converts_both_pdfs_through_one_server(make_project, tmpdir_, only_warm):
    root = make_project({"chapters/01.md": "# A\n\nText.\n"})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "a"], cwd=root, check=True)
    (root / "chapters" / "01.md").write_text("# A\n\nText.\n\nA new paragraph.\n")
    with Watched(tmpdir_) as watched:
        revision = revise_with_redline(root, issued=dt.date(2022, 4, 1), formats=("docx", "pdf"))
        servers = watched.servers()
        assert str(revision.new) == "PC0685Eb"
        assert "A new paragraph." in pdf_text(root / "build" / "PC0685Eb.pdf")
        assert "Changes from PC0685Ea to PC0685Eb" in pdf_text(root / "build" / "PC0685Eb-redline.pdf")
        assert len(servers) == 1 and watched.offices(), watched.names
        assert watched.left() == []
