"""Each change of a copy made on what it changes in the sources now.

A change names a block of what was sent; :mod:`~wcodoc.review.apply.now` says which block of
the sources it is now and what that block is made from: a Markdown block (word cuts, checked
by reading the file again), a use case's front matter, or ``document.yaml``. The changes to
one block are made three ways, layer after layer (:func:`~wcodoc.review.apply.merge.merge`):
words changed since the copy was sent are a conflict, never written over. A change already in
the sources writes nothing. Each entry (one Member's changes to one paragraph key) is applied
whole or refused whole: a refusal sends the planning round again without that entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc.diff.extract import Block
from wcodoc.errors import WcodocError
from wcodoc.fsutil import read_text
from wcodoc.load.yamledit import scalar_line
from wcodoc.review.apply.changes import Change
from wcodoc.review.apply.cover import COMPUTED, cover_edit, write_summary
from wcodoc.review.apply.locate import SourceBlock, SourceFile, key
from wcodoc.review.apply.markdown import (
    Cut,
    Expected,
    Unsafe,
    apply_cuts,
    cell_cuts,
    delete_cuts,
    expected,
    insert_cuts,
    note_cuts,
    reads_as,
    word_cuts,
)
from wcodoc.review.apply.merge import merge
from wcodoc.review.apply.now import Now, UseCasePart, cells, shown
from wcodoc.review.apply.plan import Done, Plan, Refusal
from wcodoc.review.apply.usecase import edit_front_matter, front_matter_values
from wcodoc.transform.usecases import UseCase

Entry = tuple[str, str]
"""(paragraph key, Member): what is applied or refused whole."""


@dataclass
class _Edit:
    """What one target of the sources becomes, and the changes that make it."""

    changes: list[Change]
    file: SourceFile | None = None
    block: SourceBlock | None = None
    cuts: list[Cut] = field(default_factory=list)
    text: str | None = None
    """The block's new text, if the cuts change it."""
    note: tuple[int, str] | None = None
    """A footnote of the block and its new text, if the cuts change it."""
    deleted: bool = False
    inserted: list[Expected] = field(default_factory=list)
    """Blocks written after ``block`` (before the file's first block when ``block`` is ``None``)."""
    line: int = 1


@dataclass(frozen=True)
class Generated:
    """What the document's kind writes from the sources rather than copies: a change to it is
    refused with the reason."""

    fields: Mapping[str, str] = field(default_factory=lambda: dict(COMPUTED))
    """Cover lines → the ``document.yaml`` keys they are written from."""
    tables: Mapping[str, str] = field(default_factory=dict)
    """A generated table's header row as a compared table reads it (``Item No. | Agenda Item |
    Paragraph``) → what it is made from."""

    def table(self, block: Block | None) -> str | None:
        """Why ``block`` cannot be changed, if it is a generated table."""
        first = (block.text if block is not None else "").split(" / ")[0]
        return self.tables.get(first)


