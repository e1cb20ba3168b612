"""``wcodoc pdf-server``: keep LibreOffice running so builds skip its start-up."""

from __future__ import annotations

import subprocess

import click

from wcodoc import convert


@click.command("pdf-server")
@click.option("--host", default=None,
              help="Address to listen on [default: from WCODOC_PDF_SERVER, else 127.0.0.1]. "
                   "Anyone who can reach it can have documents converted.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on [default: from WCODOC_PDF_SERVER, else 2012].")
@click.option("--timeout", type=click.FloatRange(min=1), default=180, show_default=True,
              help="Seconds one conversion may take before LibreOffice is restarted.")
def pdf_server(host: str | None, port: int | None, timeout: float) -> int:
    """Convert DOCX to PDF on request with a LibreOffice kept running, until Ctrl-C.

    Builds use it automatically when it answers at WCODOC_PDF_SERVER (host:port, default
    127.0.0.1:2012), and convert with a fresh LibreOffice otherwise.
    """
    configured = convert.server_address() or convert.server_address(convert.DEFAULT_SERVER)
    command = convert.pdf_server_command(host or configured[0], port or configured[1],
                                         convert_timeout=timeout)
    # Same process group as this one: Ctrl-C on the terminal reaches the server too, and it
    # closes LibreOffice itself; here we only wait for it to finish.
    server = subprocess.Popen(command)
    try:
        return server.wait()
    except KeyboardInterrupt:
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        return 130
