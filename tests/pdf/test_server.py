"""The PDF server: unoserver started by `wcodoc pdf-server`, converted through, stopped.

Three servers run for the whole module (starting one takes ~6 s: unoserver waits 5 s for
LibreOffice, and they start at once); the tests that kill or stop them come last.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import xmlrpc.client
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ctrl_c_restored, has_libreoffice, pdf_text
from tests.pdf.test_convert import (
    assert_pdf_a_tagged_with_outline,
    group_gone,
    make_docx,
    pdf_info,
    unused_port,
)
from tests.session.folders import write_session
from tests.support.pipes import office_pipes as pipes_of
from wcodoc.errors import WcodocError
from wcodoc.load.sessionconfig import read_session
from wcodoc.pdf.convert import convert_to_pdf
from wcodoc.pdf.finish import finish_pdf
from wcodoc.pdf.server import LAUNCHER, unoserver_python
from wcodoc.session.documents import build_session

START_TIMEOUT = 90
REQUEST_TIMEOUT = 10
"""wcodoc/pdf/unoserver_launcher.py's, which imports unoserver, so cannot be imported here."""
MEMORY_BOUND = 600 * 1024 * 1024
"""The most the launcher may use, whatever the load (docs/guarantees.md): MAX_IN_FLIGHT, 128 MB
of requests at once, each costing it up to some 3.7 times its size, and ~50 MB of its own."""


def _unoserver_missing() -> str | None:
    if not has_libreoffice():
        return "needs LibreOffice"
    try:
        unoserver_python()
    except WcodocError as exc:
        return str(exc)
    return None


def descendants(root: int) -> set[int]:
    """Every live process below ``root`` (LibreOffice runs in a session of its own)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited while we looked
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def all_exited(pids: set[int], within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = set()
        for pid in pids:
            with contextlib.suppress(OSError):  # gone while we looked
                if " Z " not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]:
                    alive.add(pid)
        if not alive:
            return True
        time.sleep(0.1)
    return False


def office_processes(root: int) -> set[int]:
    return {pid for pid in descendants(root) if _name(pid) in ("oosplash", "soffice.bin")}


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


class RunningServer:
    """``wcodoc pdf-server`` in a session of its own, as if started in another terminal."""

    banner = ""
    """The first line it printed."""
    ready_after = 0.0
    """Seconds from its start to that line."""

    def __init__(self, tmp: Path):
        self.started = time.monotonic()
        self.port = unused_port()
        self.address = f"127.0.0.1:{self.port}"
        self.log = tmp / "server.log"
        self.tmpdir = tmp / "server-tmp"  # where its LibreOffice profile lives
        self.tmpdir.mkdir()
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "wcodoc",
                    "pdf-server",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
                preexec_fn=ctrl_c_restored,  # ctrl_c() below
                env={**os.environ, "TMPDIR": str(self.tmpdir)},
            )

    def next_line(self, timeout: float = START_TIMEOUT) -> str:
        """The next line the server prints on stdout; fail if none comes in time."""
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            pytest.fail(f"pdf-server printed nothing: {self.log.read_text()}")
        return line

    def conversions(self) -> int:
        return self.log.read_text().count(" for input")  # unoserver logs "Opening … for input"

    def launcher_peak_memory(self) -> int:
        """The most memory (resident bytes) unoserver_launcher.py has used so far."""
        for pid in descendants(self.proc.pid):
            with contextlib.suppress(OSError):
                if b"unoserver_launcher.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    status = Path(f"/proc/{pid}/status").read_text()
                    (line,) = [line for line in status.splitlines() if line.startswith("VmHWM:")]
                    return int(line.split()[1]) * 1024
        raise AssertionError("no unoserver_launcher.py below the server")

    def ctrl_c(self) -> set[int]:
        """Interrupt the server the way a terminal does; return the processes it had."""
        before = descendants(self.proc.pid)
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=30)
        return before

    def close(self) -> None:
        """Stop the server however it is doing, and every process group it started."""
        groups = set()
        for pid in descendants(self.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                groups.add(os.getpgid(pid))
        if self.proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.ctrl_c()
        for group in groups | {self.proc.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        self.proc.wait(timeout=10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[tuple[RunningServer, ...]]:
    """Three servers, started at once; the module's last tests stop them."""
    if reason := _unoserver_missing():
        pytest.skip(reason)
    started = tuple(RunningServer(tmp_path_factory.mktemp(name)) for name in "abc")
    try:
        for server in started:
            server.banner = server.next_line()
            server.ready_after = time.monotonic() - server.started
        yield started
    finally:
        for server in started:
            server.close()


