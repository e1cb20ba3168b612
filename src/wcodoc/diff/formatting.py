"""Run formatting compared between paired paragraphs: what changed, and where.

Only *emphasis* a reader notices counts: bold, italic, underline, strike-through, capitals,
superscript/subscript, highlighting, a character style and a colour other than black.
Properties that editors restate on their own count as nothing: LibreOffice and Word re-save
runs with explicit fonts, sizes, kerning and black colour that the paragraph style already
gave (a document saved once in LibreOffice would otherwise show formatting changes on every
line), as do ``w:lang``, ``w:noProof``, revision ids and complex-script twins such as
``w:bCs``. A toggle set off (``<w:b w:val="0"/>``) is the same as no toggle.
"""

from __future__ import annotations

from lxml import etree

from wcodoc.diff.align import TokenDiff, token_diff
from wcodoc.diff.extract import table_paragraphs
from wcodoc.ooxml import W_P, W_R, W_RPR, W_TBL, qn
from wcodoc.ooxml.text import raw_text, text_nodes, walk

TOGGLES = frozenset(
    qn(f"w:{name}")
    for name in ("b", "i", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
                 "emboss", "imprint", "vanish")
)  # fmt: skip
VALUED = frozenset(qn(f"w:{name}") for name in ("rStyle", "highlight", "u", "vertAlign", "color"))
W_COLOR = qn("w:color")
PLAIN_COLOURS = frozenset({"auto", "000000"})
W_U, W_VAL = qn("w:u"), qn("w:val")
OFF = frozenset({"0", "false", "off"})
FLAG_TAGS = (qn("w:b"), qn("w:i"), W_U)
"""What the self-check compares word by word: bold, italic, underline."""

Key = tuple
Span = tuple[int, int, etree._Element | None]
"""Characters ``[start, end)`` of the new paragraph, and the old run properties they had."""


def _property(child: etree._Element) -> tuple | None:
    if child.tag in TOGGLES:
        return None if child.get(W_VAL, "1") in OFF else (child.tag,)
    if child.tag in VALUED:
        if child.tag == W_U and child.get(W_VAL) == "none":
            return None
        if child.tag == W_COLOR and child.get(W_VAL, "auto").lower() in PLAIN_COLOURS:
            return None
        return (child.tag, *sorted(child.attrib.items()))
    return None


def rpr_key(rpr: etree._Element | None) -> Key:
    """The visible formatting that run properties ``rpr`` set, comparable with ``==``."""
    if rpr is None:
        return ()
    found = (_property(child) for child in rpr)
    return tuple(sorted(p for p in found if p is not None))


def _run_rpr(node: etree._Element) -> etree._Element | None:
    run = node.getparent()
    return run.find(W_RPR) if run is not None and run.tag == W_R else None


CharFormat = tuple[Key | None, etree._Element | None]
"""A character's formatting key (``None`` for a space) and the ``w:rPr`` of its run."""


def char_formats(p: etree._Element) -> list[CharFormat]:
    """For each character of the paragraph's current text: its formatting key and ``w:rPr``.

    Spaces get the key ``None``: how a space is formatted is not worth a mark.
    """
    out: list[CharFormat] = []
    cache: dict[int, Key] = {}
    for node, text in text_nodes(p):
        rpr = _run_rpr(node)
        key = cache.get(id(rpr))
        if key is None:
            key = cache[id(rpr)] = rpr_key(rpr)
        if text.isspace():
            out.extend([(None, rpr)] * len(text))
        elif not any(c.isspace() for c in text):
            out.extend([(key, rpr)] * len(text))
        else:
            out.extend([(None if c.isspace() else key, rpr) for c in text])
    return out


def signature(p: etree._Element) -> tuple:
    """The paragraph's non-space text cut where its formatting changes, with each piece's key.

    Two paragraphs with the same text have the same signature exactly when no shared word
    is formatted differently: a cheap test before any character-level comparison.
    """
    pieces: list[list] = []
    for node, text in text_nodes(p):
        compact = "".join(text.split())
        if not compact:
            continue
        key = rpr_key(_run_rpr(node))
        if pieces and pieces[-1][0] == key:
            pieces[-1][1] += compact
        else:
            pieces.append([key, compact])
    return tuple((key, text) for key, text in pieces)


