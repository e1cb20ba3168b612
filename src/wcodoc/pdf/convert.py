"""The one wrapper around LibreOffice: DOCX → tagged PDF/A-2b with bookmarks.

A running ``wcodoc pdf-server`` is used when one answers at the configured address (it skips
LibreOffice's ~1.5 s start-up); otherwise, or if the server fails in any way, a cold
``soffice --convert-to`` runs with a private profile, a time limit and its own process group.
Either way the PDF is renamed into place only once it is complete.
"""

from __future__ import annotations

import functools
import http.client
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output
from wcodoc.pdf import server as pdfserver

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install libreoffice-writer-nogui fonts-liberation2"
SERVER_ENV = "WCODOC_PDF_SERVER"
TIMEOUT_ENV = "WCODOC_CONVERT_TIMEOUT"
DEFAULT_TIMEOUT = 180.0
DEFAULT_SERVER = f"{pdfserver.DEFAULT_HOST}:{pdfserver.DEFAULT_PORT}"
CONNECT_TIMEOUT = 1.0
"""Seconds to reach the warm server; a refused connection on this machine fails at once."""
_DISABLED = {"", "off", "none", "no", "0"}


def convert_to_pdf(
    docx: Path,
    pdf: Path,
    *,
    timeout: float | None = None,
    title: str | None = None,
    subject: str | None = None,
    author: str | None = None,
    server: str | None = None,
) -> None:
    """Convert ``docx`` to ``pdf`` (tagged PDF/A-2b, bookmarks from the headings).

    ``title``, ``subject`` and ``author`` override the DOCX core properties that LibreOffice
    copies into the PDF. ``server`` is a ``host:port`` of a ``wcodoc pdf-server`` (default:
    ``$WCODOC_PDF_SERVER``, else ``127.0.0.1:2012``; ``off`` never tries one). Raises
    :class:`WcodocError` when LibreOffice is missing, fails or exceeds ``timeout`` seconds
    (default: ``$WCODOC_CONVERT_TIMEOUT``, else 180); the previous ``pdf`` is then left as it was.
    """
    timeout = conversion_timeout() if timeout is None else timeout
    docx, pdf = Path(docx), Path(pdf)
    _check_docx(docx)
    with tempfile.TemporaryDirectory(prefix="wcodoc-convert-") as tmp:
        source = _prepared_input(docx, Path(tmp), title=title, subject=subject, author=author)
        address = server_address(server)
        data = _convert_warm(source, address, timeout) if address else None
        if data is None:
            data = _convert_cold(source, Path(tmp), timeout, shown_as=docx)
    with atomic_output(pdf) as out:
        out.write_bytes(data)


def conversion_timeout() -> float:
    """The time limit of one conversion: ``$WCODOC_CONVERT_TIMEOUT`` seconds, else 180."""
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise WcodocError(f"{TIMEOUT_ENV}={value!r}: expected a number of seconds such as 300")
    return seconds


# --- finding LibreOffice ---------------------------------------------------------------------


def find_soffice() -> str:
    """Path of LibreOffice's ``soffice`` (``$WCODOC_SOFFICE`` overrides the search of PATH)."""
    if configured := os.environ.get("WCODOC_SOFFICE"):
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise WcodocError(f"WCODOC_SOFFICE={configured}: no such program; unset it or {INSTALL_HINT}")
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    raise WcodocError(f"LibreOffice (soffice) not found, needed for the PDF; install it: {INSTALL_HINT}")


