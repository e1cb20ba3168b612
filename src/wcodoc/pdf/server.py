"""Warm PDF conversion: one LibreOffice kept running, converting DOCX to PDF on request.

This module runs as a script under a Python that has LibreOffice's ``uno`` bridge (on Debian
the system ``/usr/bin/python3`` with ``python3-uno``), which is usually not the Python of
wcodoc's virtual environment. It therefore imports only the standard library and ``uno``,
never ``wcodoc``; ``wcodoc.pdf.convert`` starts it and talks to it.

Protocol (HTTP/1.1, one request per connection):

* ``GET /health`` → JSON ``{"service": ..., "conversions": N, "office": "running"}``
* ``POST /convert`` with the DOCX as body → the PDF (``200``) or a one-line error (``500``).

Every answer carries the header ``X-Wcodoc-Pdf-Server: 1`` so a client never mistakes some
other program on the port for this server. LibreOffice's own UNO socket listens on a free
loopback port only: anyone who reaches a UNO socket can run code as this user.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SERVICE = "wcodoc-pdf-server"
PROTOCOL_HEADER = "X-Wcodoc-Pdf-Server"
PROTOCOL_VERSION = "1"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2012
MAX_UPLOAD_BYTES = 200_000_000
PDF_EXPORT_OPTIONS = {"UseTaggedPDF": True, "SelectPdfVersion": 2, "ExportBookmarks": True}
"""writer_pdf_Export filter data: tagged PDF/A-2b with bookmarks from the headings.

