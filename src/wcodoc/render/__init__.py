"""Writers: stage 4–5 of the build, one folder per output format.

A writer gets a :class:`Job`: the project, its assembled document (the transform's
format-neutral nodes, :mod:`wcodoc.transform.nodes`, cut into parts) and where to write. It
lowers the neutral nodes into its own form and writes one file. ``docx/`` lowers them into Word
bookmarks, fields and spacers, writes the DOCX in parts with pandoc against the house-style
``reference.docx``, splices and finishes it. ``build.WRITERS`` lists the writers, one row each.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wcodoc.load.project import Project
from wcodoc.transform.pandocast import Node

Stage = Callable[[str], contextlib.AbstractContextManager[None]]
"""Times one step of a writer and reports it as progress: ``with job.stage("splice parts"):``."""


@contextlib.contextmanager
def untimed(_name: str) -> Iterator[None]:
    """A :data:`Stage` that neither times nor reports."""
    yield


@dataclass(frozen=True)
class Job:
    """What a writer is given."""

    project: Project
    out: Path
    """Where to write (atomically: the previous file stays if the writer fails)."""
    parts: list[list[Node]]
    """The document's blocks, part by part (the cover, each ``#`` section, each annex); empty
    for a writer that converts another format's output."""
    api_version: list[int]
    source: Path | None = None
    """The output of the format this one is made from (``build.Writer.made_from``)."""
    cache: Path | None = None
    """The build's cache folder (``build/.cache``), where a writer may keep a folder of its
    own; ``None``: no cache."""
    jobs: int | None = None
    """How many processes a writer may run at once (``None``: one per core)."""
    stage: Stage = untimed
    early: Any = None
    """What the writer's ``build.Writer.early`` yielded (the PDF's LibreOffice, started early)."""