def export_filter() -> str:
    """The ``--convert-to`` argument: writer_pdf_Export with the server's options as JSON."""
    typed = {
        name: {
            "type": "boolean" if isinstance(value, bool) else "long",
            "value": str(value).lower() if isinstance(value, bool) else str(value),
        }
        for name, value in pdfserver.PDF_EXPORT_OPTIONS.items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


# --- input -----------------------------------------------------------------------------------


def _check_docx(docx: Path) -> None:
    # LibreOffice would happily render any file as plain text; only a Word package is wanted.
    if not docx.is_file():
        raise WcodocError("DOCX to convert not found", docx)
    try:
        with zipfile.ZipFile(docx) as package:
            package.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise WcodocError("not a Word (DOCX) file: cannot convert it to PDF", docx) from None


def _prepared_input(docx: Path, tmp: Path, **properties: str | None) -> Path:
    """A private copy of the DOCX, with the given core properties set.

    LibreOffice reads and locks the file it converts; a copy keeps it away from the user's
    folder, and gives every run a plain file name.
    """
    source = tmp / "document.docx"
    if not any(value is not None for value in properties.values()):
        shutil.copyfile(docx, source)
        return source
    import docx as python_docx

    try:
        document = python_docx.Document(str(docx))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise WcodocError(f"not a readable DOCX: {exc}", docx) from None
    for name, value in properties.items():
        if value is not None:
            setattr(document.core_properties, name, value)
    document.save(str(source))
    return source


# --- cold conversion -------------------------------------------------------------------------


def _convert_cold(source: Path, tmp: Path, timeout: float, *, shown_as: Path) -> bytes:
    """Run a fresh ``soffice --convert-to`` with a private profile; return the PDF bytes."""
    soffice = find_soffice()
    profile, outdir = tmp / "profile", tmp / "out"
    outdir.mkdir()
    command = [
        soffice,
        *pdfserver.SOFFICE_FLAGS,
        pdfserver.profile_url(profile),
        "--convert-to",
        export_filter(),
        "--outdir",
        str(outdir),
        str(source),
    ]
    status, stderr = _run_in_own_group(command, timeout, cwd=tmp, shown_as=shown_as)
    result = outdir / f"{source.stem}.pdf"
    data = result.read_bytes() if result.is_file() else b""
    if status != 0 or not data.startswith(b"%PDF"):
        detail = _first_lines(stderr) or (f"exit status {status}" if status else "no PDF written")
        raise WcodocError(f"LibreOffice could not convert the document to PDF: {detail}", shown_as)
    return data


def _run_in_own_group(command: list[str], timeout: float, *, cwd: Path, shown_as: Path) -> tuple[int, str]:
    """Run ``command``; on time-out or interruption kill it with everything it started."""
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise WcodocError(
            f"cannot start LibreOffice ({command[0]}): {exc.strerror}; {INSTALL_HINT}", shown_as
        ) from None
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        pdfserver.kill_group(proc)
        _close_pipes(proc)
        raise WcodocError(
            f"LibreOffice did not finish within {timeout:g} s and was stopped", shown_as
        ) from None
    except BaseException:  # Ctrl-C: the new session does not get the terminal's SIGINT
        pdfserver.kill_group(proc)
        _close_pipes(proc)
        raise
    return proc.returncode, stderr.decode("utf-8", "replace")


def _close_pipes(proc: subprocess.Popen) -> None:
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


def _first_lines(text: str, count: int = 3) -> str:
    # javaldx's warning appears on every run without Java; it explains nothing.
    lines = [line.strip() for line in text.splitlines() if line.strip() and "javaldx" not in line]
    return "; ".join(lines[:count])


# --- warm conversion -------------------------------------------------------------------------


def server_address(value: str | None = None) -> tuple[str, int] | None:
    """``(host, port)`` of the warm server to try, or ``None`` when it is switched off."""
    text = (value if value is not None else os.environ.get(SERVER_ENV, DEFAULT_SERVER)).strip()
    if text.lower() in _DISABLED:
        return None
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")  # [::1]:2012
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise WcodocError(f"{SERVER_ENV}={text}: expected host:port (e.g. {DEFAULT_SERVER}) or off")
    return host, int(port)


def _convert_warm(source: Path, address: tuple[str, int], timeout: float) -> bytes | None:
    """The PDF from the server at ``address``, or ``None`` on any failure (then: cold)."""
    connection = http.client.HTTPConnection(*address, timeout=CONNECT_TIMEOUT)
    try:
        connection.connect()
        connection.sock.settimeout(timeout)
        connection.request(
            "POST",
            "/convert",
            body=source.read_bytes(),
            headers={
                "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            },
        )
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as exc:
        log.debug("no warm PDF server at %s:%s (%s)", *address, exc)
        return None
    finally:
        connection.close()
    ours = response.getheader(pdfserver.PROTOCOL_HEADER) == pdfserver.PROTOCOL_VERSION
    if response.status != 200 or not ours or not body.startswith(b"%PDF"):
        log.warning(
            "PDF server at %s:%s failed (%s %s); converting without it",
            *address,
            response.status,
            body[:200].decode("utf-8", "replace").strip(),
        )
        return None
    return body


def server_health(address: tuple[str, int], timeout: float = 1.0) -> dict | None:
    """The server's ``/health`` answer, or ``None`` if no wcodoc PDF server answers there."""
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    if response.status != 200 or not response.getheader(pdfserver.PROTOCOL_HEADER):
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


# --- starting the server ---------------------------------------------------------------------


def pdf_server_command(host: str, port: int, *, convert_timeout: float = 180) -> list[str]:
    """The command that runs the warm server under a Python that has LibreOffice's bridge."""
    # -I keeps the script's folder (wcodoc/, with its ast.py) off sys.path of that Python.
    return [
        uno_python(),
        "-I",
        pdfserver.__file__,
        "--host",
        host,
        "--port",
        str(port),
        "--soffice",
        find_soffice(),
        "--convert-timeout",
        str(convert_timeout),
    ]


@functools.cache
def uno_python() -> str:
    """A Python that can ``import uno`` (``$WCODOC_UNO_PYTHON``, this one, or the system's)."""
    candidates = [os.environ.get("WCODOC_UNO_PYTHON"), sys.executable, "/usr/bin/python3"]
    for python in filter(None, candidates):
        try:
            probe = subprocess.run(
                [python, "-I", "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return python
    raise WcodocError(
        "the PDF server needs LibreOffice's Python bridge; install it: apt-get install python3-uno"
    )