``wcodoc.pdf.convert`` passes the same options to a cold ``soffice --convert-to``.
"""

SOFFICE_FLAGS = ["--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck"]


def profile_url(profile: Path) -> str:
    """The ``-env:UserInstallation`` argument for a private LibreOffice profile folder."""
    return f"-env:UserInstallation={profile.resolve().as_uri()}"


def kill_group(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and every process it started (it must lead its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _props(**values):
    import uno  # noqa: F401  (loads the bridge that makes com.sun.star importable)
    from com.sun.star.beans import PropertyValue

    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


class Office:
    """One LibreOffice process with a private profile, listening on a loopback UNO socket."""

    def __init__(self, soffice: str, *, start_timeout: float = 60, convert_timeout: float = 180):
        self.soffice = soffice
        self.start_timeout = start_timeout
        self.convert_timeout = convert_timeout
        self.proc: subprocess.Popen | None = None
        self.profile: Path | None = None
        self.desktop = None
        self.timed_out = False

    def start(self) -> None:
        """Start LibreOffice and connect to it; raise RuntimeError if it does not come up."""
        import uno

        self.profile = Path(tempfile.mkdtemp(prefix="wcodoc-pdfserver-"))
        port = _free_port()
        accept = f"socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
        self.proc = subprocess.Popen(
            [self.soffice, *SOFFICE_FLAGS, profile_url(self.profile), f"--accept={accept}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                context = resolver.resolve(f"uno:{accept}")
                break
            except Exception:  # NoConnectException until LibreOffice listens
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.1)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def stop(self) -> None:
        """Close LibreOffice (politely, then by force) and delete its profile."""
        if self.desktop is not None:
            # Already gone is fine: the process group is killed below anyway.
            with contextlib.suppress(Exception):
                self.desktop.terminate()
            self.desktop = None
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
            kill_group(self.proc)
            self.proc = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.desktop is not None

    def convert(self, docx: bytes) -> bytes:
        """DOCX bytes → PDF bytes; restart LibreOffice once if it died since the last request."""
        if not self.running:
            self.stop()
            self.start()
        self.timed_out = False
        try:
            return self._convert(docx)
        except Exception:
            if self.running:
                raise
            if self.timed_out:
                self.stop()
                raise RuntimeError(f"LibreOffice did not finish within {self.convert_timeout:g} s") from None
            # LibreOffice crashed or was killed by the watchdog: a fresh one gets one more try.
            self.stop()
            self.start()
            return self._convert(docx)

    def _convert(self, docx: bytes) -> bytes:
        import uno

        with tempfile.TemporaryDirectory(prefix="wcodoc-pdfjob-") as tmp:
            source, target = Path(tmp, "document.docx"), Path(tmp, "document.pdf")
            source.write_bytes(docx)
            # A hung conversion must not hold the server forever: kill LibreOffice, which
            # makes the UNO call below fail, and the next request starts a new one.
            watchdog = threading.Timer(self.convert_timeout, self._kill)
            watchdog.start()
            try:
                document = self.desktop.loadComponentFromURL(
                    uno.systemPathToFileUrl(str(source)),
                    "_blank",
                    0,
                    _props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0),
                )
                if document is None:
                    raise RuntimeError("LibreOffice could not read the DOCX")
                try:
                    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", _props(**PDF_EXPORT_OPTIONS))
                    document.storeToURL(
                        uno.systemPathToFileUrl(str(target)),
                        _props(FilterName="writer_pdf_Export", FilterData=filter_data),
                    )
                finally:
                    document.close(True)
            finally:
                watchdog.cancel()
            data = target.read_bytes() if target.exists() else b""
        if not data.startswith(b"%PDF"):
            raise RuntimeError("LibreOffice wrote no PDF")
        return data

    def _kill(self) -> None:
        self.timed_out = True
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)


class Handler(BaseHTTPRequestHandler):
    """HTTP front of the server; conversions run one at a time (LibreOffice is not reentrant)."""

    server_version = f"{SERVICE}/{PROTOCOL_VERSION}"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path != "/health":
            self._reply(404, b"not found\n", "text/plain")
            return
        state = {
            "service": SERVICE,
            "conversions": self.server.conversions,
            "office": "running" if self.server.office.running else "stopped",
        }
        self._reply(200, json.dumps(state).encode(), "application/json")

    def do_POST(self) -> None:
        if self.path != "/convert":
            self._reply(404, b"not found\n", "text/plain")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_UPLOAD_BYTES:
            self._reply(413, b"expected a DOCX body of at most 200 MB\n", "text/plain")
            return
        docx = self.rfile.read(length)
        started = time.monotonic()
        try:
            with self.server.lock:
                pdf = self.server.office.convert(docx)
                self.server.conversions += 1
        except Exception as exc:
            self.log_message("conversion failed: %s", exc)
            self._reply(500, f"conversion failed: {exc}\n".encode(), "text/plain")
            return
        self.log_message("converted %d bytes in %.2f s", length, time.monotonic() - started)
        self._reply(200, pdf, "application/pdf")

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_request(self, code="-", size="-") -> None:
        pass  # do_POST logs one line per conversion, which says more than the request line

    def log_message(self, format: str, *args) -> None:
        sys.stderr.write(f"{SERVICE}: {format % args}\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], office: Office):
        super().__init__(address, Handler)
        self.office = office
        self.lock = threading.Lock()
        self.conversions = 0


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stop(signum, frame) -> None:
    # Later signals (Ctrl-C reaches both this process and `wcodoc pdf-server`, which then
    # sends SIGTERM) must not interrupt the clean-up that closes LibreOffice.
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the server in the foreground until Ctrl-C, SIGTERM or SIGHUP."""
    parser = argparse.ArgumentParser(prog=SERVICE, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--soffice", default="soffice")
    parser.add_argument("--convert-timeout", type=float, default=180)
    args = parser.parse_args(argv)
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, _stop)
    office = Office(args.soffice, convert_timeout=args.convert_timeout)
    try:
        server = Server((args.host, args.port), office)
    except OSError as exc:
        sys.stderr.write(f"{SERVICE}: cannot listen on {args.host}:{args.port}: {exc.strerror}\n")
        return 1
    try:
        office.start()
        host, port = server.server_address[:2]
        print(f"{SERVICE}: listening on {host}:{port} (Ctrl-C stops it)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print(f"{SERVICE}: stopping", flush=True)
    except RuntimeError as exc:
        sys.stderr.write(f"{SERVICE}: {exc}\n")
        return 1
    finally:
        server.server_close()
        office.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