@dataclass
class _Round:
    """One planning round: every change not yet refused, sent to its target."""

    now: Now
    sent: str
    decided: frozenset[str]
    wrappers: Mapping[str, str]
    generated: Generated = field(default_factory=Generated)
    refused: dict[Entry, Refusal] = field(default_factory=dict)
    edits: list[_Edit] = field(default_factory=list)
    """Markdown edits (cuts in a source file)."""
    front: dict[Path, tuple[UseCase, dict[str, Any], list[tuple[Change, int]]]] = field(default_factory=dict)
    """Use-case file → (the use case, front-matter values to set, each change and its line)."""
    cover: list[tuple[str, str, str, list[Change]]] = field(default_factory=list)
    """Cover lines to change: (field, printed now, proposed, changes)."""
    noops: list[Change] = field(default_factory=list)
    """Changes the sources already hold."""

    # -- refusing ---------------------------------------------------------------------------

    def refuse(
        self, changes: Sequence[Change], reason: str, *, index: int | None = None, **texts: str
    ) -> None:
        """Refuse the entries of ``changes``: their paragraph, its place now (``index``)."""
        path, line = self._place(index)
        for change in changes:
            self.refused.setdefault(
                change.entry, Refusal(path, line, change.key, change.member, reason, **texts)
            )

    def _place(self, index: int | None) -> tuple[Path | None, int | None]:
        if index is None:
            return None, None
        source = self.now.markdown.get(index)
        if source is not None:
            return source.path, source.file.line(source)
        part = self.now.use_cases.get(index)
        if part is not None:
            return part.case.path, part.case.line
        block = self.now.blocks[index]
        document = self.now.project.metadata_path
        if block.block == "cover" and block.field:
            line = scalar_line(read_text(document), tuple(block.field.split(".")))
            return (document, line) if line is not None else (None, None)
        return None, None

    # -- the changes to blocks ----------------------------------------------------------------

    def run(self, changes: Sequence[Change]) -> None:
        """Send each of ``changes`` to its target: the changes to a block (and to a footnote)
        are folded together in layer order, insertions placed after their anchor."""
        by_block: dict[int, list[Change]] = defaultdict(list)
        by_note: dict[tuple[int, int], list[Change]] = defaultdict(list)
        inserts: list[Change] = []
        for change in changes:
            if change.op == "insert":
                inserts.append(change)
            elif change.op == "notes":
                where = self.now.since[change.sent] if change.sent is not None else None
                self.refuse([change], "footnotes added or removed; apply them by hand", index=where)
            elif change.sent is None:
                why = "a change to a paragraph the copy itself added without tracking; apply it by hand"
                self.refuse([change], why)
            elif (index := self.now.since[change.sent]) is None:
                self._deleted_since(change)
            elif change.op == "note":
                by_note[(index, change.note)].append(change)
            else:
                by_block[index].append(change)
        for index, found in by_block.items():
            self._block(index, sorted(found, key=lambda c: c.layer))
        for (index, note), found in by_note.items():
            self._note(index, note, sorted(found, key=lambda c: c.layer))
        for change in inserts:
            self._insert(change)

    def _deleted_since(self, change: Change) -> None:
        if change.op == "delete":
            self.noops.append(change)
            return
        proposed = change.new[0].text if change.new else ""
        why = f"deleted from the sources since {self.sent} was sent; not applied"
        self.refuse([change], why, proposed=proposed)

    def _fold(self, index: int, changes: list[Change], now: str) -> tuple[str | None, list[Change]]:
        """The block's text after ``changes`` (``None``: deleted), and the changes that made it.

        Each is made three ways on the text as the changes before it left it; one that
        touches a sentence changed since (or by an earlier change of this copy) is refused.
        """
        text: str | None = now
        made: list[Change] = []
        for change in changes:
            if text is None:
                self.refuse([change], "another change of this copy deletes this paragraph", index=index)
                continue
            mine = change.key in self.decided
            if change.op == "delete":
                if text == _text(change.old) or mine:
                    text = None
                    made.append(change)
                else:
                    self._conflict(change, index, now, text, made, "deletes it")
                continue
            merged = merge(_text(change.old), _text(change.new[0]), text, mine_wins=mine)
            if merged is None:
                self._conflict(change, index, now, text, made, "changes the same sentence")
                continue
            text = merged
            made.append(change)
        return text, made

    def _conflict(
        self, change: Change, index: int, now: str, text: str, made: list[Change], what: str
    ) -> None:
        """Refuse ``change``: its sentence changed since the copy was sent, or by a change of
        the copy made before it (``made``)."""
        proposed = change.new[0].text if change.new else ""
        alone = change.op == "delete" and now == _text(change.old)
        if change.op != "delete":
            alone = merge(_text(change.old), _text(change.new[0]), now) is not None
        if made and alone:
            others = ", ".join(sorted({c.member for c in made}))
            reason = (
                f"{others} in this copy changes the same sentence; choose one with --member or --paragraph"
            )
        else:
            reason = f"changed since {self.sent} was sent, and the copy {what}; not applied"
        self.refuse([change], reason, index=index, now=self._shown(index, text), proposed=proposed)

    def _shown(self, index: int, text: str) -> str:
        block = self.now.blocks[index]
        return block.text if text == shown(block) else text

    def _block(self, index: int, changes: list[Change]) -> None:
        block = self.now.blocks[index]
        now = shown(block)
        if block.block == "table":
            self._table(index, changes)
            return
        final, made = self._fold(index, changes, now)
        self._settle(index, made, final == now, lambda: self._made(index, now, final, made))

    def _settle(self, index: int, made: list[Change], unchanged: bool, make: Callable[[], None]) -> None:
        """The changes that ``made`` a block's new text: already there when it reads as now,
        else written (``make``), or refused with the reason it cannot be."""
        if not made:
            return
        if unchanged:
            self.noops.extend(made)
            return
        try:
            make()
        except Unsafe as reason:
            self.refuse(made, str(reason), index=index)

    def _made(self, index: int, now: str, final: str | None, made: list[Change]) -> None:
        """Send a block's new text (``None``: deleted) to what it is made from."""
        block = self.now.blocks[index]
        source = self.now.markdown.get(index)
        if source is not None:
            cuts = (
                delete_cuts(source.file, source)
                if final is None
                else word_cuts(source.file, source, now, final)
            )
            line = source.file.line(source)
            self.edits.append(_Edit(made, source.file, source, cuts, final, deleted=final is None, line=line))
        elif (part := self.now.use_cases.get(index)) is not None:
            if final is None:
                raise Unsafe(
                    "a line the annex prints from the use case's front matter; delete the use case by hand"
                )
            terms = self.now.project.style.terms(self.now.project.meta.locale)
            self._front(
                part, front_matter_values(part.case, part.part, now, final, terms, *self._vocabulary()), made
            )
        elif block.block == "cover":
            if final is None:
                raise Unsafe("paragraphs removed from the cover are not applied; edit document.yaml by hand")
            self.cover.append((block.field or "", now, final, made))
        else:
            raise Unsafe(_unmatched(self.now, index))

    def _vocabulary(self) -> tuple[Any, str]:
        return self.now.project.style, self.now.project.meta.locale

    def _front(self, part: UseCasePart, values: dict[str, Any], made: list[Change]) -> None:
        line = min((part.case.lines.get(k, part.case.line) for k in values), default=part.case.line)
        case, old, changes = self.front.get(part.case.path, (part.case, {}, []))
        self.front[part.case.path] = (case, {**old, **values}, [*changes, *((c, line) for c in made)])

    def _table(self, index: int, changes: list[Change]) -> None:
        block = self.now.blocks[index]
        if (why := self.generated.table(block)) is not None:
            self.refuse(changes, why, index=index)
            return
        now = cells(block)
        rows = [list(r) for r in now]
        made: list[Change] = []
        for change in changes:
            if change.op == "delete":
                self.refuse([change], "a table deleted: delete it by hand", index=index)
                continue
            before, after = cells(change.old), cells(change.new[0])  # type: ignore[arg-type]
            if [len(r) for r in before] != [len(r) for r in after] or [len(r) for r in before] != [
                len(r) for r in rows
            ]:
                why = "rows or columns added or removed (or since); change the table by hand"
                self.refuse([change], why, index=index)
                continue
            mine = change.key in self.decided
            merged = [
                [merge(b, a, r, mine_wins=mine) for b, a, r in zip(*row, strict=True)]
                for row in zip(before, after, rows, strict=True)
            ]
            if any(cell is None for row in merged for cell in row):
                why = f"changed since {self.sent} was sent, and the copy changes the same cell; not applied"
                self.refuse([change], why, index=index, now=block.text, proposed=change.new[0].text)
                continue
            rows = [[str(c) for c in row] for row in merged]
            made.append(change)
        self._settle(index, made, rows == now, lambda: self._table_made(index, now, rows, made))

    def _table_made(
        self, index: int, now: list[list[str]], rows: list[list[str]], made: list[Change]
    ) -> None:
        source = self.now.markdown.get(index)
        part = self.now.use_cases.get(index)
        if source is not None:
            cuts = cell_cuts(source.file, source, now, rows)
            text = " / ".join(" | ".join(r) for r in rows)
            self.edits.append(_Edit(made, source.file, source, cuts, text, line=source.file.line(source)))
        elif part is not None and part.part == "row":
            if now[0] != rows[0]:
                raise Unsafe("the overview table's header is the house style's; change it by hand")
            terms = self.now.project.style.terms(self.now.project.meta.locale)
            for number, (old, new) in enumerate(zip(now[1:], rows[1:], strict=True), start=1):
                if old != new and number in self.now.overview:
                    row = UseCasePart(self.now.overview[number], "row")
                    texts = (" | ".join(old), " | ".join(new))
                    self._front(
                        row, front_matter_values(row.case, "row", *texts, terms, *self._vocabulary()), made
                    )
        else:
            raise Unsafe(_unmatched(self.now, index))

    def _note(self, index: int, note: int, changes: list[Change]) -> None:
        notes = [n.compare for n in self.now.blocks[index].notes]
        if note >= len(notes):
            self.refuse(
                changes, "the footnotes of this paragraph changed since; apply it by hand", index=index
            )
            return
        final, made = self._fold(index, changes, notes[note])
        self._settle(
            index, made, final == notes[note], lambda: self._note_made(index, note, notes[note], final, made)
        )

    def _note_made(self, index: int, note: int, now: str, final: str | None, made: list[Change]) -> None:
        source = self.now.markdown.get(index)
        if source is None or final is None or note >= len(source.notes):
            raise Unsafe(_unmatched(self.now, index))
        cuts = note_cuts(source.file, source, note, now, final)
        self.edits.append(
            _Edit(made, source.file, source, cuts, note=(note, final), line=source.file.line(source))
        )

    # -- blocks added -------------------------------------------------------------------------

    def _insert(self, change: Change) -> None:
        anchor = self.now.since[change.sent] if change.sent is not None else None
        if change.sent is not None and anchor is None:
            why = f"the paragraph it follows was deleted from the sources since {self.sent} was sent"
            self.refuse([change], f"{why}; apply it by hand", proposed="\n".join(b.text for b in change.new))
            return
        if self._already_there(anchor, change):
            self.noops.append(change)
            return
        try:
            self._insert_after(anchor, change)
        except Unsafe as reason:
            self.refuse([change], str(reason), index=anchor)

    def _already_there(self, anchor: int | None, change: Change) -> bool:
        """Whether the blocks after ``anchor`` read as the inserted ones, and the block they
        went before follows them (so that a paragraph proposed twice over is written once)."""
        start = 0 if anchor is None else anchor + 1
        end = start + len(change.new)
        found = self.now.blocks[start:end]
        if [key(shown(b)) for b in found] != [key(shown(b)) for b in change.new]:
            return False
        if change.before is None:
            return True
        if self.now.since[change.before] == end:
            return True
        following = self.now.blocks[end] if end < len(self.now.blocks) else None
        return (
            following is not None
            and change.old is not None
            and key(shown(following)) == key(shown(change.old))
        )

    def _insert_after(self, anchor: int | None, change: Change) -> None:
        texts = [b.text for b in change.new]
        if any(b.compare != b.text or b.block == "table" for b in change.new):
            raise Unsafe(
                "the new text holds a table or a cross-reference copied from elsewhere; add it by hand"
            )
        if anchor is None:
            raise Unsafe("a paragraph added before the first one; add it by hand")
        kind = change.new[0].block
        source = self.now.markdown.get(anchor)
        file: SourceFile | None = source.file if source is not None else None
        block: SourceBlock | None = source
        if source is None:
            file = self._file_after(anchor)
            if file is None:
                raise Unsafe(_unmatched(self.now, anchor))
        assert file is not None
        if block is None and kind == "cover":
            raise Unsafe("paragraphs added to the cover are not applied; edit document.yaml by hand")
        cuts = insert_cuts(file, block, kind, texts)
        wanted: list[Expected] = [("heading" if kind == "heading" else "text", key(t), ()) for t in texts]
        line = _line_of(file, cuts[0])
        self.edits.append(_Edit([change], file, block, cuts, inserted=wanted, line=line))

    def _file_after(self, anchor: int) -> SourceFile | None:
        """The file that starts right after a block made from no Markdown (a use case's heading
        or metadata line, the cover's last line): new blocks go before its first block."""
        part = self.now.use_cases.get(anchor)
        if part is not None and part.part in ("heading", "meta"):
            return next((f for f in self.now.files if f.path == part.case.path), None)
        blocks = self.now.blocks
        last_of_cover = blocks[anchor].block == "cover" and (
            anchor + 1 == len(blocks) or blocks[anchor + 1].block != "cover"
        )
        if last_of_cover and self.now.project.chapters:
            first = self.now.project.chapters[0]
            return next((f for f in self.now.files if f.path == first), None)
        return None


