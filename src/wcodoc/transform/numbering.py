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

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wcodoc.errors import Problems
from wcodoc.fsutil import is_inside
from wcodoc.load.images import image_problem
from wcodoc.numerals import letter, roman
from wcodoc.parse.reader import Source, locate
from wcodoc.styles import BODY_TEXT, BULLET, BULLET_2, NUMBERED_PARAGRAPH, SUB_ITEM
from wcodoc.transform import nodes, pandocast
from wcodoc.transform.lint import metadata_blocks
from wcodoc.transform.pandocast import Node
from wcodoc.transform.targets import ANCHOR_PREFIXES, PREFIXES, Label, Place, anchor, is_label

UNNUMBERED_CLASS = "unnumbered"
# What pandoc Markdown needs to write raw content or an image (HTML, a raw attribute, a TeX
# command, ``![``) and a footnote (``[^`` or ``^[``): a source without it has none, so the walks
# that look for them skip it (a one-chapter rebuild walks every chapter again).
_MAY_HOLD_RAW_OR_IMAGE = re.compile(r"<|\{=|\\[A-Za-z]|!\[")
_MAY_HOLD_NOTE = re.compile(r"\[\^|\^\[")
# A horizontal rule is three or more '-', '*' or '_' (spaces between): a source without three
# in a row has none (dashes typed for an em dash or a table's lines only cost a walk).
_MAY_HOLD_RULE = re.compile(r"([-*_])[ \t]*\1[ \t]*\1")

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

    # labels ------------------------------------------------------------------------------
    def add_label(self, key: str, number: str, node: Node) -> None:
        """Record ``key`` → ``number``; ``node`` carries the label (its line is looked up only
        for a message)."""
        prefix = key.split(":", 1)[0]
        if prefix not in PREFIXES or prefix == "uc":
            self.problems.error(
                f"label {key!r}: labels in chapters start with 'par:' or 'sec:'",
                *self._where(node, key),
                code="label",
            )
        if key in self.body.labels:
            path, line = self.body.labels[key].where()
            self.problems.error(
                f"duplicate label {key!r} (first defined at {path.name if path else '?'}:{line})",
                *self._where(node, key),
                code="label",
            )
            return
        assert self.source is not None, "labels are met only while a chapter is numbered"
        origin = functools.partial(_label_place, self.source, node, key)
        self.body.labels[key] = Label(key, number, self.source.path, origin=origin)

    def _where(self, node: Node, key: str = "") -> tuple[Path, int | None]:
        """The chapter being numbered and the line of ``node`` in it (of ``#key`` within it,
        for the node that carries label ``key``): found by pandoc's source positions, so two
        uses of one label are each reported at their own line."""
        assert self.source is not None, "nodes are located only while a chapter is numbered"
        return _label_place(self.source, node, key) if key else (self.source.path, self.source.line_at(node))

    def take_labels(
        self, inlines: list[Node], number: str, what: str = "an unnumbered paragraph"
    ) -> list[Node]:
        """Turn each ``[]{#par:x}`` span of a paragraph into a label mark and record the label.

        The span may stand anywhere in the paragraph: it labels the whole paragraph.
        """
        out = list(inlines)
        for i in [i for i, node in enumerate(out) if node["t"] == "Span"]:  # most paragraphs: none
            node = out[i]
            if node["c"][0][0] and not node["c"][1]:
                key = node["c"][0][0]
                if not number:
                    self.problems.error(
                        f"label {key!r} on {what} has no number to refer to",
                        *self._where(node, key),
                        code="label",
                    )
                self.add_label(key, number, node)
                out[i] = nodes.label_mark(key)
        # "[]{#par:x} Text" leaves a space after the label; it must not indent the paragraph.
        while len(out) > 1 and out[0]["t"] == "Span" and out[1]["t"] in ("Space", "SoftBreak"):
            del out[1]
        return out

    # blocks ------------------------------------------------------------------------------
    def heading(self, node: Node) -> Node:
        level, (identifier, classes, attrs), inlines = node["c"]
        label = identifier if is_label(identifier) else ""
        inlines = nodes.led_by_target(identifier, inlines)
        if level == 1:
            if UNNUMBERED_CLASS in classes:  # {.unnumbered} or {-}: Word numbers it all the same
                self.problems.warning(
                    "'#' heading marked unnumbered: every '#' section is numbered; "
                    "a '##' heading has no number",
                    *self._where(node),
                    code="heading",
                )
            self.body.sections += 1
            number = roman(self.body.sections)
            if label:
                self.add_label(label, number, node)
            header = {"t": "Header", "c": [1, ["", classes, attrs], inlines]}
            return nodes.numbered(header, number, anchor("sec", number), label=label)
        if label:
            self.problems.error(
                f"label {label!r} on a sub-heading: only '#' sections can be labelled "
                f"(a link leads to an identifier without ':', such as {{#{label.split(':', 1)[1]}}})",
                *self._where(node, label),
                code="label",
            )
        return {"t": "Header", "c": [min(level, 3), ["", classes, attrs], inlines]}

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
            # paragraphs (wcodoc numbers them); `wcodoc check` warns about the typed numbers,
            # found in the text ("7.", "7)"), and here about pandoc's other numbered lists.
            if (marker := _list_marker(node)) is not None:
                self.problems.warning(
                    f"list numbered {marker} … becomes numbered paragraphs: wcodoc numbers "
                    "paragraphs itself, so remove its numbers (use 'a.' for sub-items)",
                    *self._where(node),
                    code="typed-number",
                )
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
                    self.source.line_at(inner, text),
                    code="heading",
                )

        # Walked whole: a HorizontalRule, for one, has no content.
        pandocast.walk(node, visit, only=("Header",))

    def chapter(self, source: Source) -> None:
        self.source = source
        if _MAY_HOLD_NOTE.search(source.text):
            pandocast.walk(source.blocks, self.refuse_nested_sections, only=("Note",))
        for node in source.blocks:
            self.body.blocks.extend(self.block(node))


