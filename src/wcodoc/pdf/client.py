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
import xmlrpc.client
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

_preferred: contextvars.ContextVar[tuple[Address, ...] | None] = contextvars.ContextVar(
    "wcodoc_pdf_servers", default=None
)


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
    """The servers to try, in order.

    ``value`` if given, else the order set by :func:`prefer_servers` in this thread, else
    ``$WCODOC_PDF_SERVER``, else ``127.0.0.1:2012``.
    """
    if value is not None:
        return parse_servers(value)
    if (preferred := _preferred.get()) is not None:
        return list(preferred)
    return parse_servers(os.environ.get(SERVER_ENV, DEFAULT_SERVER))


def prefer_servers(addresses: Sequence[Address]) -> None:
    """Make conversions in the current thread try ``addresses``, in this order.

    ``wcodoc session build`` gives each worker thread its own first server, so the documents
    of a session spread over every server that answers.
    """
    _preferred.set(tuple(addresses))


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


def convert_on_servers(
    docx: bytes, addresses: Sequence[Address], *, options: Sequence[str], timeout: float, shown_as: Path
) -> bytes | None:
    """The PDF from the first of ``addresses`` that converts ``docx``, or ``None`` (then: cold).

    ``options`` are writer_pdf_Export's filter data as ``Name=value``; ``timeout`` bounds the
    wait for each answer once connected.
    """
    for address in addresses:
        pdf = _convert_on(address, docx, options, timeout, shown_as)
        if pdf is not None:
            return pdf
    return None


def _convert_on(
    address: Address, docx: bytes, options: Sequence[str], timeout: float, shown_as: Path
) -> bytes | None:
    # convert(inpath, indata, outpath, convert_to, filtername, filter_options, update_index,
    # infiltername, password): bytes in, bytes out, never a path on the server's disk.
    # update_index=False converts exactly what a cold ``soffice --convert-to`` would.
    params = (None, xmlrpc.client.Binary(docx), None, "pdf", "writer_pdf_Export", list(options), False)
    try:
        result = _call(address, "convert", (*params, None, None), timeout, shown_as)
    except ConnectionRefusedError:
        log.debug("no PDF server at %s", format_address(address))
        return None
    except (OSError, http.client.HTTPException, xmlrpc.client.Error) as exc:
        log.warning("PDF server at %s failed (%s); trying without it", format_address(address), exc)
        return None
    if not isinstance(result, bytes) or not result.startswith(b"%PDF"):
        log.warning("PDF server at %s sent no PDF; trying without it", format_address(address))
        return None
    return result


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