def _text(block: Block | None) -> str:
    if block is None:
        return ""
    return shown(block)


def _line_of(file: SourceFile, cut: Cut) -> int:
    blank = len(cut.new) - len(cut.new.lstrip("\n"))
    return file.text.count("\n", 0, cut.start) + blank + file.first_line


def _unmatched(now: Now, index: int) -> str:
    block = now.blocks[index]
    if (
        block.block in ("annex", "other")
        and block.number is None
        and now.style(index).startswith(("annex", "end"))
    ):
        return "this line is the build's (written from the house style), not text of the sources"
    return "no block of the sources reads as this one (as pandoc reads them); apply it by hand"


# Planning ------------------------------------------------------------------------------------------


def plan_changes(
    now: Now,
    sent: str,
    changes: Sequence[Change],
    decided: Sequence[str],
    wrappers: Mapping[str, str],
    generated: Generated | None = None,
) -> Plan:
    """The edits that make ``changes`` on the sources ``now`` (``sent``: the symbol of what was
    sent, for messages); each entry applied, found already there, or refused whole.
    ``decided``: paragraph keys whose proposals the Secretariat chose (``--paragraph``): they
    are made over words changed since; ``generated``: what the document's kind writes itself."""
    refused: dict[Entry, Refusal] = {}
    while True:
        round_ = _Round(now, sent, frozenset(decided), wrappers, generated or Generated())
        round_.run([c for c in changes if c.entry not in refused])
        plan = _written(round_, now.project.root)
        fresh = {e: r for e, r in round_.refused.items() if e not in refused}
        if not fresh:
            break
        refused.update(fresh)
    plan.refused = sorted(refused.values(), key=lambda r: _order(changes, (r.paragraph, r.member)))
    plan.applied.sort(key=lambda d: _order(changes, (d.paragraph, d.member)))
    plan.already.sort(key=lambda d: _order(changes, (d.paragraph, d.member)))
    return plan