def _label_place(source: Source, node: Node, key: str) -> tuple[Path, int | None]:
    """The file and line of label ``key``, which ``node`` of ``source`` carries."""
    return source.path, source.line_at(node, "#" + key)


def _list_marker(node: Node) -> str | None:
    """The first marker of a numbered list the lint does not find in the text (``i.``, ``A.``,
    ``(1)``, ``(@)``, ``#.``); ``None`` for ``1.`` and ``1)``, which it does."""
    start, style, delimiter = node["c"][0][0], node["c"][0][1]["t"], node["c"][0][2]["t"]
    if style == "Decimal" and delimiter in ("Period", "OneParen", "DefaultDelim"):
        return None
    number = {
        "LowerRoman": roman(start).lower(),
        "UpperRoman": roman(start),
        "UpperAlpha": letter(start).upper(),
        "Example": "@",
        "DefaultStyle": "#",
    }.get(style, str(start))
    return {"OneParen": f"{number})", "TwoParens": f"({number})"}.get(delimiter, f"{number}.")


def number_body(sources: list[Source], project_root: Path, problems: Problems) -> NumberedBody:
    """Assign section numerals, paragraph numbers and sub-item letters over all chapters."""
    numberer = _Numberer(project_root, problems)
    for source in sources:
        numberer.chapter(source)
    return numberer.body


def check_sources(sources: list[Source], project_root: Path, problems: Problems) -> list[Source]:
    """Refuse what the house style does not allow; return the sources with image paths resolved.

    Raw OpenXML and TeX would bypass the house style, so they are errors; HTML comments are
    notes to co-authors and are dropped; other raw HTML is ignored by the Word writer, so it is
    a warning. Images must be files inside the project; their paths are made absolute for
    pandoc. Left out with a warning: a horizontal rule (a WCO document is divided by its
    headings, and its end mark is printed after the last chapter) and a chapter's own metadata
    (a title block, YAML: the document's title and date are document.yaml's).
    """
    return [_checked(source, project_root, problems) for source in sources]


