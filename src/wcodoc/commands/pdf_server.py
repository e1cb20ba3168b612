"""``wcodoc pdf-server``: keep LibreOffice running so builds skip its start-up."""

from __future__ import annotations

import signal
import subprocess

import click

from wcodoc.pdf import convert


@click.command("pdf-server")
@click.option(
    "--host",
    default=None,
    help="Address to listen on [default: from WCODOC_PDF_SERVER, else 127.0.0.1]. "
    "Anyone who can reach it can have documents converted.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port to listen on [default: from WCODOC_PDF_SERVER, else 2012].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=180,
    show_default=True,
    help="Seconds one conversion may take before LibreOffice is restarted.",
)
def pdf_server(host: str | None, port: int | None, timeout: float) -> int:
    """Convert DOCX to PDF on request with a LibreOffice kept running, until Ctrl-C.

    Builds use it automatically when it answers at WCODOC_PDF_SERVER (host:port, default
    127.0.0.1:2012), and convert with a fresh LibreOffice otherwise.
    """
    configured = convert.server_address() or convert.server_address(convert.DEFAULT_SERVER)
    command = convert.pdf_server_command(
        host or configured[0], port or configured[1], convert_timeout=timeout
    )
    # The server runs under the Python that has LibreOffice's bridge, in this process group:
    # Ctrl-C on the terminal reaches it directly; a SIGTERM sent to this command is passed on.
    server = subprocess.Popen(command)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()  # ignored if Ctrl-C already started its shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