def _order(changes: Sequence[Change], entry: Entry) -> float:
    return min((c.order for c in changes if c.entry == entry), default=0.0)


def _written(round_: _Round, root: Path) -> Plan:
    """The texts of the round's edits, each file checked by reading it again; an edit that
    does not read as proposed refuses its entries."""
    plan = Plan(root)
    by_file: dict[Path, list[_Edit]] = defaultdict(list)
    for edit in round_.edits:
        assert edit.file is not None
        by_file[edit.file.path if edit.file.first_line == 1 else _summary_key(edit.file)].append(edit)
    done: list[tuple[_Edit, Path]] = []
    for edits in by_file.values():
        file = edits[0].file
        assert file is not None
        good = _checked(file, edits, round_)
        if good:
            done += [(e, file.path) for e in good]
            _write_markdown(plan, file, good)
    _write_front_matter(plan, round_)
    _write_cover(plan, round_)
    entries = {c.entry for e, _ in done for c in e.changes}
    for edit, path in done:
        for change in edit.changes:
            plan.applied.append(Done(path, edit.line, change.key, change.member))
    plan.applied = _one_per_entry(plan.applied, round_)
    already = [c for c in round_.noops if c.entry not in entries and c.entry not in round_.refused]
    plan.already = _one_per_entry([Done(root, 0, c.key, c.member) for c in already], round_)
    plan.texts = {p: t for p, t in plan.texts.items() if t != plan.originals.get(p)}
    return plan