@pytest.fixture
def small_docx(tmp_path) -> Path:
    return make_docx(tmp_path / "small.docx")


@pytest.fixture
def no_cold_soffice(monkeypatch, tmp_path):
    """Make a cold conversion impossible, so a PDF can only have come from a server."""
    monkeypatch.setenv("WCODOC_SOFFICE", str(tmp_path / "no-soffice-here"))


@pytest.mark.libreoffice
def test_server_converts_as_a_cold_run_would(servers, small_docx, tmp_path, monkeypatch):
    server = servers[0]
    assert server.banner.startswith(f"listening on {server.address}")
    warm, cold = tmp_path / "warm.pdf", tmp_path / "cold.pdf"
    convert_to_pdf(small_docx, warm, server=server.address, title="Warm Title")
    assert server.conversions() == 1
    assert "quokka ledgers" in pdf_text(warm)
    assert pdf_info(warm)["Title"] == "Warm Title"
    assert_pdf_a_tagged_with_outline(warm)
    # Same options, same LibreOffice: once finished, the two PDFs are the same bytes.
    convert_to_pdf(small_docx, cold, server="off", title="Warm Title")
    issued = dt.date(2022, 3, 7)
    finish_pdf(warm, tmp_path / "warm-final.pdf", issued)
    finish_pdf(cold, tmp_path / "cold-final.pdf", issued)
    assert (tmp_path / "warm-final.pdf").read_bytes() == (tmp_path / "cold-final.pdf").read_bytes()


@pytest.mark.libreoffice
def test_servers_answer_once_libreoffice_listens(servers):
    """unoserver alone sleeps 5 s after starting LibreOffice before it even tries to connect;
    the launcher ends that wait once LibreOffice listens (three servers started at once here)."""
    assert all(server.ready_after < 5 for server in servers), [s.ready_after for s in servers]


def office_pipes(server: RunningServer) -> set[str]:
    """The socket files in /tmp that the server's LibreOffice listens on."""
    return pipes_of(descendants(server.proc.pid))


@pytest.mark.libreoffice
def test_address_comes_from_the_environment(servers, small_docx, tmp_path, monkeypatch, no_cold_soffice):
    server = servers[0]
    before = server.conversions()
    monkeypatch.setenv("WCODOC_PDF_SERVER", f"127.0.0.1:{unused_port()}, {server.address}")
    convert_to_pdf(small_docx, tmp_path / "warm.pdf")
    assert server.conversions() == before + 1


@pytest.mark.libreoffice
def test_session_build_spreads_over_the_servers_that_answer(servers, tmp_path, monkeypatch, no_cold_soffice):
    servers = servers[:2]
    write_session(tmp_path, 4)
    before = [server.conversions() for server in servers]
    monkeypatch.setenv(
        "WCODOC_PDF_SERVER", ",".join([f"127.0.0.1:{unused_port()}", *(s.address for s in servers)])
    )
    outcomes = build_session(read_session(tmp_path / "session.yaml"), ("pdf",), force=True).documents
    assert [o.state for o in outcomes] == ["built"] * 4
    done = [server.conversions() - count for server, count in zip(servers, before, strict=True)]
    assert sum(done) == 4 and min(done) >= 1, done


# --- DOCX to PDF only, and no client can hold it up (unoserver_launcher.py) ----------------------


def post(body: bytes, length: int | None = None) -> bytes:
    """A raw HTTP request posting ``body``, announced as ``length`` bytes (default: its own)."""
    announced = len(body) if length is None else length
    return b"POST /RPC2 HTTP/1.0\r\nContent-Length: %d\r\n\r\n%s" % (announced, body)


def call(method: str, *params: object) -> bytes:
    return post(xmlrpc.client.dumps(params, method, allow_none=True).encode())


