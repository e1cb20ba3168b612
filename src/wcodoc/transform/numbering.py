"""Number the body and resolve cross-references: pure Python over pandoc's AST.

Two passes, as Sphinx does it: :func:`number_body` walks the chapters in order and assigns
every section numeral, paragraph number and sub-item letter, collecting labels; then
:func:`resolve_references` replaces each ``@key`` with a cross-reference carrying the number
found in the first pass. Both leave format-neutral nodes (:mod:`wcodoc.transform.nodes`):
each numbered heading, paragraph and sub-item carries its number and anchor, each label a
label mark, for the writers to lower (the DOCX shows paragraph numbers through its styles'
numbering, which gives the same numbers; the diff and checks read them back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wcodoc.errors import Problems
from wcodoc.fsutil import is_inside
from wcodoc.load.images import image_problem
from wcodoc.numerals import letter, roman
from wcodoc.parse.reader import Source
from wcodoc.styles import BODY_TEXT, BULLET, BULLET_2, NUMBERED_PARAGRAPH, SUB_ITEM
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.pandocast import Node
from wcodoc.transform.targets import PREFIXES, Label, anchor

UNNUMBERED_CLASS = "unnumbered"
# What pandoc Markdown needs to write raw content or an image (HTML, a raw attribute, a TeX
# command, ``![``) and a footnote (``[^`` or ``^[``): a source without it has none, so the walks
# that look for them skip it (a one-chapter rebuild walks every chapter again).
_MAY_HOLD_RAW_OR_IMAGE = re.compile(r"<|\{=|\\[A-Za-z]|!\[")
_MAY_HOLD_NOTE = re.compile(r"\[\^|\^\[")

_CONTAINERS = {
    "BlockQuote": "quote",
    "Table": "table",
    "Figure": "figure",
    "DefinitionList": "definition list",
    "Note": "footnote",
    "OrderedList": "numbered list",
}
LETTERED = ("LowerAlpha",)


@dataclass
class NumberedBody:
    """The body after numbering: styled blocks, the labels found, and counts."""

    blocks: list[Node] = field(default_factory=list)
    labels: dict[str, Label] = field(default_factory=dict)
    sections: int = 0
    paragraphs: int = 0
    sub_items: int = 0


class _Numberer:
    """State of the numbering pass over all chapters."""

    def __init__(self, project_root: Path, problems: Problems) -> None:
        self.root = project_root
        self.problems = problems
        self.body = NumberedBody()
        self.source: Source | None = None
        self.letter_index = 0
        self.seen: dict[tuple[Path, str], list[int]] = {}
        """Lines where each label was met, per chapter (see :meth:`_where`)."""

    # labels ------------------------------------------------------------------------------
    def add_label(self, key: str, number: str, where: tuple[Path, int | None] | None = None) -> None:
        """Record ``key`` → ``number``.

        ``where``: the label's file and line, when the caller has looked it up already.
        """
        path, line = where or self._where(key)
        prefix = key.split(":", 1)[0]
        if prefix not in PREFIXES or prefix == "uc":
            self.problems.error(
                f"label {key!r}: labels in chapters start with 'par:' or 'sec:'",
                path,
                line,
                code="label",
            )
        if key in self.body.labels:
            first = self.body.labels[key]
            self.problems.error(
                f"duplicate label {key!r} (first defined at {first.path.name}:{first.line})",
                path,
                line,
                code="label",
            )
            return
        self.body.labels[key] = Label(key, number, path, line)

    def _where(self, key: str) -> tuple[Path, int | None]:
        """The chapter being numbered and the line of this use of label ``key`` in it.

        A label met twice in one chapter is looked for after the first one's line, so each
        definition of a duplicate is reported at its own line.
        """
        assert self.source is not None, "labels are met only while a chapter is numbered"
        seen = self.seen.setdefault((self.source.path, key), [])
        line = self.source.line_of("#" + key, after=seen[-1]) if seen else None
        line = line or self.source.line_of("#" + key)
        seen.append(line or 0)
        return self.source.path, line

    def take_labels(
        self, inlines: list[Node], number: str, what: str = "an unnumbered paragraph"
    ) -> list[Node]:
        """Turn each ``[]{#par:x}`` span of a paragraph into a label mark and record the label.

        The span may stand anywhere in the paragraph: it labels the whole paragraph.
        """
        out = list(inlines)
        for i, node in enumerate(out):
            if node["t"] == "Span" and node["c"][0][0] and not node["c"][1]:
                key = node["c"][0][0]
                where = self._where(key)
                if not number:
                    self.problems.error(
                        f"label {key!r} on {what} has no number to refer to", *where, code="label"
                    )
                self.add_label(key, number, where)
                out[i] = nodes.label_mark(key)
        # "[]{#par:x} Text" leaves a space after the label; it must not indent the paragraph.
        while len(out) > 1 and out[0]["t"] == "Span" and out[1]["t"] in ("Space", "SoftBreak"):
            del out[1]
        return out

    # blocks ------------------------------------------------------------------------------
    def heading(self, node: Node) -> Node:
        level, (identifier, classes, attrs), inlines = node["c"]
        if level == 1:
            self.body.sections += 1
            number = roman(self.body.sections)
            if identifier:
                self.add_label(identifier, number)
            header = {"t": "Header", "c": [1, ["", classes, attrs], inlines]}
            return nodes.numbered(header, number, anchor("sec", number), label=identifier)
        if identifier:
            self.problems.error(
                f"label {identifier!r} on a sub-heading: only '#' sections can be labelled",
                *self._where(identifier),
                code="label",
            )
            identifier = ""
        return {"t": "Header", "c": [min(level, 3), [identifier, classes, attrs], inlines]}

    def numbered(self, inlines: list[Node]) -> Node:
        self.body.paragraphs += 1
        self.letter_index = 0
        number = str(self.body.paragraphs)
        inlines = self.take_labels(inlines, number)
        styled = pandocast.styled([pandocast.para(inlines)], NUMBERED_PARAGRAPH.name)
        return nodes.numbered(styled, number, anchor("par", number))

    def sub_items(self, node: Node) -> list[Node]:
        out = []
        for item in node["c"][1]:
            self.letter_index += 1
            self.body.sub_items += 1
            number = f"{self.body.paragraphs}.{letter(self.letter_index)}"
            first, *rest = item or [pandocast.plain([])]
            inlines = first["c"] if first["t"] in ("Para", "Plain") else []
            blocks = [pandocast.para(self.take_labels(inlines, number))]
            if first["t"] not in ("Para", "Plain"):
                rest = [first, *rest]
            out.append(nodes.numbered(pandocast.styled(blocks, SUB_ITEM.name), number, anchor("par", number)))
            out.extend(self.unnumbered(rest))
        return out

    def unnumbered(self, blocks: list[Node]) -> list[Node]:
        """Paragraphs as Body Text, bullet items as Bullet (deeper lists share Bullet 2)."""
        out = []
        for block, depth in pandocast.flatten(blocks, lists=("BulletList",)):
            if block["t"] == "Header":
                # Word numbers every '#' heading through its style: count it here too.
                out.append(self.heading(block))
            elif block["t"] not in ("Para", "Plain"):
                self.refuse_nested_sections(block)
                out.append(block)
            elif depth == 0:
                inlines = self.take_labels(block["c"], "")
                out.append(pandocast.styled([pandocast.para(inlines)], BODY_TEXT.name))
            else:
                style = BULLET if depth == 1 else BULLET_2
                inlines = self.take_labels(block["c"], "", "a bullet")
                out.append(pandocast.styled([pandocast.para(inlines)], style.name))
        return out

    def block(self, node: Node) -> list[Node]:
        kind = node["t"]
        if kind == "Header":
            return [self.heading(node)]
        if kind == "Para":
            return [self.numbered(node["c"])]
        if kind == "OrderedList":
            style = node["c"][0][1]["t"]
            if style in LETTERED:
                return self.sub_items(node)
            # "7. Text" typed by hand parses as a decimal list: keep the text as numbered
            # paragraphs (wcodoc numbers them); `wcodoc check` warns about the typed numbers.
            out = []
            for item in node["c"][1]:
                for b in item:
                    out.extend(
                        self.block(pandocast.para(b["c"])) if b["t"] in ("Plain", "Para") else self.block(b)
                    )
            return out
        if kind == "BulletList":
            return self.unnumbered([node])
        if kind == "Table":
            self.refuse_nested_sections(node)
            return [nodes.space_after(node)]
        if kind == "Div":
            (_identifier, classes, _attrs), blocks = node["c"]
            if UNNUMBERED_CLASS in classes:
                return self.unnumbered(blocks)
            return [b for inner in blocks for b in self.block(inner)]
        self.refuse_nested_sections(node)
        return [node]

    def refuse_nested_sections(self, node: Node) -> None:
        """A '#' heading inside a quote, table or footnote: Word would number it, wcodoc could not."""

        def visit(inner: Node) -> None:
            if inner["t"] == "Header" and inner["c"][0] == 1:
                assert self.source is not None
                text = pandocast.stringify(inner["c"][2])
                self.problems.error(
                    f"'#' heading {text!r} inside a {_CONTAINERS.get(node['t'], 'block')}: "
                    "Word would number it as a section; take it out, or use '##'",
                    self.source.path,
                    self.source.line_of(text) if text else None,
                    code="heading",
                )

        pandocast.walk(node["c"], visit, only=("Header",))

    def chapter(self, source: Source) -> None:
        self.source = source
        if _MAY_HOLD_NOTE.search(source.text):
            pandocast.walk(source.blocks, self.refuse_nested_sections, only=("Note",))
        for node in source.blocks:
            self.body.blocks.extend(self.block(node))


def number_body(sources: list[Source], project_root: Path, problems: Problems) -> NumberedBody:
    """Assign section numerals, paragraph numbers and sub-item letters over all chapters."""
    numberer = _Numberer(project_root, problems)
    for source in sources:
        numberer.chapter(source)
    return numberer.body


def check_sources(sources: list[Source], project_root: Path, problems: Problems) -> list[Source]:
    """Refuse what the house style does not allow; return the sources with image paths resolved.

    Raw OpenXML would bypass the house style, so it is an error; HTML comments are notes to
    co-authors and are dropped; other raw HTML is ignored by the Word writer, so it is a warning.
    Images must be files inside the project; their paths are made absolute for pandoc.
    """
    checked = []
    for source in sources:
        if not _MAY_HOLD_RAW_OR_IMAGE.search(source.text):
            checked.append(source)
            continue

        def visit(node: Node, source: Source = source) -> Node | None:
            kind = node["t"]
            if kind in ("RawInline", "RawBlock"):
                fmt, content = node["c"]
                _check_raw(fmt, content, source, problems)
            elif kind == "Image":
                image_attr, caption, (target, title) = node["c"]
                resolved = _image_target(target, source, project_root, problems)
                return {"t": "Image", "c": [image_attr, caption, [resolved, title]]}
            return None

        blocks = pandocast.walk(source.blocks, visit, only=("RawInline", "RawBlock", "Image"))
        checked.append(Source(source.path, source.text, {**source.ast, "blocks": blocks}))
    return checked


def _check_raw(fmt: str, content: str, source: Source, problems: Problems) -> None:
    line = source.line_of(content.strip().splitlines()[0] if content.strip() else content)
    fmt = fmt.lower()  # pandoc matches raw formats without regard to case: {=OpenXML}
    if fmt == "html" and content.lstrip().startswith("<!--"):
        return  # comments are notes to co-authors, never printed
    if fmt in ("openxml", "tex", "latex"):
        problems.error(
            f"raw {fmt} is not allowed in sources: write plain Markdown", source.path, line, code="raw"
        )
    else:
        problems.warning(
            f"raw {fmt} is ignored in the Word output: {content.strip()[:40]!r}",
            source.path,
            line,
            code="raw",
        )


def _image_target(target: str, source: Source, root: Path, problems: Problems) -> str:
    """The absolute path of an image of ``source``: relative to the source's folder, else to the
    project's. A file that is not there is *not found* (a typo), never *outside the project*
    unless the path leads out of it; a file that is no picture Word can show is refused."""
    line = source.line_of(f"({target}")
    if "://" in target or target.startswith("data:"):
        problems.error(
            f"image {target!r}: only files inside the project can be used", source.path, line, code="image"
        )
        return target
    candidates = [(source.path.parent / target).resolve(), (root / target).resolve()]
    found = next((c for c in candidates if c.is_file()), None)
    inside = [c for c in candidates if is_inside(c, root)]
    if (found is not None and not is_inside(found, root)) or not inside:
        problems.error(f"image {target!r} is outside the project folder", source.path, line, code="image")
    elif found is None:
        problems.error(f"image {target!r} not found", source.path, line, code="image")
    elif (problem := image_problem(found)) is not None:
        problems.error(f"image {target!r} {problem}", source.path, line, code="image")
    return str(found or candidates[0])


def resolve_references(
    blocks: list[Node], labels: dict[str, Label], sources: list[Source], problems: Problems
) -> list[Node]:
    """Replace every ``@key`` citation with a cross-reference to its label (:func:`nodes.xref`)."""

    def visit(node: Node) -> list[Node] | None:
        if node["t"] != "Cite":
            return None
        out: list[Node] = []
        for citation in node["c"][0]:
            if out:
                out.extend(pandocast.text(", "))
            out.extend(_reference(citation, labels, sources, problems))
        return out

    return pandocast.walk(blocks, visit, only=("Cite",))


def _reference(
    citation: Node, labels: dict[str, Label], sources: list[Source], problems: Problems
) -> list[Node]:
    """One ``@key`` as a cross-reference, with the text written around it inside the brackets.

    ``[see paragraph @par:aim, especially its first sentence]`` keeps "see paragraph" and
    ", especially its first sentence" (pandoc's citation prefix and suffix) around the number;
    ``@par:aim [as amended]`` keeps its bracketed text after the number.
    """
    key = citation["citationId"]
    label = labels.get(key)
    if label is None:
        path, line = _locate("@" + key, sources)
        known = ", ".join(sorted(k for k in labels if k.split(":")[0] == key.split(":")[0])[:8])
        hint = f"; known: {known}" if known else ""
        problems.error(f"unknown reference '@{key}'{hint}", path, line, code="xref")
        reference = pandocast.text("@" + key)
    else:
        reference = [nodes.xref(label)]
    prefix = list(citation.get("citationPrefix") or [])
    suffix = list(citation.get("citationSuffix") or [])
    if prefix:
        prefix.append({"t": "Space"})
    if suffix and citation.get("citationMode", {}).get("t") == "AuthorInText":
        suffix = [{"t": "Space"}, {"t": "Str", "c": "["}, *suffix, {"t": "Str", "c": "]"}]
    elif suffix and not _starts_with_punctuation(suffix):
        suffix = [{"t": "Space"}, *suffix]
    return [*prefix, *reference, *suffix]


def _starts_with_punctuation(inlines: list[Node]) -> bool:
    first = inlines[0]
    return first["t"] == "Str" and first["c"][:1] in ",.;:)!?"


def _locate(needle: str, sources: list[Source]) -> tuple[Path | None, int | None]:
    for source in sources:
        line = source.line_of(needle)
        if line is not None:
            return source.path, line
    return (sources[0].path if sources else None), None