def _summary_key(file: SourceFile) -> Path:
    return file.path.with_name(f"{file.path.name}#{file.first_line}")


def _one_per_entry(done: list[Done], round_: _Round) -> list[Done]:
    seen: dict[Entry, Done] = {}
    for item in done:
        entry = (item.paragraph, item.member)
        if entry not in round_.refused:
            seen.setdefault(entry, item)
    return list(seen.values())


def _checked(file: SourceFile, edits: list[_Edit], round_: _Round) -> list[_Edit]:
    """The edits of ``file`` that read back as proposed (all of them, if together they do)."""
    if reads_as(file, apply_cuts(file.text, [c for e in edits for c in e.cuts]), _wanted(file, edits)):
        return edits
    good = []
    for edit in edits:
        if reads_as(file, apply_cuts(file.text, edit.cuts), _wanted(file, [edit])):
            good.append(edit)
        else:
            round_.refuse(edit.changes, "the edited Markdown would not read as proposed; apply it by hand")
    if len(good) < len(edits):
        return []  # the round runs again without the refused entries
    for edit in edits:
        round_.refuse(
            edit.changes, "its edits and another's would not read as proposed together; apply them by hand"
        )
    return []


def _wanted(file: SourceFile, edits: list[_Edit]) -> list[Expected]:
    """How ``file``'s blocks must read after ``edits``."""
    after: dict[int | None, list[Expected]] = defaultdict(list)
    on: dict[int, list[_Edit]] = defaultdict(list)
    for edit in edits:
        if edit.inserted:
            after[id(edit.block) if edit.block is not None else None].extend(edit.inserted)
        elif edit.block is not None:
            on[id(edit.block)].append(edit)
    out: list[Expected] = list(after[None])
    for block in file.blocks:
        kind, text, notes = expected(block)
        kept = True
        for edit in on[id(block)]:
            kept = kept and not edit.deleted
            text = key(edit.text) if edit.text is not None else text
            if edit.note is not None:
                notes = tuple(key(edit.note[1]) if n == edit.note[0] else k for n, k in enumerate(notes))
        if kept:
            out.append((kind, text, notes))
        out.extend(after[id(block)])
    return out


