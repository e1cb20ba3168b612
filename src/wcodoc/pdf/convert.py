"""The one wrapper around LibreOffice: DOCX → tagged PDF/A-2b with bookmarks.

A running PDF server (unoserver: started by ``wcodoc pdf-server``, or for a batch by
:mod:`wcodoc.pdf.warm`) is used when one answers: it skips LibreOffice's ~1.5 s start-up.
Otherwise, or if every server fails, a cold ``soffice --convert-to`` runs with a private
profile, a time limit and its own process group. Both get the same sanitised copy of the
DOCX and the same export options, and the PDF is renamed into place only once it is complete.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output
from wcodoc.ooxml.relationships import copy_without_external_sources
from wcodoc.pdf import client, inflight
from wcodoc.pdf.officegroup import unlink_pipes

INSTALL_HINT = "apt-get install libreoffice-writer-nogui fonts-liberation2"
TIMEOUT_ENV = "WCODOC_CONVERT_TIMEOUT"
DEFAULT_TIMEOUT = 180.0
PDF_EXPORT_OPTIONS = {"UseTaggedPDF": True, "SelectPdfVersion": 2, "ExportBookmarks": True}
"""writer_pdf_Export filter data: tagged PDF/A-2b with bookmarks from the headings."""
SOFFICE_FLAGS = ["--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck"]


def convert_to_pdf(
    docx: Path,
    pdf: Path,
    *,
    timeout: float | None = None,
    title: str | None = None,
    subject: str | None = None,
    author: str | None = None,
    server: str | None = None,
    profile: Path | None = None,
) -> None:
    """Convert ``docx`` to ``pdf`` (tagged PDF/A-2b, bookmarks from the headings).

    ``title``, ``subject`` and ``author`` override the DOCX core properties that LibreOffice
    copies into the PDF. The batch's servers convert (:func:`client.use_servers`), else those of
    ``$WCODOC_PDF_SERVER``; ``server`` overrides both: ``host:port`` of a PDF server, several
    separated by commas (the first that converts is used), or ``off``. Raises
    :class:`WcodocError` when LibreOffice is missing, fails or exceeds ``timeout`` seconds
    (default: ``$WCODOC_CONVERT_TIMEOUT``, else 180); the previous ``pdf`` is then left as it was.
    ``profile``: the LibreOffice profile of an instance started early (:mod:`wcodoc.pdf.early`),
    which a cold conversion hands its work to.
    """
    timeout = conversion_timeout() if timeout is None else timeout
    docx, pdf = Path(docx), Path(pdf)
    _check_docx(docx)
    servers = client.batch_servers() if server is None else None
    if servers is None:
        servers = client.Servers(client.configured_servers(server))
    with tempfile.TemporaryDirectory(prefix="wcodoc-convert-") as tmp:
        source = _prepared_input(docx, Path(tmp), title=title, subject=subject, author=author)
        data = servers.convert(source.read_bytes(), options=filter_options(), timeout=timeout, shown_as=docx)
        if data is None:
            data = _convert_cold(source, Path(tmp), timeout, shown_as=docx, profile=profile)
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
    # nan and inf are floats too, but no time limit at all would let a hung LibreOffice hang us.
    if not math.isfinite(seconds) or seconds <= 0:
        raise WcodocError(f"{TIMEOUT_ENV}={value!r}: expected a number of seconds such as 300")
    return seconds


# --- finding LibreOffice and telling it what to write ------------------------------------------


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
    """The ``--convert-to`` argument: writer_pdf_Export with :data:`PDF_EXPORT_OPTIONS` as JSON."""
    typed = {
        name: {
            "type": "boolean" if isinstance(value, bool) else "long",
            "value": str(value).lower() if isinstance(value, bool) else str(value),
        }
        for name, value in PDF_EXPORT_OPTIONS.items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


def filter_options() -> list[str]:
    """:data:`PDF_EXPORT_OPTIONS` as unoserver takes them: ``Name=value``, ``true`` for booleans."""
    return [
        f"{name}={str(value).lower() if isinstance(value, bool) else value}"
        for name, value in PDF_EXPORT_OPTIONS.items()
    ]


def profile_url(profile: Path) -> str:
    """The ``-env:UserInstallation`` argument for a private LibreOffice profile folder."""
    return f"-env:UserInstallation={profile.resolve().as_uri()}"


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
    """A private copy of the DOCX, with the given core properties set and no external sources.

    LibreOffice reads and locks the file it converts; a copy keeps it away from the user's
    folder and gives every run a plain file name. A DOCX may come from anywhere (``wcodoc diff
    --pdf``): linked images, templates or frames outside the package would make LibreOffice,
    or a PDF server on another machine, fetch files and URLs, so those links are dropped.
    """
    source = tmp / "document.docx"
    if any(value is not None for value in properties.values()):
        with_properties = tmp / "properties.docx"
        _set_core_properties(docx, with_properties, properties)
        docx = with_properties
    copy_without_external_sources(docx, source)
    return source


def _set_core_properties(docx: Path, target: Path, properties: dict[str, str | None]) -> None:
    import docx as python_docx  # only when a property is set: python-docx costs ~0.1 s to load

    try:
        document = python_docx.Document(str(docx))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise WcodocError(f"not a readable DOCX: {exc}", docx) from None
    for name, value in properties.items():
        if value is not None:
            setattr(document.core_properties, name, value)
    document.save(str(target))


# --- cold conversion -------------------------------------------------------------------------


def _convert_cold(
    source: Path, tmp: Path, timeout: float, *, shown_as: Path, profile: Path | None = None
) -> bytes:
    """Run ``soffice --convert-to`` with a private profile (``profile``: the one of an
    instance started early, which then converts); return the PDF bytes."""
    soffice = find_soffice()
    profile, outdir = profile or tmp / "profile", tmp / "out"
    outdir.mkdir()
    command = [
        soffice,
        *SOFFICE_FLAGS,
        profile_url(profile),
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


def private_tmp(folder: Path) -> dict[str, str]:
    """The environment of a LibreOffice whose temporary files go to ``folder/tmp`` (made now).

    LibreOffice keeps files in TMPDIR (``lu*.tmp``) while it runs, and one that is killed
    leaves them there: in a folder of its own they go when the folder does.
    """
    (folder / "tmp").mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(folder / "tmp")}


def _run_in_own_group(command: list[str], timeout: float, *, cwd: Path, shown_as: Path) -> tuple[int, str]:
    """Run ``command``; on time-out or interruption kill it with everything it started.

    The command leads a new session, so the terminal's Ctrl-C never reaches it: wcodoc kills
    the group itself, which it can only do once ``Popen`` has returned the process.
    """
    started: list[subprocess.Popen[bytes]] = []
    try:
        with interruptions_held():
            started.append(_start(command, cwd, shown_as))
        proc = started[0]
        with inflight.stoppable(lambda: _signal_group(proc, signal.SIGKILL), shown_as):
            _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_all(started)
        raise WcodocError(
            f"LibreOffice did not finish within {timeout:g} s and was stopped", shown_as
        ) from None
    except BaseException:  # Ctrl-C, SIGTERM, a stopped session build
        _kill_all(started)
        raise
    return proc.returncode, stderr.decode("utf-8", "replace")


def _start(command: list[str], cwd: Path, shown_as: Path) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=private_tmp(cwd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise WcodocError(
            f"cannot start LibreOffice ({command[0]}): {exc.strerror}; {INSTALL_HINT}", shown_as
        ) from None


@contextlib.contextmanager
def interruptions_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP until the block ends, then handle them as usual.

    For starting a process that leads its own group: a KeyboardInterrupt raised inside
    ``Popen`` once the child exists would lose it, and with it the only way to kill the group.
    Python runs signal handlers in the main thread only, so other threads need nothing.
    Blocking the signals with ``pthread_sigmask`` instead would hand the mask on to the child.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, FrameType | None]] = []

    def note(number: int, frame: FrameType | None) -> None:
        caught.append((number, frame))

    previous = {
        signum: handler
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        if callable(handler := signal.getsignal(signum))
    }
    for signum in previous:
        signal.signal(signum, note)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for number, frame in caught:
            previous[signal.Signals(number)](number, frame)  # the usual handler: KeyboardInterrupt


def kill_group(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and every process it started (it must lead its own session), and reap it;
    the socket files LibreOffice's processes among them listen on are removed first."""
    unlink_pipes(proc.pid)
    _signal_group(proc, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)


def _kill_all(started: list[subprocess.Popen[bytes]]) -> None:
    for proc in started:
        kill_group(proc)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def _first_lines(text: str, count: int = 3) -> str:
    # javaldx's warning appears on every run without Java; it explains nothing.
    lines = [line.strip() for line in text.splitlines() if line.strip() and "javaldx" not in line]
    return "; ".join(lines[:count])
