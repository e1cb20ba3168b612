"""Client of unoserver: DOCX → PDF through a LibreOffice that is already running.

unoserver (https://github.com/unoconv/unoserver, started by ``wcodoc pdf-server``) answers
XML-RPC; wcodoc calls its ``convert`` method with the DOCX bytes and gets the PDF bytes back,
so the server may also run on another machine. Which servers to try comes from
``$WCODOC_PDF_SERVER``: ``host:port``, several separated by commas, or ``off``.

The ``unoserver`` package's own client is not used, although it imports without ``uno``: it
retries a refused connection for 40 s (5 × 10 s) and has no time limit on an answer, where
wcodoc must move on at once to the next server or a cold LibreOffice. Speaking the protocol
with :mod:`xmlrpc.client` takes a few lines and keeps both time limits in wcodoc's hands.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import http.client
import logging
import os
import socket
import threading
import xmlrpc.client
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from wcodoc.errors import WcodocError
from wcodoc.pdf import inflight

log = logging.getLogger(__name__)

SERVER_ENV = "WCODOC_PDF_SERVER"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2012
DEFAULT_SERVER = f"{DEFAULT_HOST}:{DEFAULT_PORT}"
API_VERSION = "3"
"""unoserver's XML-RPC API (unoserver 2.x and 3.x): ``info()`` and ``convert(...)``."""
CONNECT_TIMEOUT = 1.0
"""Seconds to reach a server; a refused connection on this machine fails at once."""
_DISABLED = {"", "off", "none", "no", "0"}

Address = tuple[str, int]

_batch: contextvars.ContextVar[Servers | None] = contextvars.ContextVar("wcodoc_pdf_servers", default=None)


def format_address(address: Address) -> str:
    """``host:port`` as ``$WCODOC_PDF_SERVER`` spells it (``[::1]:2012`` for IPv6)."""
    host, port = address
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_servers(value: str) -> list[Address]:
    """The addresses in a ``$WCODOC_PDF_SERVER`` value, in order; ``[]`` for ``off``."""
    if value.strip().lower() in _DISABLED:
        return []
    return [_parse_address(item.strip()) for item in value.split(",")]


def _parse_address(text: str) -> Address:
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")  # [::1]:2012
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise WcodocError(
            f"{SERVER_ENV}: {text!r} is not host:port; expected e.g. {DEFAULT_SERVER}, "
            f"several separated by commas, or off"
        )
    return host, int(port)


def configured_servers(value: str | None = None) -> list[Address]:
    """The servers to try, in order: ``value`` if given, else ``$WCODOC_PDF_SERVER``, else
    ``127.0.0.1:2012``."""
    if value is not None:
        return parse_servers(value)
    return parse_servers(os.environ.get(SERVER_ENV, DEFAULT_SERVER))


def batch_servers() -> Servers | None:
    """The servers of the batch this thread converts for (:func:`use_servers`), if any."""
    return _batch.get()


def use_servers(servers: Servers | None) -> None:
    """Make conversions in the current thread go to ``servers`` (``None``: the configured ones).

    A batch (``wcodoc session build``, ``watch``, ``revise --redline``) calls it in each of its
    threads, so that all its conversions share the servers and their counts.
    """
    _batch.set(servers)


def answering_servers(addresses: Sequence[Address]) -> list[Address]:
    """Those of ``addresses`` that accept a connection now, in the same order."""
    if not addresses:
        return []
    with concurrent.futures.ThreadPoolExecutor(len(addresses)) as pool:
        accepts = list(pool.map(_accepts, addresses))
    return [address for address, ok in zip(addresses, accepts, strict=True) if ok]


def _accepts(address: Address) -> bool:
    try:
        socket.create_connection(address, timeout=CONNECT_TIMEOUT).close()
    except OSError:
        return False
    return True


def server_info(address: Address, timeout: float = 2.0) -> dict[str, Any] | None:
    """unoserver's ``info()`` (versions, filters), or ``None`` if no unoserver answers there."""
    try:
        info = _call(address, "info", (), timeout)
    except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:
        log.debug("no PDF server at %s (%s)", format_address(address), exc)
        return None
    if not isinstance(info, dict) or info.get("api") != API_VERSION:
        return None
    return info


