"""Run unoserver the way ``wcodoc pdf-server`` promises.

``python -P unoserver_launcher.py WORKDIR [unoserver's options]``

wcodoc never imports this module: :mod:`wcodoc.pdf.server` runs it with the Python of the
environment that has LibreOffice's ``uno`` and unoserver, which has nothing of wcodoc, so it
needs only the standard library and unoserver. Around unoserver's own ``main()`` it adds:

- **Only what wcodoc asks for is served**: ``info()``, and ``convert`` of DOCX bytes to PDF
  bytes. A body that is not an XML-RPC call, another method, a path on this machine to read or
  write, a document that is not a DOCX, a DOCX linking files or URLs outside it (a picture at
  ``file:///…``, which LibreOffice would read; wcodoc's client removes such links before
  sending), a missing or too large Content-Length: each gets a 4xx status and one log line,
  never a traceback, and LibreOffice never sees it.
- **A stalled client holds up no one**: each connection is read in a thread of its own, and
  given up after :data:`REQUEST_TIMEOUT` seconds without a byte. Conversions still run one at a
  time, as unoserver expects (unoserver alone serves one connection at a time, with no time
  limit: a client that sent half a request blocked every other); the others wait their turn,
  and up to :data:`BACKLOG` connections wait to be accepted (socketserver's default of 5 reset
  the rest when many clients came at once).
- **Bounded memory**: a request is read whole, so the requests held at once total at most
  :data:`MAX_IN_FLIGHT` bytes (their Content-Length); one beyond that gets 503 at once.
- **Documents load hidden**, as ``soffice --convert-to`` loads them: no window's worth of work
  for a document only exported (a quarter of LibreOffice's time on a ten-page DOCX), and the
  same PDF (:class:`_HiddenLoads`).
- **Ready as soon as LibreOffice is**: unoserver sleeps 5 s after starting LibreOffice, then
  tries to connect every 2 s; here each of those waits ends once LibreOffice listens on its UNO
  port, so the server answers about a second after it starts instead of five or more
  (:class:`_UntilListening`).
- **No LibreOffice outlives wcodoc**: standard input is a pipe whose only writer is
  ``wcodoc pdf-server`` (or the wcodoc that started the server for a batch). When that process
  dies, even by SIGKILL, the pipe reaches end of file: this process group (unoserver and
  LibreOffice) is killed, WORKDIR deleted, and so is LibreOffice's socket file in /tmp.
"""

from __future__ import annotations

import binascii
import importlib.util
import io
import logging
import os
import shutil
import signal
import socket
import socketserver
import sys
import threading
import time
import xmlrpc.client
import xmlrpc.server
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

import uno
import unoserver.converter
import unoserver.server

REQUEST_TIMEOUT = 10.0
"""Seconds a connection may stay silent, while sending its request or reading the answer."""
MAX_REQUEST = 128 * 1024 * 1024
"""Bytes of the largest request read: a DOCX of some 95 MB once in base64 (a larger one gets
413, and wcodoc's client converts it with a LibreOffice of its own)."""
MAX_IN_FLIGHT = MAX_REQUEST
"""Bytes of all the requests held at once (read, waiting their turn, converting). A request
costs this process up to some 3.7 times its size (see :func:`loads`), so it stays under 600 MB
(docs/guarantees.md), 20 clients sending 25 MB at once included."""
_FEED = 1024 * 1024
"""Bytes of a request given to the XML parser at a time (given the whole, expat copies it)."""
BACKLOG = 128
"""Connections the kernel keeps waiting to be accepted."""
MAX_RELATIONSHIPS = 10 * 1024 * 1024
"""Bytes of the largest relationships part (``*.rels``) read from a DOCX."""
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_CONVERT_PARAMETERS = ("inpath", "indata", "outpath", "convert_to", "filtername", "filter_options")
"""The first of unoserver's ``convert`` parameters, in order (wcodoc/pdf/client.py sends them)."""

OFFICEGROUP = Path(__file__).with_name("officegroup.py")
log = logging.getLogger("unoserver")


class Refused(Exception):
    """A request wcodoc never sends; the message is the status line's reason (fixed ASCII text)."""


def check_call(body: bytes) -> None:
    """Raise :class:`Refused` unless ``body`` is an ``info()`` or a DOCX-to-PDF ``convert``."""
    try:
        params, method = loads(body, use_builtin_types=True)
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
    docx = call.get("indata")
    if not isinstance(docx, bytes) or not is_docx(docx):
        raise Refused("not a DOCX")
    if links_outside(docx):
        raise Refused("the DOCX links files or URLs outside it")