_CHECKED = ("RawInline", "RawBlock", "Image", "HorizontalRule")
RULE_LINE = re.compile(r"^[ \t>:]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
"""A line that is a horizontal rule: three or more of one of '-', '*', '_' (in a quote, a list
item or a definition too)."""
RULE_LEFT_OUT = (
    "horizontal rule left out: a WCO document is divided by its headings, and its end mark "
    "follows the last chapter; remove the rule, or use a '##' heading"
)
METADATA_LEFT_OUT = (
    "left out: a chapter's own title, author or date is not printed "
    "(the document's title and date are document.yaml's)"
)


def _checked(source: Source, root: Path, problems: Problems) -> Source:
    if source.ast.get("meta"):  # pandoc read metadata out of the text: say where
        for start, what in metadata_blocks(source.text):
            problems.warning(f"{what} {METADATA_LEFT_OUT}", source.path, start, code="metadata")
    if not (_MAY_HOLD_RAW_OR_IMAGE.search(source.text) or _MAY_HOLD_RULE.search(source.text)):
        return source
    found: list[Node] = []
    # Everything is reported before anything changes: nodes are located in the AST as read.
    pandocast.walk(source.blocks, found.append, only=_CHECKED)
    ignored: dict[tuple[int | None, str], list[str]] = {}
    for node in found:
        if node["t"] == "Image":
            node["c"][2][0] = _image_target(node, source, root, problems)
        elif node["t"] == "HorizontalRule":
            problems.warning(RULE_LEFT_OUT, source.path, source.line_at(node, RULE_LINE), code="rule")
        elif (raw := _check_raw(node, source, problems)) is not None:
            line, fmt, content = raw
            ignored.setdefault((line, fmt), []).append(content)
    for (line, fmt), pieces in ignored.items():
        shown = " ".join(pieces)
        shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
        problems.warning(f"raw {fmt} is ignored in the Word output: {shown!r}", source.path, line, code="raw")
    blocks = source.blocks
    if any(node["t"] == "HorizontalRule" for node in found):
        blocks = pandocast.walk(blocks, lambda _rule: [], only=("HorizontalRule",))
    return Source(source.path, source.text, {**source.ast, "blocks": blocks})


_SHOWN = 60
"""Characters of ignored raw content a warning shows."""


def _check_raw(node: Node, source: Source, problems: Problems) -> tuple[int | None, str, str] | None:
    """An error for raw OpenXML or TeX; ``(line, format, content)`` of raw content that is
    only ignored (HTML, another format), for one warning a line; ``None`` for a comment."""
    fmt, content = node["c"]
    fmt = fmt.lower()  # pandoc matches raw formats without regard to case: {=OpenXML}
    if fmt == "html" and content.lstrip().startswith("<!--"):
        return None  # comments are notes to co-authors, never printed
    first = content.strip().splitlines()[0] if content.strip() else ""
    line = source.line_at(node, first)
    if fmt in ("tex", "latex"):
        problems.error(
            f"raw TeX '{first[:40]}' is not allowed in sources: write plain Markdown; a backslash "
            "meant as text is typed twice (C:\\\\Users) or kept in a `code span`",
            source.path,
            line,
            code="raw",
        )
    elif fmt == "openxml":
        problems.error(
            f"raw {fmt} is not allowed in sources: write plain Markdown", source.path, line, code="raw"
        )
    else:
        return line, fmt, content.strip()
    return None


def _image_target(node: Node, source: Source, root: Path, problems: Problems) -> str:
    target = node["c"][2][0]

    def where() -> Place:  # looked up for a message only: it costs a pandoc call
        return source.path, source.line_at(node, target)

    if "://" in target or target.startswith("data:"):
        problems.error(f"image {target!r}: only files inside the project can be used", *where(), code="image")
        return target
    candidates = [(source.path.parent / target).resolve(), (root / target).resolve()]
    found = next((c for c in candidates if c.is_file()), None)
    inside = [c for c in candidates if is_inside(c, root)]
    if (found is not None and not is_inside(found, root)) or not inside:
        problems.error(f"image {target!r} is outside the project folder", *where(), code="image")
    elif found is None:
        problems.error(f"image {target!r} not found", *where(), code="image")
    elif (problem := image_problem(found)) is not None:
        problems.error(f"image {target!r} {problem}", *where(), code="image")
    return str(found or candidates[0])


def resolve_references(
    blocks: list[Node],
    labels: dict[str, Label],
    sources: list[Source],
    problems: Problems,
    *,
    elsewhere: Place = (None, None),
) -> list[Node]:
    """Replace every ``@key`` citation with a cross-reference to its label (:func:`nodes.xref`).

    An unknown one is reported where it stands in ``sources``, else at ``elsewhere`` (the
    summary of document.yaml, whose Markdown is no source file).
    """
    resolve_citations(pandocast.find_all(blocks, CITATIONS), labels, sources, problems, elsewhere=elsewhere)
    return blocks


CITATIONS = ("Cite",)
"""The nodes :func:`resolve_citations` replaces."""


def resolve_citations(
    found: pandocast.Found,
    labels: dict[str, Label],
    sources: list[Source],
    problems: Problems,
    *,
    elsewhere: Place = (None, None),
) -> None:
    """:func:`resolve_references` on the citations of ``found`` (:func:`pandocast.find_all`,
    which may hold other kinds too: a build finds citations and floats in one walk)."""
    for node, holder in found:
        if node["t"] not in CITATIONS:
            continue
        out: list[Node] = []
        for citation in node["c"][0]:
            if out:
                out.extend(pandocast.text(", "))
            out.extend(_reference(citation, labels, sources, problems, elsewhere))
        pandocast.replace_in(holder, node, out)


def _reference(
    citation: Node, labels: dict[str, Label], sources: list[Source], problems: Problems, elsewhere: Place
) -> list[Node]:
    """One ``@key`` as a cross-reference, with the text written around it inside the brackets.

    ``[see paragraph @par:aim, especially its first sentence]`` keeps "see paragraph" and
    ", especially its first sentence" (pandoc's citation prefix and suffix) around the number;
    ``@par:aim [as amended]`` keeps its bracketed text after the number.
    """
    key = citation["citationId"]
    label = labels.get(key)
    if label is None:
        path, line = locate(citation, sources, "@" + key, same=_citing(key), word_start=True)
        path, line = (path, line) if path else elsewhere
        problems.error(f"unknown reference '@{key}'{_known(key, labels)}", path, line, code="xref")
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


def _citing(key: str) -> Callable[[Any], bool]:
    """Whether an object of the AST is a citation of ``key`` (for counting the uses of one key)."""
    return lambda node: node.get("citationId") == key


def _known(key: str, labels: dict[str, Label]) -> str:
    """What the message about an unknown ``@key`` adds: the labels of its kind, or, for a key
    of no kind (an @ meant as text: ``@WCO_OMD``), how to write an @."""
    prefix = key.split(":", 1)[0] if ":" in key else ""
    if prefix not in ANCHOR_PREFIXES:
        kinds = ", ".join(f"{p}:" for p in ANCHOR_PREFIXES)
        return f": references start with {kinds}; an @ meant as text is typed \\@ (\\@{key})"
    known = ", ".join(sorted(k for k in labels if k.split(":")[0] == prefix)[:8])
    return f"; known: {known}" if known else ""