def exchange(server: RunningServer, request: bytes) -> bytes:
    """Send ``request``, close our side, and return the whole answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: sock.recv(65536), b""))


def linking(docx: Path, mode: str) -> xmlrpc.client.Binary:
    """``docx`` with a picture relationship to ``file:///etc/hostname`` (TargetMode ``mode``),
    which LibreOffice would read on the server's machine."""
    with zipfile.ZipFile(docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    rel = (
        '<Relationship Id="rIdLinked" Target="file:///etc/hostname" TargetMode="%s" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/></Relationships>'
    )
    name = "word/_rels/document.xml.rels"
    parts[name] = parts[name].replace(b"</Relationships>", (rel % mode).encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for part, data in parts.items():
            package.writestr(part, data)
    return xmlrpc.client.Binary(out.getvalue())


SAME_CALLS = """
import os, sys, xmlrpc.client
sys.path.insert(0, sys.argv[1])
import unoserver_launcher
for size in (0, 1, 2, 3, 4, 57, 58, 786_431, 786_432, 786_433, 3_000_001):
    binary = xmlrpc.client.Binary(os.urandom(size))
    for body in (
        xmlrpc.client.dumps((None, binary, None, "pdf", ["A=1"], False), "convert", allow_none=True),
        xmlrpc.client.dumps((binary, {"k": 2.5}), "other"),
    ):
        for builtin in (False, True):
            ours = unoserver_launcher.loads(body.encode(), use_builtin_types=builtin)
            assert ours == xmlrpc.client.loads(body.encode(), use_builtin_types=builtin), (size, builtin)
print("same")
"""


@pytest.mark.libreoffice
def test_the_launcher_reads_a_call_as_xmlrpc_does():
    """Its own reading of a ``<base64>`` value (decoded as it comes, a batch at a time) gives
    the bytes xmlrpc gives, whatever the size: around the batch size and its line ends too."""
    if reason := _unoserver_missing():
        pytest.skip(reason)
    launcher = LAUNCHER.parent
    result = subprocess.run(
        [str(unoserver_python()), "-P", "-c", SAME_CALLS, str(launcher)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "same", result.stderr


HIDDEN_LOADS = """
import sys
sys.path.insert(0, sys.argv[1])
import uno
import unoserver.converter
import unoserver_launcher

class Desktop:
    def loadComponentFromURL(self, *args):
        return args

    def terminate(self):
        return "terminated"

read_only = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
read_only.Name, read_only.Value = "ReadOnly", True
desktop = unoserver_launcher._HiddenLoads(Desktop())
url, target, flags, properties = desktop.loadComponentFromURL("file:///d.docx", "_default", 0, (read_only,))
print([(p.Name, p.Value) for p in properties], desktop.terminate())
print(issubclass(unoserver_launcher._Converter, unoserver.converter.UnoConverter))
"""


@pytest.mark.libreoffice
def test_the_server_loads_documents_hidden_as_a_cold_soffice_does():
    """Hidden, a document costs LibreOffice a quarter less time to load and export, and gives
    the same PDF (test_server_converts_as_a_cold_run_would)."""
    if reason := _unoserver_missing():
        pytest.skip(reason)
    result = subprocess.run(
        [str(unoserver_python()), "-P", "-c", HIDDEN_LOADS, str(LAUNCHER.parent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.splitlines() == ["[('ReadOnly', True), ('Hidden', True)] terminated", "True"], (
        result.stderr
    )


def half_sent(server: RunningServer) -> socket.socket:
    """A connection that sent the start of a request and stalls."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=3 * REQUEST_TIMEOUT)
    sock.sendall(post(b"<?xml version='1.0'?><methodCall>", length=100_000))
    return sock


@pytest.mark.libreoffice
def test_requests_wcodoc_never_sends_get_a_4xx_and_reach_no_libreoffice(servers, small_docx, tmp_path):
    server = servers[0]
    before = server.conversions()
    docx = xmlrpc.client.Binary(small_docx.read_bytes())
    text = xmlrpc.client.Binary(b"Plain text, which LibreOffice would gladly turn into a PDF.")
    refused = {
        "garbage": post(b"<<<not XML at all"),
        "no length": b"POST /RPC2 HTTP/1.0\r\n\r\n",
        "a terabyte announced": post(b"", length=10**12),
        "cut short": post(b"<?xml version='1.0'?><methodCall>", length=10_000),
        "another method": call("compare", None, docx, None, docx),
        "a file to read": call("convert", "/etc/hostname", None, None, "pdf"),
        "a file to write": call("convert", None, docx, str(tmp_path / "written.pdf")),
        "not a DOCX": call("convert", None, text, None, "pdf"),
        "a picture linked to a file": call("convert", None, linking(small_docx, "External"), None, "pdf"),
        "a file URL as a part": call("convert", None, linking(small_docx, "Internal"), None, "pdf"),
    }
    statuses = {case: exchange(server, request).split(b"\r\n")[0] for case, request in refused.items()}
    assert {case: status[9:12] for case, status in statuses.items()} == {
        **dict.fromkeys(refused, b"400"),
        "no length": b"411",
        "a terabyte announced": b"413",
    }, statuses
    assert server.conversions() == before
    assert not (tmp_path / "written.pdf").exists()


@pytest.mark.libreoffice
def test_a_stalled_client_holds_up_no_one_and_is_given_up(servers, small_docx, tmp_path, no_cold_soffice):
    server = servers[0]
    silent = socket.create_connection(("127.0.0.1", server.port), timeout=3 * REQUEST_TIMEOUT)
    stalled = half_sent(server)
    started = time.monotonic()
    convert_to_pdf(small_docx, tmp_path / "warm.pdf", server=server.address)
    assert time.monotonic() - started < REQUEST_TIMEOUT
    assert "quokka ledgers" in pdf_text(tmp_path / "warm.pdf")
    with silent, stalled:  # the server hangs up on both, or recv() times out
        assert silent.recv(100) == b""
        assert stalled.recv(100).startswith(b"HTTP/1.0 408")


@pytest.mark.libreoffice
def test_a_client_gone_mid_request_is_one_line_not_a_traceback(servers):
    server = servers[0]
    with half_sent(server) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
    deadline = time.monotonic() + REQUEST_TIMEOUT
    while "request dropped" not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = server.log.read_text()
    assert "request dropped" in log
    assert "Traceback" not in log  # nor from any test before


@pytest.mark.libreoffice
def test_fifty_clients_at_once_each_get_their_pdf(servers, small_docx, tmp_path, no_cold_soffice):
    """No connection is reset (socketserver's backlog was 5): with no cold LibreOffice to fall
    back on, every PDF comes from the server."""
    server = servers[0]
    before = server.conversions()

    def convert(n: int) -> bytes:
        convert_to_pdf(small_docx, tmp_path / f"{n}.pdf", server=server.address)
        return (tmp_path / f"{n}.pdf").read_bytes()[:5]

    with ThreadPoolExecutor(50) as pool:
        assert list(pool.map(convert, range(50))) == [b"%PDF-"] * 50
    assert server.conversions() == before + 50
    assert server.launcher_peak_memory() < MEMORY_BOUND


def large_docx(docx: Path, megabytes: int) -> bytes:
    """``docx`` with ``megabytes`` of random bytes stored in it (a photograph or two)."""
    with zipfile.ZipFile(docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for part, data in parts.items():
            package.writestr(part, data)
        package.writestr("word/media/photo.bin", random.randbytes(megabytes * 1024 * 1024))
    return out.getvalue()


@pytest.mark.libreoffice
def test_twenty_large_requests_at_once_stay_within_the_memory_bound(servers, small_docx):
    server = servers[0]
    request = call("convert", None, xmlrpc.client.Binary(large_docx(small_docx, 25)), None, "pdf")
    with ThreadPoolExecutor(20) as pool:
        statuses = Counter(
            answer.split(b"\r\n")[0][9:12]
            for answer in pool.map(lambda _: exchange(server, request), range(20))
        )
    assert set(statuses) == {b"200", b"503"} and statuses[b"200"] >= 2, statuses  # 503: busy, try later
    assert server.launcher_peak_memory() < MEMORY_BOUND


@pytest.mark.libreoffice
def test_server_restarts_a_libreoffice_that_died(servers, small_docx, tmp_path, no_cold_soffice):
    server = servers[1]
    office = office_processes(server.proc.pid)
    assert len(office) == 2
    pipes = office_pipes(server)
    assert pipes
    for pid in office:
        with contextlib.suppress(ProcessLookupError):  # oosplash leaves as soon as soffice.bin dies
            os.kill(pid, signal.SIGKILL)
    assert all_exited(office)
    assert server.next_line().startswith(f"listening on {server.address}")
    assert "restarting" in server.log.read_text()
    convert_to_pdf(small_docx, tmp_path / "warm.pdf", server=server.address)
    assert "quokka ledgers" in pdf_text(tmp_path / "warm.pdf")
    assert "Fatal Python error" not in server.log.read_text()  # the unoserver that stopped
    # The socket file the killed LibreOffice left is gone, or the new one listens there.
    assert not [pipe for pipe in pipes if os.path.exists(pipe) and pipe not in office_pipes(server)]


@pytest.mark.libreoffice
def test_ctrl_c_stops_server_and_libreoffice_then_conversion_falls_back(servers, small_docx, tmp_path):
    server = servers[1]
    pipes = office_pipes(server)
    assert pipes  # LibreOffice's single-instance pipe
    processes = server.ctrl_c()
    assert len(processes) >= 3  # unoserver, oosplash, soffice.bin
    assert all_exited(processes)
    assert group_gone(server.proc.pid)
    assert list(server.tmpdir.iterdir()) == []  # its private profile is gone too
    assert not [pipe for pipe in pipes if os.path.exists(pipe)]  # and the socket file LibreOffice leaves
    started = time.monotonic()
    convert_to_pdf(small_docx, tmp_path / "cold.pdf", server=server.address)
    assert time.monotonic() - started < 60
    assert "quokka ledgers" in pdf_text(tmp_path / "cold.pdf")


@pytest.mark.libreoffice
def test_sigterm_to_the_command_mid_request_stops_server_and_libreoffice(servers):
    server = servers[0]
    processes = descendants(server.proc.pid)
    with half_sent(server):
        os.kill(server.proc.pid, signal.SIGTERM)  # to `wcodoc pdf-server` alone, as a supervisor would
        server.proc.wait(timeout=30)
    assert all_exited(processes)
    assert list(server.tmpdir.iterdir()) == []
    assert "Fatal Python error" not in server.log.read_text()


@pytest.mark.libreoffice
def test_sigkill_to_the_command_mid_conversion_leaves_no_libreoffice(
    servers, small_docx, tmp_path, no_cold_soffice
):
    server = servers[2]
    processes = descendants(server.proc.pid)
    pipes = office_pipes(server)
    before = server.conversions()

    def convert() -> None:
        with contextlib.suppress(WcodocError):  # the server is killed under it; no cold LibreOffice
            convert_to_pdf(small_docx, tmp_path / "warm.pdf", server=server.address)

    conversion = threading.Thread(target=convert)
    try:
        with half_sent(server):
            conversion.start()
            while server.conversions() == before and conversion.is_alive():
                time.sleep(0.01)
            os.kill(server.proc.pid, signal.SIGKILL)  # no clean-up of its own is possible
            server.proc.wait(timeout=10)
            conversion.join(timeout=60)
        assert all_exited(processes)
        deadline = time.monotonic() + 15
        while list(server.tmpdir.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(server.tmpdir.iterdir()) == []
        assert pipes and not [pipe for pipe in pipes if os.path.exists(pipe)]
    finally:  # orphans are no longer the server's descendants, which close() stops
        for pid in processes:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.libreoffice
def test_ctrl_c_while_starting_leaves_nothing(tmp_path):
    if reason := _unoserver_missing():
        pytest.skip(reason)
    server = RunningServer(tmp_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        # Until soffice.bin runs (oosplash starts it a moment after it appears itself).
        while time.monotonic() < deadline and "soffice.bin" not in {
            _name(pid) for pid in office_processes(server.proc.pid)
        }:
            time.sleep(0.05)
        processes = server.ctrl_c()  # unoserver is still waiting for LibreOffice
        assert len(processes) >= 3  # unoserver, oosplash, soffice.bin
        assert all_exited(processes, within=5)
        assert list(server.tmpdir.iterdir()) == []
    finally:
        server.close()


# --- starting fails with a message, never a traceback ---------------------------------------------


def run_pdf_server(port: int, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wcodoc", "pdf-server", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **env},
    )


@pytest.mark.libreoffice
def test_port_in_use_is_reported_and_nothing_is_started():
    if reason := _unoserver_missing():
        pytest.skip(reason)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_pdf_server(port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_uno_environment_says_how_to_make_it(tmp_path):
    result = run_pdf_server(unused_port(), WCODOC_UNO_VENV=str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert f"needs unoserver, which is not installed in {tmp_path / 'nowhere'}" in result.stderr
    assert "make build" in result.stderr and "Traceback" not in result.stderr


def test_python_without_uno_says_to_install_python3_uno(tmp_path, monkeypatch):
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "unoserver").write_text("")
    (bin_dir / "python").write_text("#!/bin/sh\nexit 3\n")  # what the probe returns without uno
    (bin_dir / "python").chmod(0o755)
    monkeypatch.setenv("WCODOC_UNO_VENV", str(tmp_path / "venv"))
    with pytest.raises(WcodocError, match="apt-get install python3-uno"):
        unoserver_python()
