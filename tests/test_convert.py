"""DOCX → PDF through LibreOffice: the PDF's content and properties, and every way it can fail."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from lxml import etree

from wcodoc.errors import WcodocError
from wcodoc.pdf import convert
from wcodoc.pdf import server as pdfserver
from wcodoc.pdf.convert import convert_to_pdf, export_filter, server_address

from .conftest import group_gone, pdf_text

FAKE_PDF = b"%PDF-1.4 written by the fake soffice\n"


@pytest.fixture(autouse=True)
def no_warm_server(monkeypatch):
    """Cold conversions only, whatever server may be running on this machine."""
    monkeypatch.setenv("WCODOC_PDF_SERVER", "off")


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
    port = pdfserver._free_port()  # nothing listens there
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


# --- choosing and trusting a warm server -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("off", None),
        ("", None),
        ("127.0.0.1:2012", ("127.0.0.1", 2012)),
        ("[::1]:3000", ("::1", 3000)),
        ("pdf.example.org:80", ("pdf.example.org", 80)),
    ],
)
def test_server_address(value, expected):
    assert server_address(value) == expected


@pytest.mark.parametrize("value", ["localhost", "host:port", ":2012", "host:0", "host:70000"])
def test_bad_server_address_is_an_error_naming_the_variable(value):
    with pytest.raises(WcodocError, match="WCODOC_PDF_SERVER"):
        server_address(value)


def test_default_server_address(monkeypatch):
    monkeypatch.delenv("WCODOC_PDF_SERVER")
    assert server_address() == ("127.0.0.1", pdfserver.DEFAULT_PORT)


class _Impostor(BaseHTTPRequestHandler):
    """Answers like a PDF server would, but is not one, or fails."""

    status = 200
    header = False

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"%PDF-1.4 from the wrong server"
        self.send_response(self.status)
        if self.header:
            self.send_header(pdfserver.PROTOCOL_HEADER, pdfserver.PROTOCOL_VERSION)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(("status", "header"), [(200, False), (500, True)])
def test_foreign_or_failing_server_falls_back_to_cold(small_docx, tmp_path, monkeypatch, status, header):
    handler = type("Handler", (_Impostor,), {"status": status, "header": header})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    body = 'printf "%%PDF-1.4 cold" > "$OUTDIR/document.pdf"'
    monkeypatch.setenv("WCODOC_SOFFICE", str(fake_soffice(tmp_path, body)))
    try:
        convert_to_pdf(small_docx, tmp_path / "doc.pdf", server=f"127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    assert (tmp_path / "doc.pdf").read_bytes() == b"%PDF-1.4 cold"


def test_uno_python_missing_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("WCODOC_UNO_PYTHON", str(tmp_path / "no-python"))
    convert.uno_python.cache_clear()
    real_run = subprocess.run

    def run(command, **kwargs):  # pretend no interpreter has the bridge
        return real_run(["false"], **kwargs)

    monkeypatch.setattr(subprocess, "run", run)
    try:
        with pytest.raises(WcodocError, match="apt-get install python3-uno"):
            convert.uno_python()
    finally:
        convert.uno_python.cache_clear()


def test_kill_group_tolerates_a_finished_process():
    proc = subprocess.Popen(["true"], start_new_session=True)
    proc.wait()
    pdfserver.kill_group(proc)  # must not raise for a group that no longer exists
    assert proc.returncode == 0
