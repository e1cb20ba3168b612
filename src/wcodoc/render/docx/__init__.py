"""The DOCX writer: the neutral nodes lowered into Word's (``lower``), the generated
``reference.docx`` (``template``), the document written in parts by pandoc (``parts``), the
finishing step (``finish``: sections, header and footer, properties, deterministic zip) and the
annex sections (``annexpages``)."""

from __future__ import annotations

import datetime as dt

from wcodoc.render import Job
from wcodoc.render.docx.finish import finish_package
from wcodoc.render.docx.lower import Lowering
from wcodoc.render.docx.parts import PartCache, splice_parts, write_parts

PARTS_CACHE = "parts"
"""The folder of cached fragments in the build's cache (``build/.cache/parts``)."""


def source_date_epoch(issued: dt.date) -> int:
    """The issue date as a Unix time: every date written into the DOCX derives from it."""
    return int(dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC).timestamp())


def write_docx(job: Job) -> None:
    """Write the project's DOCX to ``job.out``: lowered part by part, written (or taken from the
    cache) by pandoc, spliced, finished."""
    project = job.project
    with job.stage("write DOCX parts (pandoc)"):
        written = write_parts(
            job.parts,
            job.api_version,
            reference_docx=project.style.reference_docx,
            epoch=source_date_epoch(project.meta.issued),
            cache=PartCache(job.cache / PARTS_CACHE if job.cache is not None else None),
            jobs=job.jobs,
            lowering=Lowering(),
        )
    with job.stage("splice parts"):
        package = splice_parts(written)
    with job.stage("finish DOCX"):
        finish_package(package, job.out, project.meta, project.style)
