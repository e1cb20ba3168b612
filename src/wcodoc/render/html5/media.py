"""The edition's pictures: copied beside the page into ``SYMBOL_files/``, linked relatively.

The page and its folder travel together (a shared folder, a zip), so the page names its
pictures relative to itself, never by a path of the machine that built it. A picture keeps its
file name; two different pictures of the same name get ``-2``, ``-3``… in order of appearance,
so the same sources give the same names.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

from wcodoc.errors import WcodocError
from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Node


class Pictures:
    """The pictures of one edition: source file → its name in the folder ``folder``."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.names: dict[Path, str] = {}

    def relinked(self, blocks: list[Node]) -> list[Node]:
        """``blocks`` with every picture of a local file linked to its copy in the folder."""
        return pandocast.rewritten(blocks, self._image, only=("Image",))

    def _image(self, node: Node) -> Node | None:
        attr, inlines, (url, title) = node["c"]
        source = Path(url)
        if not source.is_absolute() or not source.is_file():
            return None  # the build checked every picture: what is left is no file of ours
        return {"t": "Image", "c": [attr, inlines, [quote(f"{self.folder}/{self._name(source)}"), title]]}

    def _name(self, source: Path) -> str:
        if source not in self.names:
            taken = set(self.names.values())
            name, n = source.name, 1
            while name in taken:
                n += 1
                name = f"{source.stem}-{n}{source.suffix}"
            self.names[source] = name
        return self.names[source]

    def write(self, folder: Path) -> None:
        """Put the pictures in ``folder`` (replacing what it held); none: no folder."""
        if not self.names:
            _remove(folder)
            return
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        except OSError as exc:
            raise WcodocError(f"cannot write the pictures: {exc.strerror}", folder) from None
        try:
            for source, name in self.names.items():
                shutil.copyfile(source, staging / name)
                os.chmod(staging / name, 0o644)
            os.chmod(staging, 0o755)
            _remove(folder)
            os.replace(staging, folder)
        except OSError as exc:
            raise WcodocError(f"cannot write the pictures: {exc.strerror or exc}", folder) from None
        finally:
            with contextlib.suppress(OSError):
                shutil.rmtree(staging)


def _remove(folder: Path) -> None:
    """Remove the pictures of an earlier build (a folder only: a file of that name is the user's)."""
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
