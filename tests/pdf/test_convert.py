"""DOCX → PDF through LibreOffice: the PDF's content and properties, and every way it can fail."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
import xmlrpc.server
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from tests.conftest import ctrl_c_restored, group_gone, pdf_text
from wcodoc.errors import WcodocError
from wcodoc.pdf.client import configured_servers, parse_servers
from wcodoc.pdf.convert import convert_to_pdf, export_filter, filter_options, kill_group

FAKE_PDF = b"%PDF-1.4 written by the fake soffice\n"


@pytest.fixture(autouse=True)
def no_warm_server(monkeypatch):
    """Cold conversions only, whatever server may be running on this machine."""
    monkeypatch.setenv("WCODOC_PDF_SERVER", "off")


def unused_port() -> int:
    """A port nothing listens on, below the ephemeral range that LibreOffice's UNO sockets
    (and every ``bind(0)``) take theirs from, so no server started meanwhile can get it."""
    for port in random.sample(range(20000, 32000), 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no unused port between 20000 and 32000")


def make_docx(path: Path, *, title: str = "Disruptive Technologies") -> Path:
    """A small DOCX with two levels of headings and known core properties."""
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.subject = "PTC working document"
    document.core_properties.author = "WCO Secretariat"
    document.add_heading("Introduction", level=1)
    document.add_paragraph("Customs administrations weigh quokka ledgers carefully.")
    document.add_heading("Findings", level=1)
    document.add_heading("Pilots", level=2)
    document.add_paragraph("A second paragraph about pilots.")
    document.save(str(path))
    return path


@pytest.fixture
def small_docx(tmp_path) -> Path:
    return make_docx(tmp_path / "in put.docx")


def fake_soffice(tmp_path: Path, body: str) -> Path:
    """A shell script standing in for soffice: ``$OUTDIR`` is its --outdir, ``$ARGS`` all args."""
    script = tmp_path / "fake-soffice"
    script.write_text(
        "#!/bin/sh\n"
        'ARGS="$*"; OUTDIR=""\n'
        'while [ $# -gt 0 ]; do [ "$1" = --outdir ] && OUTDIR="$2"; shift; done\n' + body + "\n"
    )
    script.chmod(0o755)
    return script


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_xmp(path: Path) -> str:
    return subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_outline(path: Path) -> list[str]:
    """Bookmark titles of a PDF, depth first (pdftohtml writes the outline in its XML)."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    return [item.text for item in root.iter("item")]


def assert_pdf_a_tagged_with_outline(pdf: Path) -> None:
    """The export options every wcodoc PDF must carry, however it was converted."""
    info = pdf_info(pdf)
    assert info["Tagged"] == "yes"
    xmp = pdf_xmp(pdf)
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert pdf_outline(pdf) == ["Introduction", "Findings", "Pilots"]


# --- real LibreOffice ------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_pdf_has_text_properties_pdfa_tags_and_bookmarks(small_docx, tmp_path):
    pdf = tmp_path / "out" / "doc.pdf"
    convert_to_pdf(small_docx, pdf)
    assert "Customs administrations weigh quokka ledgers carefully." in pdf_text(pdf)
    info = pdf_info(pdf)
    assert (info["Title"], info["Subject"], info["Author"]) == (
        "Disruptive Technologies",
        "PTC working document",
        "WCO Secretariat",
    )
    assert_pdf_a_tagged_with_outline(pdf)
    assert [p.name for p in pdf.parent.iterdir()] == ["doc.pdf"]  # no temporary left beside it


@pytest.mark.libreoffice
def test_properties_given_override_the_docx_ones(small_docx, tmp_path):
    pdf = tmp_path / "doc.pdf"
    convert_to_pdf(small_docx, pdf, title="Future of Customs", author="PTC")
    info = pdf_info(pdf)
    assert (info["Title"], info["Subject"], info["Author"]) == (
        "Future of Customs",
        "PTC working document",
        "PTC",
    )


@pytest.mark.libreoffice
def test_stale_lock_in_default_profile_does_not_block_and_no_profile_is_left(
    small_docx, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    lock = home / ".config/libreoffice/4/user/.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("otherhost,someone,/home/someone\n")
    monkeypatch.setenv("HOME", str(home))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    convert_to_pdf(small_docx, tmp_path / "doc.pdf", timeout=60)
    assert "quokka" in pdf_text(tmp_path / "doc.pdf")
    assert list(scratch.iterdir()) == []  # the private profile went with the run


@pytest.mark.libreoffice
def test_two_conversions_at_once_both_succeed(tmp_path):
    sources = [make_docx(tmp_path / f"{n}.docx", title=f"Doc {n}") for n in range(2)]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda s: convert_to_pdf(s, s.with_suffix(".pdf"), timeout=90), sources))
    assert [pdf_info(s.with_suffix(".pdf"))["Title"] for s in sources] == ["Doc 0", "Doc 1"]