def loads(body: bytes, use_builtin_types: bool = False) -> tuple[tuple[Any, ...], str | None]:
    """``xmlrpc.client.loads``, reading a large ``<base64>`` value in far less memory: a
    request costs this process some 3.7 times its size at its peak (the body read in pieces,
    then joined; the DOCX decoded; LibreOffice's copy of it), instead of about seven."""
    unmarshaller = _Unmarshaller(use_builtin_types)
    parser = xmlrpc.client.ExpatParser(unmarshaller)
    for start in range(0, len(body), _FEED):
        parser.feed(body[start : start + _FEED])
    parser.close()
    return unmarshaller.close(), unmarshaller.getmethodname()


class _Base64:
    """Base64 text decoded a batch at a time as it arrives, line ends left out."""

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._size = 0
        self.decoded = bytearray()

    def feed(self, text: str) -> None:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= _FEED:
            self.flush(final=False)

    def flush(self, final: bool) -> None:
        """Decode what came; all of it when ``final``, else up to a whole group of 4 characters."""
        text = "".join("".join(self._pending).split())
        cut = len(text) if final else len(text) - len(text) % 4
        self.decoded += binascii.a2b_base64(text[:cut])
        self._pending, self._size = [text[cut:]], len(text) - cut


class _Unmarshaller(xmlrpc.client.Unmarshaller):
    """xmlrpc's reader, except that the text of a ``<base64>`` value is decoded as it comes
    (xmlrpc holds it whole three times first: its pieces, joined, as ASCII)."""

    def __init__(self, use_builtin_types: bool) -> None:
        super().__init__(use_builtin_types=use_builtin_types)
        self._base64: _Base64 | None = None
        self._bytes = use_builtin_types

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        super().start(tag, attrs)
        self._base64 = _Base64() if tag.rpartition(":")[2] == "base64" else None

    def data(self, text: str) -> None:
        if self._base64 is None:
            super().data(text)
        else:
            self._base64.feed(text)

    def end(self, tag: str) -> None:
        if self._base64 is None or tag.rpartition(":")[2] != "base64":
            super().end(tag)
            return
        self._base64.flush(final=True)
        value = xmlrpc.client.Binary(bytes(self._base64.decoded))
        self._base64 = None
        self.append(value.data if self._bytes else value)
        self._value = False  # as xmlrpc's own end_base64: the enclosing <value> is done


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


def links_outside(docx: bytes) -> bool:
    """Whether a relationship of ``docx`` points outside the package to something LibreOffice
    would fetch (a linked picture, template, frame), or cannot be read to tell.

    What ``wcodoc.ooxml.relationships`` removes on the client, and also an "internal" target
    that is a URL (``file:///…``), which no package part has. Hyperlinks are only shown.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            for info in package.infolist():
                if info.filename.endswith(".rels") and _leaves_package(package, info):
                    return True
    except Exception:  # whatever zipfile or expat trips on: not read, not converted
        return True
    return False


def _leaves_package(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with package.open(info) as stream:
        data = stream.read(MAX_RELATIONSHIPS + 1)
    if len(data) > MAX_RELATIONSHIPS or b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return True  # OPC forbids DTDs; a part that large is no relationships part
    for element in ElementTree.fromstring(data).iter():
        if element.tag.rpartition("}")[2] != "Relationship" or element.get("Type") == HYPERLINK:
            continue
        target, mode = element.get("Target", ""), element.get("TargetMode", "Internal")
        if mode.lower() != "internal" or ":" in target.split("/")[0]:
            return True
    return False


class _InFlight:
    """The bytes of the requests held at once, at most ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        """Count ``size`` more bytes held; ``False`` (nothing counted) past the limit."""
        with self._lock:
            if self.held + size > self.limit:
                return False
            self.held += size
            return True

    def give_back(self, size: int) -> None:
        with self._lock:
            self.held -= size


