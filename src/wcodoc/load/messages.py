"""How a message shows a value read from YAML, and how it suggests the key that was meant.

Every validator of the package (metadata, session, house style, use cases, the CLI's options)
words an unknown key the same way through these helpers: ``unknown region 'asia' (did you
mean 'asia-pacific'?); expected one of …``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any


def describe(value: Any) -> str:
    """A YAML value as an error message shows it: ``'April'``, ``[1, 2]``, ``a mapping``."""
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "[" + ", ".join(describe(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "a mapping"
    return repr(str(value)) if isinstance(value, str) else str(value)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` when a close spelling exists, else ``''``."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def suggest(word: str, allowed: Sequence[str]) -> str:
    """A "did you mean" hint: a close spelling, or else the one key that contains ``word``.

    The second rule finds ``asia-pacific`` for ``asia``, too short a match for spelling alone.
    """
    hint = did_you_mean(word, allowed)
    if hint or len(word) < 3:
        return hint
    containing = [key for key in allowed if word.casefold() in key]
    return f" (did you mean {containing[0]!r}?)" if len(containing) == 1 else ""


def unknown_choice(
    value: Any, allowed: Sequence[str], noun: str = "key", *, limit: int | None = None
) -> str | None:
    """``None`` when ``value`` is one of ``allowed``; else the message that says so.

    The message reads ``unknown <noun> 'x' (did you mean 'y'?); expected one of a, b, c``;
    ``limit`` cuts a long list of choices (the use-case ids of a large pool) with ``…``.
    """
    if isinstance(value, str) and value in allowed:
        return None
    shown = list(allowed) if limit is None or len(allowed) <= limit else [*allowed[:limit], "…"]
    hint = suggest(str(value), allowed)
    return f"unknown {noun} {describe(value)}{hint}; expected one of {', '.join(shown)}"
