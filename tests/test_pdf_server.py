"""The warm PDF server: started as `wcodoc pdf-server` would be, converted through, stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wcodoc.errors import WcodocError
from wcodoc.pdf import convert
from wcodoc.pdf import server as pdfserver
from wcodoc.pdf.convert import convert_to_pdf, server_health

from .conftest import pdf_text
from .test_convert import assert_pdf_a_tagged_with_outline, group_gone, make_docx, pdf_info

pytestmark = pytest.mark.libreoffice
START_TIMEOUT = 60


@pytest.fixture(scope="module", autouse=True)
def uno_bridge():
    try:
        convert.uno_python()
    except WcodocError as exc:
        pytest.skip(str(exc))


def descendants(root: int) -> set[int]:
    """Every live process below ``root`` (LibreOffice runs in a session of its own)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited while we looked
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def all_exited(pids: set[int], within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = {
            pid
            for pid in pids
            if Path(f"/proc/{pid}").exists()
            and " Z " not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]
        }
        if not alive:
            return True
        time.sleep(0.1)
    return False


class RunningServer:
    """``wcodoc pdf-server`` in a session of its own, as if started in another terminal."""

    def __init__(self, tmp: Path):
        self.port = pdfserver._free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.stderr = tmp / "server.log"
        self.tmpdir = tmp / "server-tmp"  # where its LibreOffice profile lives
        self.tmpdir.mkdir()
        script = (
            "from wcodoc.commands.pdf_server import pdf_server; "
            f"pdf_server(['--host', '127.0.0.1', '--port', '{self.port}'])"
        )
        with self.stderr.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", script],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
                env={**os.environ, "TMPDIR": str(self.tmpdir)},
            )
        deadline = time.monotonic() + START_TIMEOUT
        while server_health(("127.0.0.1", self.port), timeout=1) is None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"pdf-server did not start: {self.stderr.read_text()}")
            time.sleep(0.2)
        self.banner = self.proc.stdout.readline()

    def health(self) -> dict | None:
        return server_health(("127.0.0.1", self.port))

    def ctrl_c(self) -> set[int]:
        """Interrupt the server the way a terminal does; return the processes it had."""
        before = descendants(self.proc.pid)
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=30)
        self.proc.stdout.close()
        return before

    def kill(self) -> None:
        for pid in descendants(self.proc.pid) | {self.proc.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture
def server(tmp_path):
    running = RunningServer(tmp_path)
    yield running
    if running.proc.poll() is None:
        try:
            running.ctrl_c()
        except subprocess.TimeoutExpired:
            running.kill()
    running.proc.stdout.close()


@pytest.fixture
def small_docx(tmp_path) -> Path:
    return make_docx(tmp_path / "small.docx")


@pytest.fixture
def no_cold_soffice(monkeypatch, tmp_path):
    """Make a cold conversion impossible, so a PDF can only have come from the server."""
    monkeypatch.setenv("WCODOC_SOFFICE", str(tmp_path / "no-soffice-here"))


def test_server_prints_its_address_and_converts_with_the_same_options(
    server, small_docx, tmp_path, no_cold_soffice
):
    assert f"listening on {server.address}" in server.banner
    pdf = tmp_path / "warm.pdf"
    convert_to_pdf(small_docx, pdf, server=server.address, title="Warm Title")
    assert server.health()["conversions"] == 1
    assert "quokka ledgers" in pdf_text(pdf)
    assert pdf_info(pdf)["Title"] == "Warm Title"
    assert_pdf_a_tagged_with_outline(pdf)


def test_address_comes_from_the_environment(server, small_docx, tmp_path, monkeypatch, no_cold_soffice):
    monkeypatch.setenv("WCODOC_PDF_SERVER", server.address)
    convert_to_pdf(small_docx, tmp_path / "warm.pdf")
    assert server.health()["conversions"] == 1


def test_server_replaces_a_libreoffice_that_died(server, small_docx, tmp_path, no_cold_soffice):
    office = {
        pid
        for pid in descendants(server.proc.pid)
        if Path(f"/proc/{pid}/comm").read_text().strip() in ("oosplash", "soffice.bin")
    }
    assert len(office) == 2
    for pid in office:
        os.kill(pid, signal.SIGKILL)
    assert all_exited(office)
    convert_to_pdf(small_docx, tmp_path / "warm.pdf", server=server.address)
    assert server.health()["conversions"] == 1
    assert "quokka ledgers" in pdf_text(tmp_path / "warm.pdf")


def test_ctrl_c_stops_server_and_libreoffice_then_conversion_falls_back(server, small_docx, tmp_path):
    convert_to_pdf(small_docx, tmp_path / "warm.pdf", server=server.address)
    processes = server.ctrl_c()
    assert len(processes) >= 3  # the server's Python, oosplash, soffice.bin
    assert all_exited(processes)
    assert group_gone(server.proc.pid)
    assert server.health() is None
    assert list(server.tmpdir.iterdir()) == []  # its private profile is gone too
    started = time.monotonic()
    convert_to_pdf(small_docx, tmp_path / "cold.pdf", server=server.address)
    assert time.monotonic() - started < 60
    assert "quokka ledgers" in pdf_text(tmp_path / "cold.pdf")
    assert_pdf_a_tagged_with_outline(tmp_path / "cold.pdf")


def test_sigterm_to_the_command_stops_server_and_libreoffice(server):
    processes = descendants(server.proc.pid)
    os.kill(server.proc.pid, signal.SIGTERM)  # to `wcodoc pdf-server` alone, as a supervisor would
    server.proc.wait(timeout=30)
    assert all_exited(processes)
    assert list(server.tmpdir.iterdir()) == []


def test_port_in_use_is_reported_and_nothing_is_started():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            convert.pdf_server_command("127.0.0.1", port),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
