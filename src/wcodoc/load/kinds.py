"""Document kinds as loading knows them: the name written in ``kind:`` and the keys it takes.

A kind is chosen by ``kind:`` in ``document.yaml``. Validating ``document.yaml`` is the first
thing every command does, so the part of a kind it needs is declared here, at the bottom of the
package: which of the keys of :class:`~wcodoc.load.metadata.DocumentMeta` the kind requires and
which it has no use for. The rest of a kind (its cover, header and footer, generated blocks and
the cover fields the diff reads back) is behaviour over the AST and lives in :mod:`wcodoc.kinds`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindSchema:
    """What ``document.yaml`` holds for one kind of document."""

    name: str
    """The value of ``kind:`` (``working-document``)."""
    required: tuple[str, ...]
    """Keys ``document.yaml`` (or the session's ``session.yaml``) must set."""
    omits: tuple[str, ...] = ()
    """Keys this kind has no use for (a report's title is generated): an error when written."""


WORKING_DOCUMENT = KindSchema("working-document", required=("reference", "title", "issued"))
"""A working document of a committee: cover with title, agenda item and SUMMARY."""

REPORT = KindSchema(
    "report",
    required=("reference", "issued", "sessions", "dates"),
    omits=("title", "subtitle", "agenda_item", "summary"),
)
"""A committee's report on its sessions: the title made from the committee and the sessions, the
meeting dates under it, a table of the agenda items and their paragraphs before paragraph 1."""

KIND_SCHEMAS: dict[str, KindSchema] = {kind.name: kind for kind in (WORKING_DOCUMENT, REPORT)}
"""Every kind, by name; :data:`wcodoc.kinds.KINDS` gives each its behaviour."""
DEFAULT_KIND = WORKING_DOCUMENT.name