class Servers:
    """The PDF servers a batch of conversions shares: each conversion goes to the least busy
    one (the first listed among equals); one that fails is dropped, the document sent to another.

    Thread-safe. Servers still starting (``starting``) are waited for rather than a busy one:
    they answer within a second or two, while a LibreOffice started for one document costs as
    much and a busy one converts its own document first.
    """

    def __init__(self, addresses: Sequence[Address] = (), *, starting: int = 0) -> None:
        self._changed = threading.Condition()
        self._live: list[Address] = list(dict.fromkeys(addresses))
        self._busy: Counter[Address] = Counter()
        self._starting = starting
        self.known: list[Address] = list(self._live)
        """Every server that answered, in order, those dropped since included."""
        self.converted: Counter[Address] = Counter()
        """Conversions each server made."""
        self.dropped: list[Address] = []
        """Servers that failed and were given up, in order."""
        self.cold = 0
        """Conversions made by a LibreOffice started for the document (no server could)."""
        self.started = starting > 0
        """Whether the servers were started for the batch (and are stopped after it)."""
        self.closed = False

    def ready(self, address: Address) -> None:
        """A server started for the batch answers: conversions may go to it."""
        with self._changed:
            self._starting -= 1
            if not self.closed:
                self._live.append(address)
                self.known.append(address)
            self._changed.notify_all()

    def restarting(self, address: Address) -> None:
        """A server started for the batch stopped, and another is starting in its place."""
        with self._changed:
            if address in self._live:
                self._live.remove(address)
                self.dropped.append(address)
            self._starting += 1
            self._changed.notify_all()

    def not_started(self) -> None:
        """A server started for the batch will not answer."""
        with self._changed:
            self._starting -= 1
            self._changed.notify_all()

    def close(self) -> None:
        """The batch is over (or stopping): no conversion waits for a server any more."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def count(self) -> int:
        """The servers that answer or are starting."""
        with self._changed:
            return len(self._live) + max(self._starting, 0)

    def usable(self) -> bool:
        """Whether a conversion may still go to a server (one answers or is starting)."""
        with self._changed:
            return bool(self._live) or self._starting > 0

    def convert(self, docx: bytes, *, options: Sequence[str], timeout: float, shown_as: Path) -> bytes | None:
        """The PDF of ``docx`` from the least busy server, or ``None`` if none could (then: cold).

        ``options`` are writer_pdf_Export's filter data as ``Name=value``; ``timeout`` bounds
        the wait for each answer once connected.
        """
        tried: set[Address] = set()
        while (address := self._next(tried, shown_as)) is not None:
            tried.add(address)
            pdf, alive = None, True
            try:
                pdf, alive = _convert_on(address, docx, options, timeout, shown_as)
            finally:  # an interrupted batch included
                self._give_back(address, converted=pdf is not None, alive=alive)
            if pdf is not None:
                return pdf
        with self._changed:
            self.cold += 1
        return None

    def _next(self, tried: set[Address], shown_as: Path) -> Address | None:
        """An idle server not ``tried`` yet, else the least busy one, counted busy from now.

        While servers are starting, a conversion waits for one of them, or for a busy one to be
        free, rather than queue behind another. An interrupted batch stops the wait
        (:func:`inflight.stopping`), as it stops a conversion.
        """
        with inflight.stoppable(self.close, shown_as), self._changed:
            while True:
                free = [a for a in self._live if a not in tried]
                waiting = self._starting > 0 and not self.closed
                if free and (not waiting or any(self._busy[a] == 0 for a in free)):
                    address = min(free, key=lambda a: self._busy[a])  # min keeps the first of equals
                    self._busy[address] += 1
                    return address
                if not waiting:
                    return None
                self._changed.wait()

    def _give_back(self, address: Address, *, converted: bool, alive: bool) -> None:
        with self._changed:
            self._busy[address] -= 1
            self._changed.notify_all()
            if converted:
                self.converted[address] += 1
            if not alive and address in self._live:
                self._live.remove(address)
                self.dropped.append(address)


def _convert_on(
    address: Address, docx: bytes, options: Sequence[str], timeout: float, shown_as: Path
) -> tuple[bytes | None, bool]:
    """The PDF from the server at ``address`` (or ``None``), and whether that server still works:
    one that cannot be reached, hangs up or is no unoserver does not; one that refused or failed
    this document does."""
    # convert(inpath, indata, outpath, convert_to, filtername, filter_options, update_index,
    # infiltername, password): bytes in, bytes out, never a path on the server's disk.
    # update_index=False converts exactly what a cold ``soffice --convert-to`` would.
    params = (None, xmlrpc.client.Binary(docx), None, "pdf", "writer_pdf_Export", list(options), False)
    shown = format_address(address)
    try:
        result = _call(address, "convert", (*params, None, None), timeout, shown_as)
    except ConnectionRefusedError:
        log.debug("no PDF server at %s", shown)
        return None, False
    except (xmlrpc.client.ProtocolError, xmlrpc.client.Fault) as exc:  # an answer: it works
        log.warning("PDF server at %s did not convert %s (%s); trying without it", shown, shown_as, exc)
        return None, True
    except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:
        log.warning("PDF server at %s failed (%s); trying without it", shown, exc)
        return None, False
    if not isinstance(result, bytes) or not result.startswith(b"%PDF"):
        log.warning("PDF server at %s sent no PDF; trying without it", shown)
        return None, True
    return result, True


class _Connection(http.client.HTTPConnection):
    """An HTTP connection that gives up connecting after 1 s but waits ``reply_timeout``."""

    def __init__(self, address: Address, reply_timeout: float) -> None:
        super().__init__(*address, timeout=CONNECT_TIMEOUT)
        self.reply_timeout = reply_timeout

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(self.reply_timeout)

    def abort(self) -> None:
        """Make a wait for the answer in another thread fail now."""
        with contextlib.suppress(OSError, AttributeError):
            self.sock.shutdown(socket.SHUT_RDWR)


def _call(
    address: Address, method: str, params: tuple[Any, ...], timeout: float, shown_as: Path | None = None
) -> Any:
    body = xmlrpc.client.dumps(params, method, allow_none=True).encode("utf-8")
    connection = _Connection(address, timeout)
    with contextlib.closing(connection), inflight.stoppable(connection.abort, shown_as):
        connection.request("POST", "/RPC2", body, {"Content-Type": "text/xml"})
        response = connection.getresponse()
        answer = response.read()
    if response.status != 200:
        raise xmlrpc.client.ProtocolError(format_address(address), response.status, response.reason, {})
    try:
        (result,), _ = xmlrpc.client.loads(answer, use_builtin_types=True)  # a Fault is raised as is
    except (ExpatError, ValueError) as exc:  # some other service on that port
        raise xmlrpc.client.ResponseError(f"not an XML-RPC answer: {exc}") from None
    return result