@pytest.mark.libreoffice
def test_unreachable_server_falls_back_to_cold(small_docx, tmp_path):
    port = unused_port()  # nothing listens there
    convert_to_pdf(small_docx, tmp_path / "doc.pdf", server=f"127.0.0.1:{port}")
    assert "quokka" in pdf_text(tmp_path / "doc.pdf")


@pytest.mark.parametrize("content", [b"plain text LibreOffice would render", b"PK\x03\x04junk"])
def test_file_that_is_not_a_docx_is_an_error_naming_it(tmp_path, content):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    with pytest.raises(WcodocError, match="not a Word") as info:
        convert_to_pdf(bad, tmp_path / "bad.pdf", timeout=60)
    assert info.value.path == bad
    assert not (tmp_path / "bad.pdf").exists()


# --- failures, with stand-ins for soffice ------------------------------------------------------


def test_missing_soffice_says_how_to_install(small_docx, tmp_path, monkeypatch):
    monkeypatch.setenv("WCODOC_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(WcodocError, match="apt-get install libreoffice-writer-nogui"):
        convert_to_pdf(small_docx, tmp_path / "doc.pdf")
    assert list(tmp_path.glob("*.pdf")) == []


def test_soffice_not_on_path_says_how_to_install(small_docx, tmp_path, monkeypatch):
    monkeypatch.delenv("WCODOC_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(WcodocError, match=r"not found.*apt-get install libreoffice-writer-nogui"):
        convert_to_pdf(small_docx, tmp_path / "doc.pdf")


def test_crash_keeps_stderr_and_previous_output(small_docx, tmp_path, monkeypatch):
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF previous build")
    script = fake_soffice(tmp_path, 'echo "fatal: bad allocation in sw" >&2; exit 134')
    monkeypatch.setenv("WCODOC_SOFFICE", str(script))
    with pytest.raises(WcodocError, match="fatal: bad allocation in sw") as info:
        convert_to_pdf(small_docx, pdf)
    assert info.value.path == small_docx
    assert pdf.read_bytes() == b"%PDF previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.pdf", "fake-soffice", "in put.docx"]


def test_success_without_pdf_is_an_error(small_docx, tmp_path, monkeypatch):
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, "exit 0")))
    with pytest.raises(WcodocError, match="no PDF written"):
        convert_to_pdf(small_docx, tmp_path / "doc.pdf")
    assert not (tmp_path / "doc.pdf").exists()


def test_hang_is_killed_with_its_whole_process_group(small_docx, tmp_path, monkeypatch):
    pidfile = tmp_path / "pid"
    body = f'echo $$ > "{pidfile}"; sleep 300 & sleep 300'
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, body)))
    started = time.monotonic()
    with pytest.raises(WcodocError, match=r"did not finish within 0\.5 s"):
        convert_to_pdf(small_docx, tmp_path / "doc.pdf", timeout=0.5)
    assert time.monotonic() - started < 10
    assert group_gone(int(pidfile.read_text()))  # the script led its group; `sleep &` too is gone
    assert not (tmp_path / "doc.pdf").exists()


@pytest.mark.usefixtures("ctrl_c_raises")
def test_interrupt_kills_the_process_group_and_writes_nothing(small_docx, tmp_path, monkeypatch):
    pidfile = tmp_path / "pid"
    # The stand-in interrupts this test process as Ctrl-C would, then hangs.
    body = f'echo $$ > "{pidfile}"; sleep 300 & kill -INT {os.getpid()}; sleep 300'
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, body)))
    with pytest.raises(KeyboardInterrupt):
        convert_to_pdf(small_docx, tmp_path / "doc.pdf", timeout=30)
    assert group_gone(int(pidfile.read_text()))
    assert not (tmp_path / "doc.pdf").exists()


def test_missing_docx_is_an_error(tmp_path):
    with pytest.raises(WcodocError, match="not found"):
        convert_to_pdf(tmp_path / "absent.docx", tmp_path / "out.pdf")


