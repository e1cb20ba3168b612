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
from wcodoc.review.collect import AFTER, Entry
from wcodoc.review.locate import TYPOGRAPHY, paragraphs
from wcodoc.review.markdown import apply_markdown
from wcodoc.review.plan import Done, Refusal, Texts, current

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


def _cover_refusal(key: str, reason: str, line: int | None = None, path: Path | None = None) -> Refusal:
    return Refusal(path, line, f"paragraph {key}: {reason}")


def apply_cover(
    texts: Texts,
    originals: Texts,
    document: Path,
    entry: Entry,
    anchors: dict[str, str],
    wrappers: Mapping[str, str],
    computed: Mapping[str, str] = COMPUTED,
) -> Refusal | Done:
    """Make a change to a cover field in ``document`` (``document.yaml``), in place.

    ``computed``: the cover lines the build writes from other keys (:data:`COMPUTED` and the
    document kind's ``generated_fields``) → those keys."""
    done = _cover_edit(texts, originals, document, entry, anchors, wrappers, computed)
    if (
        isinstance(done, Refusal)
        and document in texts
        and not isinstance(_cover_edit({}, originals, document, entry, anchors, wrappers, computed), Refusal)
    ):
        return Refusal(done.path, done.line, f"paragraph {entry.paragraph}: another change of this "
                       "copy already changed it (conflicting proposals: choose one with --member "
                       "or --paragraph)")  # fmt: skip
    return done


def _cover_edit(
    texts: Texts,
    originals: Texts,
    document: Path,
    entry: Entry,
    anchors: dict[str, str],
    wrappers: Mapping[str, str],
    computed: Mapping[str, str],
) -> Refusal | Done:
    assert entry.old_text is not None and entry.new_text is not None
    key = entry.paragraph
    field_name = key.removeprefix(AFTER).removeprefix("cover").removeprefix(":")
    text = current(texts, originals, document)
    if field_name in ("summary.purpose", "summary.action"):
        return _apply_summary(texts, originals, document, entry, anchors, field_name)
    if key.startswith(AFTER) or not entry.old_text or not entry.new_text:
        return _cover_refusal(key, "paragraphs added to or removed from the cover are not applied; "
                              "edit document.yaml by hand")  # fmt: skip
    if "\n" in entry.old_text or "\n" in entry.new_text:
        return _cover_refusal(key, "a cover field of several paragraphs; edit document.yaml by hand")
    if field_name in computed:
        return _cover_refusal(key, "this cover line is written by the build from "
                              f"{computed[field_name]} in document.yaml, not copied from it; "
                              "change it there by hand")  # fmt: skip
    if field_name not in ("title", "subtitle", "agenda_item"):
        return _cover_refusal(key, "this cover line is the build's (the letterhead, a separator or "
                              "a heading of the SUMMARY box), not text of document.yaml")  # fmt: skip
    line = scalar_line(text, (field_name,))
    data_value = _yaml_value(text, document, (field_name,))
    if line is None or not isinstance(data_value, str):
        return _cover_refusal(key, f"{field_name} is not a text value of document.yaml (inherited "
                              "from the session?); edit it by hand")  # fmt: skip
    old, new = entry.old_text, entry.new_text
    template = str(wrappers.get(field_name, WRAPPERS.get(field_name, "{value}")))
    wrapper = _wrapper(template)
    olds, news = wrapper.fullmatch(old.strip()), wrapper.fullmatch(new.strip())
    if olds is None or news is None:
        shown = re.sub(r"\{\w*\}", "\u2026", template)
        return _cover_refusal(key, f"only the {field_name} inside \u201c{shown}\u201d comes from "
                              "document.yaml; edit it by hand", line, document)  # fmt: skip
    if field_name == "agenda_item":
        if olds.group(1) != data_value.strip():
            return _cover_refusal(key, f"agenda_item in document.yaml is not {olds.group(1)} "
                                  "(has it changed since?)", line, document)  # fmt: skip
        value: str | None = news.group(1)
    elif field_name == "subtitle":
        value = _word_edit(data_value, olds.group(1), news.group(1), title=False)
    else:
        value = _word_edit(data_value, old, new, title=True, known=_known_words(text, document))
    if value is None:
        return _cover_refusal(key, f"its text in the base is not {field_name} of document.yaml "
                              "(has it changed since?)", line, document)  # fmt: skip
    edited = set_nested_text(text, document, (field_name,), value)
    if edited is None:
        return _cover_refusal(key, f"the layout of {field_name} in document.yaml cannot be edited "
                              "in place; edit it by hand", line, document)  # fmt: skip
    texts[document] = edited
    return document, line


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


def _apply_summary(
    texts: Texts, originals: Texts, document: Path, entry: Entry, anchors: dict[str, str], name: str
) -> Refusal | Done:
    """A change to the Markdown of ``summary.purpose`` or ``summary.action``: made word by word
    as in a chapter, the value written back in its block scalar."""
    key = entry.paragraph
    text = current(texts, originals, document)
    keys = ("summary", name.removeprefix("summary."))
    value = _yaml_value(text, document, keys)
    first_line = scalar_line(text, keys)
    if not isinstance(value, str) or first_line is None:
        return _cover_refusal(key, f"{name} is not a text value of document.yaml (inherited from "
                              "the session?); edit it by hand")  # fmt: skip
    if key.startswith(AFTER) and len(paragraphs(document, value)) > 1:
        # The base names the field, not which of its paragraphs the new one follows.
        return _cover_refusal(key, f"a paragraph added to {name}, which has several: where it goes "
                              "is not known; add it by hand", first_line, document)  # fmt: skip
    inner: Texts = {}
    done = apply_markdown(inner, {document: value}, [document], entry, anchors)
    if isinstance(done, Refusal):
        line = done.line + first_line - 1 if done.line is not None else None
        return Refusal(done.path, line, done.reason)
    edited = set_nested_text(text, document, keys, inner.get(document, value))
    if edited is None:
        reason = f"the layout of {name} in document.yaml cannot be edited in place (a literal block, |, can)"
        return _cover_refusal(key, f"{reason}; edit it by hand", first_line, document)
    texts[document] = edited
    return document, done[1] + first_line - 1
