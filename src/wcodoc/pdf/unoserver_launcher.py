"""Run unoserver the way ``wcodoc pdf-server`` promises.

``python -P unoserver_launcher.py WORKDIR [unoserver's options]``

wcodoc never imports this module: :mod:`wcodoc.pdf.server` runs it with the Python of the
environment that has LibreOffice's ``uno`` and unoserver, which has nothing of wcodoc, so it
needs only the standard library and unoserver. Around unoserver's own ``main()`` it adds:

- **Only what wcodoc asks for is served**: ``info()``, and ``convert`` of DOCX bytes to PDF
  bytes. A body that is not an XML-RPC call, another method, a path on this machine to read or
  write, a document that is not a DOCX, a missing or too large Content-Length: each gets a
  4xx status and one log line, never a traceback, and LibreOffice never sees it.
- **A stalled client holds up no one**: each connection is read in a thread of its own, and
  given up after :data:`REQUEST_TIMEOUT` seconds without a byte. Conversions still run one at a
  time, as unoserver expects (unoserver alone serves one connection at a time, with no time
  limit: a client that sent half a request blocked every other).
- **No LibreOffice outlives wcodoc**: standard input is a pipe whose only writer is
  ``wcodoc pdf-server``. When that process dies, even by SIGKILL, the pipe reaches end of file:
  this process group (unoserver and LibreOffice) is killed and WORKDIR deleted.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import signal
import socketserver
import sys
import threading
import time
import xmlrpc.client
import xmlrpc.server
import zipfile
from typing import Any

import unoserver.server

REQUEST_TIMEOUT = 10.0
"""Seconds a connection may stay silent, while sending its request or reading the answer."""
MAX_REQUEST = 256 * 1024 * 1024
"""Bytes of the largest request read: a DOCX of some 190 MB once in base64."""
_CONVERT_PARAMETERS = ("inpath", "indata", "outpath", "convert_to", "filtername", "filter_options")
"""The first of unoserver's ``convert`` parameters, in order (wcodoc/pdf/client.py sends them)."""

log = logging.getLogger("unoserver")


class Refused(Exception):
    """A request wcodoc never sends; the message is the status line's reason (fixed ASCII text)."""


def check_call(body: bytes) -> None:
    """Raise :class:`Refused` unless ``body`` is an ``info()`` or a DOCX-to-PDF ``convert``."""
    try:
        params, method = xmlrpc.client.loads(body, use_builtin_types=True)
    except Exception:  # expat, xmlrpc and int()/float() errors alike: not a call at all
        raise Refused("not an XML-RPC call") from None
    if method == "info" and not params:
        return
    if method != "convert":
        raise Refused("only info() and convert() are served")
    call = dict(zip(_CONVERT_PARAMETERS, params, strict=False))  # fewer is fine
    if call.get("inpath") is not None or call.get("outpath") is not None:
        raise Refused("files on the server are neither read nor written")
    if call.get("convert_to") != "pdf" or any(p is not None for p in params[7:]):
        raise Refused("only DOCX to PDF is converted")
    if not is_docx(call.get("indata")):
        raise Refused("not a DOCX")


def is_docx(data: Any) -> bool:
    """Whether ``data`` is a zip package with a ``word/document.xml``, as wcodoc checks a DOCX."""
    if not isinstance(data, bytes):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            package.getinfo("word/document.xml")
    except Exception:  # whatever zipfile trips on (BadZipFile, KeyError, OSError…), no DOCX
        return False
    return True


class _Handler(xmlrpc.server.SimpleXMLRPCRequestHandler):
    timeout = REQUEST_TIMEOUT  # socketserver sets it on the connection: each read and write
    rpc_paths = ("/RPC2",)

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length", "")
        if not (length.isascii() and length.isdigit()):  # the stdlib would answer 500
            self.send_error(411, "Content-Length required")
        elif int(length) > MAX_REQUEST:  # the stdlib would read it all into memory
            self.send_error(413, "request too large")
        else:
            super().do_POST()

    def send_response(self, code: int, message: str | None = None) -> None:
        # The stdlib's do_POST answers 500 to every failure, a body that stopped coming included.
        if code == 500 and isinstance(sys.exc_info()[1], TimeoutError):
            code, message = 408, "request timed out"
        super().send_response(code, message)

    def decode_request_content(self, data: bytes) -> bytes | None:
        decoded = super().decode_request_content(data)
        if decoded is None:
            return None  # already answered (an unknown Content-Encoding)
        try:
            check_call(decoded)
        except Refused as exc:
            self.send_error(400, str(exc))
            return None
        return decoded


class _Server(socketserver.ThreadingMixIn, unoserver.server.XMLRPCServer):
    """unoserver's XML-RPC server, one thread per connection, one conversion at a time."""

    daemon_threads = True  # a stalled client must not keep a stopping server waiting

    def __init__(self, addr: tuple[str, int], allow_none: bool = False) -> None:
        super().__init__(addr, allow_none)
        self.RequestHandlerClass = _Handler
        self._one_at_a_time = threading.Lock()

    def _dispatch(self, method: str, params: tuple[Any, ...]) -> Any:
        with self._one_at_a_time:
            return super()._dispatch(method, params)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Mostly a client that left before its answer was written: one line, not a traceback.
        log.warning("%s: request dropped (%s)", client_address[0], sys.exc_info()[1])


def _watch_parent(workdir: str) -> None:
    """Once ``wcodoc pdf-server`` has gone (end of file on stdin), kill the group, delete ``workdir``."""
    while sys.stdin.buffer.read(4096):
        pass
    group = os.getpgrp()
    if os.fork() == 0:  # a child outside the group outlives it, to delete what LibreOffice used
        try:
            os.setsid()
            os.killpg(group, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                os.killpg(group, 0)  # ProcessLookupError once every member is gone
                time.sleep(0.05)
        except OSError:
            pass
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            os._exit(0)
    time.sleep(60)  # the child's SIGKILL ends this process


def main() -> int:
    workdir, sys.argv[1:] = sys.argv[1], sys.argv[2:]
    threading.Thread(target=_watch_parent, args=(workdir,), daemon=True).start()
    unoserver.server.XMLRPCServer = _Server  # what unoserver's serve() instantiates
    return unoserver.server.main()


if __name__ == "__main__":
    sys.exit(main())
