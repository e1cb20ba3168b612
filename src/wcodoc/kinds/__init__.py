"""Document kinds, chosen by ``kind:`` in ``document.yaml``: one module each, and this table.

A kind is declared twice over two layers, so that nothing imports upwards: its
:class:`~wcodoc.load.kinds.KindSchema` (name, required and unused keys) in
:mod:`wcodoc.load.kinds`, which validating ``document.yaml`` needs first; and its behaviour, a
:class:`~wcodoc.kinds.base.DocumentKind` in a module of this package (cover, page text, title,
generated blocks, cover fields), which the build, the writers and the diff use.
"""

from __future__ import annotations

from wcodoc.kinds.base import DocumentKind, PageText
from wcodoc.kinds.report import Report
from wcodoc.kinds.working_document import WorkingDocument
from wcodoc.load.metadata import DocumentMeta

__all__ = ["KINDS", "DocumentKind", "PageText", "cover_fields", "kind_of"]

KINDS: dict[str, DocumentKind] = {kind.name: kind for kind in (WorkingDocument(), Report())}
"""Every kind by name (the names of :data:`wcodoc.load.kinds.KIND_SCHEMAS`)."""


def kind_of(meta: DocumentMeta) -> DocumentKind:
    """The kind of the document ``meta`` describes."""
    return KINDS[meta.kind]


def cover_fields() -> dict[str, str]:
    """Cover paragraph style name → ``document.yaml`` key, for every kind's cover.

    A draft is read without knowing its kind, so the diff knows them all; kinds that share a
    style agree on its key (a test checks it).
    """
    return {style.name: key for kind in KINDS.values() for style, key in kind.cover_fields.items()}