def test_input_file_is_never_handed_to_libreoffice(small_docx, tmp_path, monkeypatch):
    seen = tmp_path / "args"
    body = f'echo "$ARGS" > "{seen}"; printf "%%PDF-1.4 fake" > "$OUTDIR/document.pdf"'
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, body)))
    convert_to_pdf(small_docx, tmp_path / "doc.pdf")
    args = seen.read_text()
    assert str(small_docx) not in args  # a private copy is converted (no lock file beside it)
    assert "-env:UserInstallation=file://" in args
    assert (tmp_path / "doc.pdf").read_bytes() == b"%PDF-1.4 fake"


def test_export_filter_asks_for_tagged_pdf_a2_with_bookmarks():
    assert export_filter() == (
        'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
        '"SelectPdfVersion":{"type":"long","value":"2"},'
        '"ExportBookmarks":{"type":"boolean","value":"true"}}'
    )


def test_server_gets_the_export_options_of_the_cold_run():
    assert filter_options() == ["UseTaggedPDF=true", "SelectPdfVersion=2", "ExportBookmarks=true"]


def test_kill_group_tolerates_a_finished_process():
    proc = subprocess.Popen(["true"], start_new_session=True)
    proc.wait()
    kill_group(proc)  # must not raise for a group that no longer exists
    assert proc.returncode == 0


# Ctrl-C reaches wcodoc just after soffice started, while Popen is still returning: the
# KeyboardInterrupt must not lose the process, which leads a group the terminal never signals.
INTERRUPTED_IN_POPEN = """
import os, signal, subprocess, sys
from pathlib import Path
from wcodoc.pdf.convert import convert_to_pdf

start_child = subprocess.Popen._execute_child

def start_then_interrupt(self, *args, **kwargs):
    start_child(self, *args, **kwargs)
    Path(sys.argv[3]).write_text(str(self.pid))
    os.kill(os.getpid(), signal.SIGINT)

subprocess.Popen._execute_child = start_then_interrupt
convert_to_pdf(Path(sys.argv[1]), Path(sys.argv[2]), server="off")
"""


def test_ctrl_c_while_soffice_starts_kills_its_group(small_docx, tmp_path):
    pidfile, pdf = tmp_path / "pid", tmp_path / "doc.pdf"
    soffice = fake_soffice(tmp_path, "sleep 300 & sleep 300")
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_IN_POPEN, str(small_docx), str(pdf), str(pidfile)],
        env={**os.environ, "WCODOC_SOFFICE": str(soffice)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=ctrl_c_restored,
    )
    group = int(pidfile.read_text())
    try:
        assert "KeyboardInterrupt" in result.stderr
        assert group_gone(group, within=5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    assert not pdf.exists()


# --- what reaches LibreOffice ----------------------------------------------------------------


def docx_with_links(path: Path) -> Path:
    """A DOCX with a hyperlink and an external picture LibreOffice would fetch on loading."""
    document = docx.Document()
    document.add_paragraph("A paragraph.")
    document.part.relate_to("https://www.wcoomd.org/", RT.HYPERLINK, is_external=True)
    document.part.relate_to("file:///etc/passwd", RT.IMAGE, is_external=True)
    document.save(str(path))
    return path


def external_targets(package: Path) -> list[str]:
    with zipfile.ZipFile(package) as zf:
        rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"))
    return sorted(rel.get("Target") for rel in rels if rel.get("TargetMode") == "External")


def test_cold_libreoffice_gets_no_external_sources(tmp_path, monkeypatch):
    source, seen = docx_with_links(tmp_path / "links.docx"), tmp_path / "seen.docx"
    body = f'cp "${{ARGS##* }}" "{seen}"; printf "%%PDF-1.4 fake" > "$OUTDIR/document.pdf"'
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, body)))
    convert_to_pdf(source, tmp_path / "doc.pdf", title="With links")
    assert external_targets(source) == ["file:///etc/passwd", "https://www.wcoomd.org/"]
    assert external_targets(seen) == ["https://www.wcoomd.org/"]  # hyperlinks are kept
    assert docx.Document(str(seen)).core_properties.title == "With links"


def test_server_gets_no_external_sources(tmp_path, fake_server):
    server = fake_server(lambda *params: FAKE_PDF)
    convert_to_pdf(docx_with_links(tmp_path / "links.docx"), tmp_path / "doc.pdf", server=server.address)
    (sent := tmp_path / "sent.docx").write_bytes(server.calls[0][1])
    assert external_targets(sent) == ["https://www.wcoomd.org/"]