class _Handler(xmlrpc.server.SimpleXMLRPCRequestHandler):
    timeout = REQUEST_TIMEOUT  # socketserver sets it on the connection: each read and write
    rpc_paths = ("/RPC2",)

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length", "")
        if not (length.isascii() and length.isdigit()):  # the stdlib would answer 500
            self.send_error(411, "Content-Length required")
        elif int(length) > MAX_REQUEST:  # the stdlib would read it all into memory
            self.send_error(413, "request too large")
        elif not self._in_flight().take(int(length)):
            self.send_error(503, "busy: too many requests at once; try again later")
            self._discard(int(length))
        else:
            try:
                super().do_POST()
            finally:
                self._in_flight().give_back(int(length))

    def _in_flight(self) -> _InFlight:
        assert isinstance(self.server, _Server)
        return self.server.in_flight

    def _discard(self, length: int) -> None:
        # Read and drop the body, a little at a time, so that the client, which sends it all
        # before reading the answer, reads the 503 instead of a reset connection.
        while length > 0 and (chunk := self.rfile.read(min(length, 65536))):
            length -= len(chunk)

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
    request_queue_size = BACKLOG

    def __init__(self, addr: tuple[str, int], allow_none: bool = False) -> None:
        super().__init__(addr, allow_none)
        self.RequestHandlerClass = _Handler
        self._one_at_a_time = threading.Lock()
        self.in_flight = _InFlight(MAX_IN_FLIGHT)

    def _dispatch(self, method: str, params: tuple[Any, ...]) -> Any:
        with self._one_at_a_time:
            return super()._dispatch(method, params)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Mostly a client that left before its answer was written: one line, not a traceback.
        log.warning("%s: request dropped (%s)", client_address[0], sys.exc_info()[1])


def _officegroup() -> ModuleType:
    """wcodoc's ``pdf/officegroup.py`` (standard library only), loaded by its path: ``-P``
    keeps this folder, whose modules would shadow others, off ``sys.path``."""
    spec = importlib.util.spec_from_file_location("wcodoc_officegroup", OFFICEGROUP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _watch_parent(workdir: str, officegroup: ModuleType) -> None:
    """Once wcodoc has gone (end of file on stdin), kill the group, delete ``workdir`` and the
    socket file LibreOffice leaves in /tmp."""
    # The file descriptor, not sys.stdin: this daemon thread would hold sys.stdin's lock while
    # it waits, and Python stopping meanwhile (SIGTERM, LibreOffice's death) dies on that lock
    # with "Fatal Python error: _enter_buffered_busy".
    stdin = sys.stdin.fileno()
    while os.read(stdin, 4096):
        pass
    group = os.getpgrp()
    if os.fork() == 0:  # a child outside the group outlives it, to delete what LibreOffice used
        try:
            os.setsid()
            officegroup.unlink_pipes(group)
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


class _UntilListening:
    """``unoserver.server``'s ``time`` module, whose ``sleep`` ends early once LibreOffice listens.

    unoserver waits a fixed time for LibreOffice to start (5 s), and after each refused
    connection (2 s). A wait that begins while LibreOffice does not listen yet ends as soon as
    it does; one that begins once it listens (a retry after some other error) lasts as long as
    unoserver asked.
    """

    def __init__(self, uno_port: int) -> None:
        self.uno_port = uno_port

    def sleep(self, seconds: float) -> None:
        if self.listening():
            time.sleep(seconds)
            return
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.listening():
            time.sleep(0.05)

    def listening(self) -> bool:
        """Whether LibreOffice accepts connections on its UNO port."""
        try:
            socket.create_connection(("127.0.0.1", self.uno_port), timeout=1).close()
        except OSError:
            return False
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class _HiddenLoads:
    """LibreOffice's desktop (``com.sun.star.frame.Desktop``), except that every document it
    loads is loaded hidden (unoserver asks only for read-only)."""

    def __init__(self, desktop: Any) -> None:
        self._desktop = desktop

    def loadComponentFromURL(self, url: str, target: str, flags: int, properties: tuple[Any, ...]) -> Any:
        hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        hidden.Name, hidden.Value = "Hidden", True
        return self._desktop.loadComponentFromURL(url, target, flags, (*properties, hidden))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._desktop, name)


class _Converter(unoserver.converter.UnoConverter):
    """unoserver's converter, loading through :class:`_HiddenLoads`."""

    desktop: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.desktop = _HiddenLoads(self.desktop)


def _option(name: str, default: str) -> str:
    """The value of unoserver's option ``name`` in this process's arguments."""
    arguments = sys.argv[1:]
    return arguments[arguments.index(name) + 1] if name in arguments[:-1] else default


def main() -> int:
    workdir, sys.argv[1:] = sys.argv[1], sys.argv[2:]
    threading.Thread(target=_watch_parent, args=(workdir, _officegroup()), daemon=True).start()
    unoserver.server.time = _UntilListening(int(_option("--uno-port", "2002")))
    unoserver.server.XMLRPCServer = _Server  # what unoserver's serve() instantiates
    unoserver.converter.UnoConverter = _Converter  # and its converter
    xmlrpc.server.loads = loads  # type: ignore[attr-defined]  # how the dispatcher reads a call
    return unoserver.server.main()


if __name__ == "__main__":
    sys.exit(main())