def format_spans(old_p: etree._Element, new_p: etree._Element, diff: TokenDiff | None = None) -> list[Span]:
    """Where text the two paragraphs share is formatted differently, in new-paragraph offsets.

    ``diff`` compares the old text with the new (computed when not given). A span never
    crosses a change of old or new formatting, so one old ``w:rPr`` describes all of it.
    """
    if signature(old_p) == signature(new_p):
        return []
    old_f, new_f = char_formats(old_p), char_formats(new_p)
    if diff is None:
        diff = token_diff(raw_text(old_p), raw_text(new_p))
    a_off, b_off = diff.old_offsets, diff.new_offsets
    spans: list[Span] = []
    current: tuple | None = None  # (old key, new key) of the last span, while it may grow
    for op, i1, _, j1, j2 in diff.opcodes:
        if op != "equal":
            current = None
            continue
        shift = a_off[i1] - b_off[j1]
        for pos in range(b_off[j1], b_off[j2]):
            (old_key, old_rpr), (new_key, _) = old_f[pos + shift], new_f[pos]
            if old_key is None or new_key is None:  # a space: a span may run across it
                if current is not None and spans[-1][1] == pos:
                    spans[-1] = (spans[-1][0], pos + 1, spans[-1][2])
                continue
            if old_key == new_key:
                current = None
            elif current == (old_key, new_key) and spans[-1][1] == pos:
                spans[-1] = (spans[-1][0], pos + 1, spans[-1][2])
            else:
                spans.append((pos, pos + 1, old_rpr))
                current = (old_key, new_key)
    return [_trim(span, new_f) for span in spans]


def _trim(span: Span, new_f: list[CharFormat]) -> Span:
    start, end, rpr = span
    while end > start and new_f[end - 1][0] is None:
        end -= 1
    return start, end, rpr


def paragraph_pairs(
    old_el: etree._Element, new_el: etree._Element
) -> list[tuple[etree._Element, etree._Element]]:
    """The paragraphs of two blocks with the same text, paired (tables cell by cell)."""
    if old_el.tag == W_P and new_el.tag == W_P:
        return [(old_el, new_el)]
    if old_el.tag == W_TBL and new_el.tag == W_TBL:
        old_ps, new_ps = table_paragraphs(old_el), table_paragraphs(new_el)
        if len(old_ps) == len(new_ps):
            return list(zip(old_ps, new_ps, strict=True))
    return []


def changed_words(old_el: etree._Element, new_el: etree._Element) -> list[str]:
    """The pieces of text of ``new_el`` formatted otherwise than in ``old_el`` (in order)."""
    out: list[str] = []
    for old_p, new_p in paragraph_pairs(old_el, new_el):
        text = raw_text(new_p)
        out.extend(text[start:end] for start, end, _ in format_spans(old_p, new_p))
    return out


def word_flags(p: etree._Element, skip_chars: int = 0) -> tuple:
    """Bold/italic/underline of each word of ``p`` (cross-reference results left out).

    ``skip_chars`` leaves out a number typed at the start (it is not part of the compared
    text either).
    """
    words: list[tuple] = []
    current: list[tuple] = []
    for node, text, target in walk(p):
        if target is not None:
            continue
        if skip_chars:
            text, skip_chars = text[skip_chars:], max(0, skip_chars - len(text))
            if not text:
                continue
        key = rpr_key(_run_rpr(node))
        flags = tuple(any(prop[0] == tag for prop in key) for tag in FLAG_TAGS)
        pieces = text.split()
        if not pieces:
            if current:
                words.append(tuple(current))
                current = []
            continue
        if text[0].isspace() and current:
            words.append(tuple(current))
            current = []
        for k in range(len(pieces)):
            if k:
                words.append(tuple(current))
                current = []
            if not current or current[-1] != flags:
                current.append(flags)
        if text[-1].isspace():
            words.append(tuple(current))
            current = []
    if current:
        words.append(tuple(current))
    return tuple(words)
