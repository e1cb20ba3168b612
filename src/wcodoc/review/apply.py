"""``review apply``: write a returned copy's changes into the project's sources.

Each change entry (a paragraph's text before and after) is placed by its *text*
(:mod:`~wcodoc.review.locate`) and made on the Markdown of a chapter or use-case file
(:mod:`~wcodoc.review.markdown`), or on a cover field of ``document.yaml``
(:mod:`~wcodoc.review.cover`). Each entry is applied whole or refused whole; nothing is
written until every entry is planned (:class:`~wcodoc.review.plan.Plan`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.diff.sources import resolve_docx
from wcodoc.errors import WcodocError
from wcodoc.fsutil import read_text
from wcodoc.kinds import kind_of
from wcodoc.load.project import load_project
from wcodoc.review.collect import AFTER, Entry, collect_from, key_texts, read_base
from wcodoc.review.cover import COMPUTED, apply_cover
from wcodoc.review.markdown import apply_markdown
from wcodoc.review.plan import Done, Plan, Refusal, Texts

WRAPPED_COVER_LINES = ("subtitle", "agenda_item")
"""Cover lines whose house-style wording wraps the value of ``document.yaml``."""


def apply_review(
    project: Path | str,
    returned: Path | str,
    *,
    members: Sequence[str] = (),
    paragraphs: Sequence[str] = (),
    base: str | None = None,
) -> Plan:
    """The edits that bring the changes of the copy ``returned`` into ``project``'s sources.

    ``base`` is what was sent out (a .docx, a project folder or a git revision; default: the
    project as it is now). Only the changes of ``members`` and to ``paragraphs`` (keys such as
    ``7``, ``9.b``, ``cover:title``) are taken when given. Nothing is written: the plan says
    what was applied where and what was refused, and writes or shows the edits.
    """
    loaded = load_project(project)
    with ExitStack() as stack:
        sent = read_base(resolve_docx(base or str(loaded.root), stack, project=loaded.root))
        compilation = collect_from(sent, [returned], layered=True)
    chosen = _chosen(compilation.entries, members, paragraphs)
    terms = loaded.style.terms(loaded.meta.locale)
    kind = kind_of(loaded.meta)
    return _plan(
        loaded.root,
        [*loaded.chapters, *loaded.use_cases],
        chosen,
        key_texts(sent),
        loaded.metadata_path,
        {k: str(terms[k]) for k in WRAPPED_COVER_LINES if terms.get(k)},
        Generated(
            {**COMPUTED, **kind.generated_fields},
            {" | ".join(row): why for row, why in kind.generated_tables(loaded.meta, loaded.style).items()},
        ),
    )


@dataclass(frozen=True)
class Generated:
    """What the build writes from the sources rather than copies: a change to it is refused."""

    fields: Mapping[str, str] = field(default_factory=lambda: dict(COMPUTED))
    """Cover lines → the ``document.yaml`` keys they are written from."""
    tables: Mapping[str, str] = field(default_factory=dict)
    """A generated table's header row, as a compared table reads (``Item No. | Agenda Item |
    Paragraph``) → what it is made from."""

    def table_refusal(self, entry: Entry) -> Refusal | None:
        """The refusal of a change to a generated table among ``entry``'s blocks, if any."""
        for line in (entry.old_text or "").split("\n"):
            for header, why in self.tables.items():
                if line == header or line.startswith(f"{header} / "):
                    return Refusal(None, None, f"paragraph {entry.paragraph}: {why}")
        return None


def _chosen(entries: Sequence[Entry], members: Sequence[str], keys: Sequence[str]) -> list[Entry]:
    """The change entries chosen by Member and paragraph (all when none are named)."""
    chosen = [e for e in entries if e.kind == "change"]
    if members:
        chosen = [e for e in chosen if e.member in members]
    if keys:
        unknown = sorted(set(keys) - {e.paragraph for e in chosen})
        if unknown:
            raise WcodocError(f"no change to paragraph {', '.join(unknown)} in this copy")
        chosen = [e for e in chosen if e.paragraph in keys]
    return chosen


def _plan(
    root: Path,
    sources: Sequence[Path],
    entries: Sequence[Entry],
    anchors: dict[str, str],
    document: Path,
    wrappers: Mapping[str, str],
    generated: Generated | None = None,
) -> Plan:
    """Work out the edits of ``entries`` (changes) on the Markdown files ``sources`` and on
    ``document`` (``document.yaml``).

    ``anchors`` gives the base's text of the block each key names (``"7"`` → paragraph 7's
    text): a paragraph proposed ``after 7`` goes after paragraph 7 and its list items.
    ``wrappers`` are the house style's templates of the cover lines that wrap a value
    (``"subtitle": "- {subtitle} -"``), English by default; ``generated``, what the document's
    kind writes itself.
    """
    generated = generated or Generated()
    plan = Plan(root)
    for path in [*sources, document]:
        plan.originals[path] = read_text(path)
    # From the end of the document up: an edit never moves the paragraphs before it, so each
    # is found, and printed, at its line in the sources as they are.
    for entry in sorted(entries, key=lambda e: e.order, reverse=True):
        if entry.kind != "change" or entry.old_text is None or entry.new_text is None:
            continue
        texts = dict(plan.texts)  # all of an entry, or nothing of it
        done = generated.table_refusal(entry) or _apply_entry(
            texts, plan.originals, sources, entry, anchors, document, wrappers, generated.fields
        )
        if isinstance(done, Refusal):
            plan.refused.insert(0, done)
            continue
        plan.texts = texts
        plan.applied.insert(0, (*done, entry))
    plan.texts = {p: t for p, t in plan.texts.items() if t != plan.originals[p]}
    return plan


def _apply_entry(
    texts: Texts,
    originals: Texts,
    sources: Sequence[Path],
    entry: Entry,
    anchors: dict[str, str],
    document: Path,
    wrappers: Mapping[str, str],
    computed: Mapping[str, str],
) -> Refusal | Done:
    """Make ``entry``'s edits in ``texts`` (in place); the reason if it cannot be done safely."""
    if entry.paragraph.removeprefix(AFTER).startswith("cover"):
        return apply_cover(texts, originals, document, entry, anchors, wrappers, computed)
    return apply_markdown(texts, originals, sources, entry, anchors)
