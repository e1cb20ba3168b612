"""Warm converters for a batch of PDFs: a session build, a watch, a ``revise --redline``.

A LibreOffice started for each document costs about a second of start-up per PDF; a batch
converts through unoservers instead (:mod:`wcodoc.pdf.server`, as ``wcodoc pdf-server`` runs
them). When a server already answers at ``$WCODOC_PDF_SERVER`` the batch uses it; otherwise
:func:`warm_converters` starts its own on this machine, one per worker, each with its own
LibreOffice and profile, on free loopback ports. They start in the background while the first
DOCX files are written (a server answers about a second after it starts), and are killed with
their profiles when the batch ends, however it ends: at the end, on an error, on Ctrl-C or
SIGTERM (which the command line turns into Ctrl-C), and, should wcodoc itself be killed, by
the launcher's watchdog (end of file on its standard input: see ``unoserver_launcher.py``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.pdf import client
from wcodoc.pdf.convert import conversion_timeout, find_soffice
from wcodoc.pdf.server import PdfServer, free_port, installed_python

log = logging.getLogger(__name__)

STOP_WAIT = 5.0
"""Seconds to wait, once the servers are killed, for the threads that were starting them."""
START_ATTEMPTS = 2
"""Starts tried for each server of a batch before its documents are converted without it."""


def servers_for(workers: int) -> int:
    """How many servers a batch of ``workers`` starts: one per two cores, at most one per worker.

    A worker spends about as long writing a document's DOCX (pandoc, Python) as converting it,
    so half the workers convert at any time; and a server converts on one core, which the DOCX
    of other documents needs too. On two cores a session of 12 documents built by 2 workers took
    4.1 s with one server started for it, 4.7 s with two (benchmarks/bench_session.py).
    """
    return max(1, min(workers, (os.cpu_count() or 1) // 2))


@contextlib.contextmanager
def warm_converters(
    count: int, wanted: bool = True, *, restart: bool = False
) -> Iterator[client.Servers | None]:
    """The PDF servers of a batch, made the current thread's (:func:`client.use_servers`).

    Those of ``$WCODOC_PDF_SERVER`` that answer; if none does, ``count`` unoservers started
    now, killed with their profiles when the block ends (``restart``: one whose LibreOffice
    dies is replaced, for a watch that lasts hours; else it is dropped). Yields ``None`` and
    starts nothing when not ``wanted``, when ``$WCODOC_PDF_SERVER`` is ``off``, or when
    unoserver or LibreOffice is not installed: each document then starts a LibreOffice of its
    own, as a single build does. Threads of the batch call ``client.use_servers`` with what it
    yields.
    """
    configured = client.configured_servers() if wanted else []
    if not configured:
        yield None
        return
    if answering := client.answering_servers(configured):
        with _used(client.Servers(answering)) as servers:
            yield servers
        return
    try:
        python, timeout = installed_python(), conversion_timeout()
        find_soffice()
    except WcodocError as error:
        log.debug("no PDF server started for the batch: %s", error)
        yield None
        return
    with _used(client.Servers(starting=count)) as servers:
        kept = [_Kept(servers, python, timeout, restart) for _ in range(count)]
        try:
            for server in kept:
                server.thread.start()
            yield servers
        finally:
            for server in kept:
                server.kill()
            for server in kept:
                server.thread.join(STOP_WAIT)


@contextlib.contextmanager
def _used(servers: client.Servers) -> Iterator[client.Servers]:
    previous = client.batch_servers()
    client.use_servers(servers)
    try:
        yield servers
    finally:
        servers.close()
        client.use_servers(previous)


class _Kept:
    """One server of the batch, started in a thread of its own (again when it dies, if
    ``restart``); :meth:`kill` ends it at any point, starting included."""

    def __init__(self, servers: client.Servers, python: Path, timeout: float, restart: bool) -> None:
        self.servers, self.python, self.timeout, self.restart = servers, python, timeout, restart
        self.thread = threading.Thread(target=self._run, daemon=True, name="wcodoc-pdf-server")
        self._lock = threading.Lock()
        self._killed = False
        self._current: PdfServer | None = None

    def kill(self) -> None:
        """Kill the server (and its LibreOffice), delete its folder; start no other."""
        with self._lock:
            self._killed = True
            server = self._current
        if server is not None:
            server.kill()

    def _run(self) -> None:
        failed = 0
        while (server := self._new()) is not None:
            try:
                server.launch(self.python)
                server.wait_until_ready()
            except (WcodocError, OSError) as error:
                server.kill()
                failed += 1
                if failed < START_ATTEMPTS and not self._killed:
                    # Its ports were free when chosen; another program may have taken one since.
                    log.debug("a PDF server for this batch did not start (%s); trying again", error)
                    continue
                if not self._killed:
                    log.warning(
                        "a PDF server for this batch did not start (%s); converting without it", error
                    )
                self.servers.not_started()
                return
            self.servers.ready(server.address)
            if not self.restart:
                return
            status = server.wait()
            if self._killed:
                return
            log.warning("the PDF server's LibreOffice stopped (exit status %s); starting another", status)
            self.servers.restarting(server.address)
            server.kill()

    def _new(self) -> PdfServer | None:
        with self._lock:
            if self._killed:
                return None
            self._current = PdfServer(
                client.DEFAULT_HOST, free_port(), convert_timeout=self.timeout, quiet=True
            )
            return self._current