def _write_markdown(plan: Plan, file: SourceFile, edits: list[_Edit]) -> None:
    cuts = [c for e in edits for c in e.cuts]
    if file.first_line == 1:  # a file of its own (a use case: the file itself, same offsets)
        original = plan.texts.get(file.path) or read_text(file.path)
        plan.originals.setdefault(file.path, original)
        plan.texts[file.path] = apply_cuts(original, cuts)
        return
    document = file.path  # a SUMMARY text of document.yaml
    original = plan.texts.get(document) or read_text(document)
    plan.originals.setdefault(document, read_text(document))
    name = _summary_name(original, file)
    plan.texts[document] = write_summary(original, document, name, apply_cuts(file.text, cuts))


def _summary_name(text: str, file: SourceFile) -> str:
    for name in ("summary.purpose", "summary.action"):
        if scalar_line(text, ("summary", name.removeprefix("summary."))) == file.first_line:
            return name
    raise Unsafe("the SUMMARY text moved in document.yaml; apply it by hand")


def _write_front_matter(plan: Plan, round_: _Round) -> None:
    for path, (case, values, changes) in round_.front.items():
        original = plan.texts.get(path) or read_text(path)
        plan.originals.setdefault(path, read_text(path))
        try:
            plan.texts[path] = edit_front_matter(original, case, values)
        except WcodocError as error:
            round_.refuse([c for c, _ in changes], f"its front matter cannot take it: {error.message}")
            continue
        plan.applied += [Done(path, line, c.key, c.member) for c, line in changes]


def _write_cover(plan: Plan, round_: _Round) -> None:
    document = round_.now.project.metadata_path
    for name, now, proposed, changes in round_.cover:
        text = plan.texts.get(document) or read_text(document)
        plan.originals.setdefault(document, read_text(document))
        try:
            plan.texts[document], line = cover_edit(
                text, document, name, now, proposed, round_.wrappers, round_.generated.fields
            )
        except Unsafe as reason:
            where = scalar_line(text, (name,))
            for change in changes:
                round_.refused.setdefault(
                    change.entry,
                    Refusal(document if where else None, where, change.key, change.member, str(reason)),
                )
            continue
        plan.applied += [Done(document, line, c.key, c.member) for c in changes]