# --- choosing PDF servers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("off", []),
        ("", []),
        ("127.0.0.1:2012", [("127.0.0.1", 2012)]),
        ("[::1]:3000", [("::1", 3000)]),
        ("pdf.example.org:80, 127.0.0.1:2013", [("pdf.example.org", 80), ("127.0.0.1", 2013)]),
    ],
)
def test_server_addresses(value, expected):
    assert parse_servers(value) == expected


@pytest.mark.parametrize("value", ["localhost", "host:port", ":2012", "host:0", "host:70000", "a:1,,b:2"])
def test_bad_server_address_is_an_error_naming_the_variable(value):
    with pytest.raises(WcodocError, match="WCODOC_PDF_SERVER"):
        parse_servers(value)


def test_default_server_address(monkeypatch):
    monkeypatch.delenv("WCODOC_PDF_SERVER")
    assert configured_servers() == [("127.0.0.1", 2012)]


class FakeServer:
    """Speaks unoserver's XML-RPC ``convert``; records each call's parameters."""

    def __init__(self, reply: Callable[..., bytes]):
        self.reply = reply
        self.calls: list[tuple] = []
        self.rpc = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", 0), allow_none=True, logRequests=False)
        self.rpc.register_function(self.convert, "convert")
        self.address = f"127.0.0.1:{self.rpc.server_address[1]}"
        threading.Thread(target=self.rpc.serve_forever, daemon=True).start()

    def convert(self, *params):
        self.calls.append((params[0], params[1].data, *params[2:]))
        return xmlrpc.client.Binary(self.reply(*params))


@pytest.fixture
def fake_server() -> Iterator[Callable[[Callable[..., bytes]], FakeServer]]:
    started: list[FakeServer] = []

    def start(reply: Callable[..., bytes]) -> FakeServer:
        started.append(FakeServer(reply))
        return started[-1]

    yield start
    for server in started:
        server.rpc.shutdown()
        server.rpc.server_close()


def test_first_server_that_answers_converts(small_docx, tmp_path, fake_server):
    first, second = fake_server(lambda *p: FAKE_PDF), fake_server(lambda *p: b"%PDF-1.4 second")
    servers = f"127.0.0.1:{unused_port()},{first.address},{second.address}"  # the first is down
    convert_to_pdf(small_docx, tmp_path / "doc.pdf", server=servers)
    assert (tmp_path / "doc.pdf").read_bytes() == FAKE_PDF
    assert len(first.calls) == 1 and second.calls == []
    inpath, indata, outpath, convert_to, filtername, options, update_index, *_ = first.calls[0]
    assert (inpath, outpath, convert_to, filtername) == (None, None, "pdf", "writer_pdf_Export")
    assert (options, update_index) == (filter_options(), False)
    assert indata == small_docx.read_bytes()  # nothing to remove: the bytes go as they are


def _fails(*params):
    raise RuntimeError("LibreOffice crashed")


class _Impostor(BaseHTTPRequestHandler):
    """Some other HTTP service on the port: answers with a status and a PDF-looking body."""

    status = 200

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"%PDF-1.4 from the wrong server"
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("trouble", ["fault", "not a PDF", "not XML-RPC", "HTTP 500"])
def test_failing_or_foreign_server_falls_back_to_the_next_then_cold(
    small_docx, tmp_path, monkeypatch, fake_server, trouble
):
    if trouble in ("fault", "not a PDF"):
        bad = fake_server(_fails if trouble == "fault" else lambda *p: b"PK not a PDF").address
        foreign = None
    else:
        handler = type("Handler", (_Impostor,), {"status": 500 if trouble == "HTTP 500" else 200})
        foreign = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=foreign.serve_forever, daemon=True).start()
        bad = f"127.0.0.1:{foreign.server_address[1]}"
    body = 'printf "%%PDF-1.4 cold" > "$OUTDIR/document.pdf"'
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, body)))
    try:
        convert_to_pdf(small_docx, tmp_path / "cold.pdf", server=bad)
        convert_to_pdf(
            small_docx, tmp_path / "next.pdf", server=f"{bad},{fake_server(lambda *p: FAKE_PDF).address}"
        )
    finally:
        if foreign is not None:
            foreign.shutdown()
            foreign.server_close()
    assert (tmp_path / "cold.pdf").read_bytes() == b"%PDF-1.4 cold"
    assert (tmp_path / "next.pdf").read_bytes() == FAKE_PDF


def test_a_docx_build_does_not_load_pikepdf():
    # Only the PDF's finishing needs it (wcodoc.pdf.finish imports it when called).
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, wcodoc.build; print('pikepdf' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"
