"""``review apply``: write a returned copy's changes into the project's sources.

1. What the copy answers — the version that was sent — is found (:mod:`.sent`): ``--base``,
   else the symbol on the copy's cover and the project's git history; a copy of another
   document, or of none, is refused before anything is read from it.
2. The copy's changes are read block by block, layer by layer (:mod:`.changes`): edits made
   without tracking against what was sent, then each author's tracked changes.
3. The sources now are built and lined up with what was sent (:mod:`.now`); each block of the
   build is traced to the Markdown block pandoc read it from (:mod:`.locate`), a use case's
   front matter or ``document.yaml``.
4. Each change is made three ways on what it changes now (:mod:`.targets`, :mod:`.merge`,
   :mod:`.markdown`, :mod:`.usecase`, :mod:`.cover`): words changed since are a conflict and
   are not written over; a change already made writes nothing. Nothing is written until every
   entry is planned (:class:`~wcodoc.review.apply.plan.Plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

from wcodoc.diff.sources import resolve_docx
from wcodoc.errors import WcodocError
from wcodoc.kinds import kind_of
from wcodoc.load.project import load_project
from wcodoc.review.apply.changes import Change, copy_changes
from wcodoc.review.apply.cover import COMPUTED
from wcodoc.review.apply.now import read_now
from wcodoc.review.apply.plan import Plan
from wcodoc.review.apply.sent import what_was_sent
from wcodoc.review.apply.targets import Generated, plan_changes
from wcodoc.review.collect import file_member, read_returned

WRAPPED_COVER_LINES = ("subtitle", "agenda_item")
"""Cover lines whose house-style wording wraps the value of ``document.yaml``."""


def apply_review(
    project: Path | str,
    returned: Path | str,
    *,
    members: Sequence[str] = (),
    credited: Mapping[str, str] | None = None,
    paragraphs: Sequence[str] = (),
    base: str | None = None,
) -> Plan:
    """The edits that bring the changes of the copy ``returned`` into ``project``'s sources.

    ``base`` is what was sent out (a .docx, a project folder or a git revision); without it,
    the copy's symbol and the project's git history tell. Only the changes of ``members`` and
    to ``paragraphs`` (keys such as ``7``, ``9.b``, ``cover:title``) are taken when given; a
    paragraph named is one the Secretariat has decided: its proposal is made even over words
    changed since. ``credited`` names the Member of a file (by its name, stem or path) for its
    edits made without tracking. Nothing is written: the plan says what was applied where,
    what the sources already hold and what was refused, and writes or shows the edits.
    """
    loaded = load_project(project)
    copy_ = read_returned(returned)
    with ExitStack() as stack:
        now_docx = resolve_docx(str(loaded.root), stack)
        sent = what_was_sent(loaded, copy_, base, now_docx, stack)
        now = read_now(loaded, now_docx, sent.base)
    member = file_member(copy_.path, dict(credited or {}), copy_.last_modified_by, sent.base.last_modified_by)
    changes = copy_changes(sent.base, copy_, member, untracked=sent.untracked)
    chosen = _chosen(changes, members, paragraphs)
    terms = loaded.style.terms(loaded.meta.locale)
    wrappers = {k: str(terms[k]) for k in WRAPPED_COVER_LINES if terms.get(k)}
    kind = kind_of(loaded.meta)
    generated = Generated(
        {**COMPUTED, **kind.generated_fields},
        {" | ".join(row): why for row, why in kind.generated_tables(loaded.meta, loaded.style).items()},
    )
    plan = plan_changes(now, sent.base.symbol, chosen, paragraphs, wrappers, generated)
    plan.sent = sent.name
    return plan


def _chosen(changes: Sequence[Change], members: Sequence[str], keys: Sequence[str]) -> list[Change]:
    """The changes chosen by Member and paragraph (all when none are named)."""
    chosen = list(changes)
    if members:
        chosen = [c for c in chosen if c.member in members]
    if keys:
        unknown = sorted(set(keys) - {c.key for c in chosen})
        if unknown:
            raise WcodocError(f"no change to paragraph {', '.join(unknown)} in this copy")
        chosen = [c for c in chosen if c.key in keys]
    return chosen
