"""``wcodoc pdf-server``: keep LibreOffice running (unoserver) so builds skip its start-up."""

from __future__ import annotations

import signal
from types import FrameType

import click

from wcodoc.pdf import client
from wcodoc.pdf.server import PdfServer

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@click.command("pdf-server")
@click.option(
    "--host",
    default=None,
    help="Address to listen on [default: from WCODOC_PDF_SERVER, else 127.0.0.1]. "
    "Anyone who can reach it can have your LibreOffice convert DOCX files, and a DOCX "
    "can link files of this machine: keep it on 127.0.0.1 or a trusted network.",
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

    Runs unoserver from the environment `make build` prepares (.venv/uno, or
    WCODOC_UNO_VENV). Builds use it when it answers at WCODOC_PDF_SERVER (host:port,
    several separated by commas; default 127.0.0.1:2012) and start LibreOffice themselves
    otherwise.
    """
    configured = (client.configured_servers() or [(client.DEFAULT_HOST, client.DEFAULT_PORT)])[0]
    server = PdfServer(host or configured[0], port or configured[1], convert_timeout=timeout)
    shown = client.format_address(server.address)
    previous = {signum: signal.signal(signum, _interrupt) for signum in _STOP_SIGNALS}
    try:
        server.run(
            ready=lambda: click.echo(f"listening on {shown} (Ctrl-C stops it)"),
            restarting=lambda status: click.echo(
                f"LibreOffice stopped (unoserver exit status {status}); restarting it", err=True
            ),
        )
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        # A second Ctrl-C, or the SIGTERM a supervisor sends after it, must not cut the
        # clean-up short and leave LibreOffice running.
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
