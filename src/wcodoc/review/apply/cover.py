"""A change made on a cover field: written into ``document.yaml``, its comments and layout kept.

The cover prints some values of ``document.yaml`` as they are (the SUMMARY's Markdown), some
inside other words (``- {subtitle} -``, the agenda item) or in capitals (the title: a proposed
title in capitals takes the casing of the source, see docs/review.md); the others are the
build's (the symbol, the dates, the letterhead), and a change to one of them is refused with
the key to change by hand.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path

from wcodoc.diff.align import tokens
from wcodoc.load.yamledit import scalar_line, set_nested_text
from wcodoc.load.yamlio import parse_yaml
from wcodoc.review.apply.locate import TYPOGRAPHY
from wcodoc.review.apply.markdown import Unsafe

SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or"}
    | {"per", "the", "to", "upon", "via", "vs", "with"}
)
"""Words a title in normal case keeps in lower case (unless first)."""
WRAPPERS = {"subtitle": "- {subtitle} -", "agenda_item": "(Item {item}. on the Agenda)"}
"""The cover lines that print a value inside other words (the English house style's terms)."""
COMPUTED = {
    "reference": "reference (the symbol, and the committee's name from its prefix)",
    "meeting": "meeting",
    "sessions": "sessions",
    "dates": "dates",
    "issued": "place and issued",
}
"""Cover lines the build writes from document.yaml values (not copied from them): a change to
one is refused, with the keys to change by hand."""


def cover_edit(
    text: str,
    document: Path,
    name: str,
    now: str,
    proposed: str,
    wrappers: Mapping[str, str],
    computed: Mapping[str, str] = COMPUTED,
) -> tuple[str, int]:
    """``document.yaml``'s ``text`` with the value behind cover line ``name`` changed so that
    the line prints ``proposed`` instead of ``now``, and the value's line; :class:`Unsafe`
    with the reason when that is not a value of ``document.yaml`` one can write.

    ``computed``: the cover lines the build writes from other keys (:data:`COMPUTED` and the
    document kind's ``generated_fields``) → those keys."""
    if "\n" in now or "\n" in proposed:
        raise Unsafe("a cover field of several paragraphs; edit document.yaml by hand")
    if name in computed:
        raise Unsafe(
            f"this cover line is written by the build from {computed[name]} in document.yaml, not "
            "copied from it; change it there by hand"
        )
    if name.startswith("summary."):
        raise Unsafe(f"{name} is not a text of document.yaml (inherited from the session?); edit it by hand")
    if name not in ("title", "subtitle", "agenda_item"):
        raise Unsafe(
            "this cover line is the build's (the letterhead, a separator or a heading of the "
            "SUMMARY box), not text of document.yaml"
        )
    line = scalar_line(text, (name,))
    value = _yaml_value(text, document, (name,))
    if line is None or not isinstance(value, str):
        raise Unsafe(
            f"{name} is not a text value of document.yaml (inherited from the session?); edit it by hand"
        )
    template = str(wrappers.get(name, WRAPPERS.get(name, "{value}")))
    wrapper = _wrapper(template)
    olds, news = wrapper.fullmatch(now.strip()), wrapper.fullmatch(proposed.strip())
    if olds is None or news is None:
        shown = re.sub(r"\{\w*\}", "\u2026", template)
        raise Unsafe(f"only the {name} inside \u201c{shown}\u201d comes from document.yaml; edit it by hand")
    if name == "agenda_item":
        if olds.group(1) != value.strip():
            raise Unsafe(f"agenda_item in document.yaml is {value.strip()}, not {olds.group(1)} as printed")
        new: str | None = news.group(1)
    elif name == "subtitle":
        new = _word_edit(value, olds.group(1), news.group(1), title=False)
    else:
        new = _word_edit(value, now, proposed, title=True, known=_known_words(text, document))
    if new is None:
        raise Unsafe(f"{name} in document.yaml does not print as the cover shows it; edit it by hand")
    edited = set_nested_text(text, document, (name,), new)
    if edited is None:
        raise Unsafe(f"the layout of {name} in document.yaml cannot be edited in place; edit it by hand")
    return edited, line


def write_summary(text: str, document: Path, name: str, value: str) -> str:
    """``document.yaml``'s ``text`` with the SUMMARY's ``name`` (``summary.purpose``) set to
    the Markdown ``value``; :class:`Unsafe` when its layout cannot take it in place."""
    keys = ("summary", name.removeprefix("summary."))
    # A literal block (|) keeps one line end at its end: blank lines left there are dropped.
    edited = set_nested_text(text, document, keys, value.rstrip("\n") + "\n")
    if edited is None:
        raise Unsafe(
            f"the layout of {name} in document.yaml cannot be edited in place (a folded block, >, "
            "or quotes); make it a literal block (|) or edit it by hand"
        )
    return edited


def _wrapper(template: str) -> re.Pattern[str]:
    """What matches a cover line made by ``template`` (``- {subtitle} -``), the value group 1."""
    before, _, after = re.sub(r"\{\w*\}", "\0", template, count=1).partition("\0")
    return re.compile(re.escape(before.strip()) + r"\s*(.+?)\s*" + re.escape(after.strip()), re.DOTALL)


def _yaml_value(text: str, path: Path, keys: tuple[str, ...]) -> object:
    data: object = parse_yaml(text, path)
    for k in keys:
        if not isinstance(data, dict) or k not in data:
            return None
        data = data[k]
    return data


def _known_words(text: str, path: Path) -> dict[str, str]:
    """Spellings a word of the title takes from document.yaml, by its capitals: each word of
    the title itself, and each word of the subtitle and summary with capitals after its first
    letter (``WTO``, ``eCommerce``)."""
    found: dict[str, str] = {}
    summary = _yaml_value(text, path, ("summary",))
    parts = [_yaml_value(text, path, (k,)) for k in ("title", "subtitle")]
    if isinstance(summary, dict):
        parts += list(summary.values())
    for n, part in enumerate(parts):
        if isinstance(part, str):
            for word in re.findall(r"\w+(?:[-'\u2019]\w+)*", part):
                if n == 0 or any(c.isupper() for c in word[1:]):
                    found.setdefault(word.upper(), word)
    return found


def _recased(word: str, first: bool, title_style: bool, known: dict[str, str]) -> str:
    """A word of a proposed title in the source's casing (the rule is in docs/review.md): one
    typed in lower or mixed case is kept as typed; one in capitals takes its spelling in
    document.yaml when known, else a capital initial when first or when the title is in
    title case (apart from small words such as *of*, *and*), else lower case."""
    if not any(c.isalpha() for c in word) or word != word.upper():
        return word
    if word in known:
        spelled = known[word]
        return spelled[0].upper() + spelled[1:] if first else spelled
    if first:
        return word.capitalize()
    if word.lower() in SMALL_WORDS:
        return word.lower()
    return word.capitalize() if title_style else word.lower()


def _word_edit(
    source: str, old: str, new: str, *, title: bool, known: dict[str, str] | None = None
) -> str | None:
    """``source`` (a one-line value of document.yaml) with the word changes from ``old`` to
    ``new`` (as printed: in capitals for the ``title``); ``None`` when ``old`` is not how the
    cover prints ``source``."""
    flat = " ".join(source.split())
    shown = flat.translate(TYPOGRAPHY)
    if title:
        shown = shown.upper()
    if len(shown) != len(flat) or shown != " ".join(old.split()).translate(TYPOGRAPHY):
        return None
    proposed = " ".join(new.split()).translate(TYPOGRAPHY)
    a, b = tokens(shown), tokens(proposed)
    starts = [0]
    for tok in a:
        starts.append(starts[-1] + len(tok))
    words = [w for w in re.findall(r"\w+", flat) if w.lower() not in SMALL_WORDS]
    title_style = bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)
    cuts: list[tuple[int, int, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        replacement = b[j1:j2]
        if title:
            first = not any(c.isalnum() for c in "".join(a[:i1]))
            out = []
            for tok in replacement:
                out.append(_recased(tok, first, title_style, known or {}) if tok.strip() else tok)
                first = first and not any(c.isalnum() for c in tok)
            replacement = out
        cuts.append((starts[i1], starts[i2], "".join(replacement)))
    value = flat
    for start, end, text in sorted(cuts, reverse=True):
        value = value[:start] + text + value[end:]
    check = value.translate(TYPOGRAPHY)
    if (check.upper() if title else check) != (proposed.upper() if title else proposed):
        return None
    return value
