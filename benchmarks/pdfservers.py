"""``wcodoc pdf-server`` processes for the benchmarks, started on free ports and stopped after."""

from __future__ import annotations

import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

NOT_STARTED = "wcodoc pdf-server did not start (run `make bench`, which installs unoserver)"


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def pdf_servers(count: int) -> Iterator[str | None]:
    """``count`` servers, started together; once all listen, their addresses as
    ``WCODOC_PDF_SERVER`` takes them (``None`` if one did not start). Stopped with SIGTERM,
    which stops unoserver and LibreOffice's whole process group."""
    procs, addresses = [], []
    try:
        for _ in range(count):
            port = free_port()
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "wcodoc", "pdf-server", "--port", str(port)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    start_new_session=True,
                )
            )
            addresses.append(f"127.0.0.1:{port}")
        started = True
        for proc in procs:
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 120)
            started = started and bool(ready) and proc.stdout.readline().startswith("listening on")
        yield ",".join(addresses) if started else None
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
            if proc.stdout is not None:
                proc.stdout.close()
