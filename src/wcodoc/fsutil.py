"""File helpers: atomic writes and careful reads of user sources."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

from wcodoc.errors import WcodocError

MAX_SOURCE_BYTES = 5_000_000
P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds.

    A failed or interrupted step therefore leaves the previous output untouched and no
    half-written file behind.
    """
    path = Path(path)
    if path.is_dir():
        raise WcodocError("output path is a folder, not a file", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise WcodocError(
            "cannot create the output folder: a file of that name exists", path.parent
        ) from None
    except OSError as exc:
        raise WcodocError(f"cannot create the output folder: {exc.strerror}", path.parent) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WcodocError(f"cannot write the file: {exc.strerror}", path) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:
        # A full disk, a file-size limit, a folder made read-only meanwhile: name the file.
        raise WcodocError(f"cannot write the file: {exc.strerror or exc}", path) from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink(missing_ok=True)


def os_errors_reported(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator: an OSError met by the function becomes a :class:`WcodocError` naming its
    file, ``x: cannot create the document: Read-only file system``.

    For the commands whose job is to create files (``new``, ``session init``, ``usecases
    new``): a read-only file system, a full disk or a folder without permission is the user's
    to fix, not an internal error.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def reported(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except OSError as exc:
                raise WcodocError(f"{action}: {exc.strerror or exc}", exc.filename) from None

        return reported

    return decorate


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)


class NotRegularFileError(OSError):
    """What :func:`read_regular` raises for a named pipe, a socket or a device."""


def replace_folder(source: Path, target: Path) -> None:
    """Put a copy of the folder ``source`` in place of ``target``, renamed into place whole (a
    reader sees the old folder or the new one); no ``source``: ``target`` removed. A file or a
    link named ``target`` is the user's: refused, never replaced."""
    import shutil  # only the builds that write a folder beside their output need it

    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WcodocError("is not a folder wcodoc wrote: move it away to build here", target)
    staging = None
    try:
        if source.is_dir():
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
            shutil.copytree(source, staging, dirs_exist_ok=True)
            os.chmod(staging, 0o755)
        if target.is_dir():
            shutil.rmtree(target)
        if staging is not None:
            os.replace(staging, target)
            staging = None
    except OSError as exc:
        raise WcodocError(f"cannot write the folder: {exc.strerror or exc}", target) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path`` (at most ``limit + 1`` of them), read only if it is a regular file.

    Symlinks are followed. The file is opened without blocking and checked on the open
    descriptor, not before: opening a named pipe waits for a writer, forever and deaf to
    signals, and a device such as ``/dev/zero`` never ends; a check before opening could be
    outrun. Raises :class:`IsADirectoryError` or :class:`NotRegularFileError` (both OSError).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"not a regular file: {path}")
        return stream.read() if limit is None else stream.read(limit + 1)


def read_text(path: Path, *, limit: int = MAX_SOURCE_BYTES) -> str:
    """Read a UTF-8 source file, with an error naming the file if it is missing or not text."""
    path = Path(path)
    try:
        data = read_regular(path, limit)
        if len(data) > limit:
            raise WcodocError(f"file is larger than {limit // 1_000_000} MB; refusing it", path)
    except FileNotFoundError:
        raise WcodocError("file not found", path) from None
    except IsADirectoryError:
        raise WcodocError("expected a file, found a folder", path) from None
    except NotRegularFileError:
        raise WcodocError("not a regular file", path) from None
    except OSError as exc:
        raise WcodocError(f"cannot read file: {exc.strerror}", path) from None
    if b"\0" in data:
        raise WcodocError("binary file (contains NUL bytes), expected UTF-8 text", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WcodocError(
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line
        ) from None
    # Windows (CRLF) and classic Mac (lone CR) line ends: pandoc and line numbers expect LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BOM = b"\xef\xbb\xbf"


def encode_like(text: str, original: bytes) -> bytes:
    """``text`` (LF line ends, as :func:`read_text` gives it) as bytes with the line ends and
    byte-order mark of the file's ``original`` bytes: an edit must not rewrite every line."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    elif b"\r" in original:
        text = text.replace("\n", "\r")
    data = text.encode("utf-8")
    return _BOM + data if original.startswith(_BOM) else data


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters no XML 1.0 file (so no Word file) can hold, such as ``"\x01"``."""


def control_character(text: str) -> str | None:
    """The first character of ``text`` that a Word file cannot hold, as ``U+0001``; else ``None``."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def shown_path(path: Path | str) -> str:
    """``path`` as a message shows it: relative to the working folder, unless it lies more
    than one folder above it (then as given)."""
    try:
        relative = os.path.relpath(os.path.abspath(str(path)))
    except ValueError:  # on another drive (Windows)
        return str(path)
    return str(path) if relative.startswith("../..") else relative


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` resolves to a location inside ``root`` (symlinks followed)."""
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True
