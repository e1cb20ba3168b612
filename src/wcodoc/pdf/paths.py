"""Drawn paths outside any marked content, wrapped as artifacts by editing the stream's bytes.

Such a path (the rule above the first page's notices) can be on any page, so every page's
content stream is searched for one. Reading each into pikepdf's instructions (and writing back
the ones that change) cost some 4 ms a page, most of the time it took to finish a long
document; the operators that matter (marked content, the start and the painting of a path) are
few, so a regular expression finds them in the bytes, skipping over everything that could hide
an operator's letters: literal strings (escapes and nested parentheses), hexadecimal strings,
arrays, dictionaries, names and comments. Where it cannot be sure (an inline image, whose data
is binary; a string nested deeper than the expression follows; a stray delimiter; a path whose
operands are not plain numbers) :func:`wrap_top_level_paths` says so, and the caller reads the
stream with pikepdf instead, to the same effect. Where it is, the bytes change only where the
marks go in.
"""

from __future__ import annotations

import re

PATH_START = frozenset({b"m", b"re"})
PATH_PAINT = frozenset({b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"})
_NESTING = {b"BMC": 1, b"BDC": 1, b"EMC": -1}
ARTIFACT = b"/Artifact BMC\n"
END = b"\nEMC"

_WHITE = rb"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_KEY = rb"(?<!" + _REGULAR + rb")(?:BMC|BDC|EMC|BI|re|f\*|B\*|b\*|[msSfFBbn])(?!" + _REGULAR + rb")"
"""The operators that matter (``BI``: an inline image, which this scanner does not read)."""
_PLAIN = rb"[^()\\]|\\."
_STRING = rb"\((?:" + _PLAIN + rb"|\((?:" + _PLAIN + rb"|\((?:" + _PLAIN + rb")*+\))*+\))*+\)"
"""A literal string with parentheses nested up to three deep (deeper is left to pikepdf)."""
_COMMENT = rb"%[^\r\n]*+"
_SKIPPED = b"|".join(
    [
        # An array, in one step (a TJ's strings and spacing: most of the bytes). As for pikepdf,
        # a word inside an array is no operator.
        rb"\[(?:[^\[\]()%]++|" + _STRING + rb"|" + _COMMENT + rb")*+\]",
        rb"<[0-9A-Fa-f" + _WHITE + rb"]*+>",  # a hexadecimal string
        rb"[0-9.+\-" + _WHITE + rb"\[\]]++",  # numbers, space, an array's brackets
        rb"[AC-DG-RT-Zac-eg-lo-qt-z'\"*]" + _REGULAR + rb"*+",  # an operator no key starts like
        rb"(?!" + _KEY + rb")" + _REGULAR + rb"++",  # any other word but a key
        rb"/" + _REGULAR + rb"*+",  # a name
        _STRING,
        rb"<<|>>|[{}]",
        _COMMENT,
    ]
)
_NEXT_KEY = re.compile(rb"(?:" + _SKIPPED + rb")*+(?:(?P<key>" + _KEY + rb")|\Z|(?P<odd>.))", re.DOTALL)
"""Everything up to the next operator that matters, then that operator, or the end, or a byte
no token starts with (a stray parenthesis, an unfinished string)."""
_NUMERIC = frozenset(b"0123456789.+-")
_SPACE = frozenset(b"\x00\t\n\x0c\r ")
_DELIMITER = frozenset(b"()<>[]{}/%")


def wrap_top_level_paths(content: bytes) -> bytes | None:
    """``content`` with each path drawn outside marked content between ``/Artifact BMC`` and
    ``EMC`` (the same object if there is none); ``None`` if the stream holds what this scanner
    does not read (an inline image, a string nested more than three deep, a stray delimiter, a
    path whose operands are not all numbers)."""
    inserts: list[tuple[int, bytes]] = []
    depth, in_path = 0, False
    for found in _NEXT_KEY.finditer(content):
        key = found.group("key")
        if key is None:
            return None if found.group("odd") is not None else _spliced(content, inserts)
        if key == b"BI":
            return None
        if depth == 0 and not in_path and key in PATH_START:
            start = instruction_start(content, found.start("key"))
            if start is None:
                return None
            inserts.append((start, ARTIFACT))
            in_path = True
        elif in_path and key in PATH_PAINT:
            inserts.append((found.end(), END))
            in_path = False
        depth += _NESTING.get(key, 0)
    return _spliced(content, inserts)


def instruction_start(content: bytes, operator: int) -> int | None:
    """Where the instruction whose operator starts at ``operator`` starts: at its first operand,
    when all its operands are numbers and an operator (or the stream's start) comes before them;
    else ``None``."""
    first = operator
    while first > 0 and (content[first - 1] in _NUMERIC or content[first - 1] in _SPACE):
        first -= 1
    while first < operator and content[first] in _SPACE:
        first += 1
    if first == 0:
        return 0
    before = content[first - 1]
    if before not in _SPACE:
        return None  # a number glued to a delimiter or word before it: not this simple case
    word = first - 1
    while word > 0 and content[word - 1] in _SPACE:
        word -= 1
    token = word
    while token > 0 and content[token - 1] not in _SPACE and content[token - 1] not in _DELIMITER:
        token -= 1
    if token == word or content[token:word] in (b"true", b"false", b"null"):
        return None  # a delimiter ends the token before: a string, array, dictionary or name
    if token > 0 and content[token - 1] == ord("/"):
        return None  # a name
    line = max(content.rfind(b"\n", 0, first), content.rfind(b"\r", 0, first))
    if b"%" in content[line + 1 : first]:
        return None  # perhaps a comment: pikepdf knows
    return first


def _spliced(content: bytes, inserts: list[tuple[int, bytes]]) -> bytes:
    if not inserts:
        return content
    pieces, last = [], 0
    for offset, text in inserts:
        pieces += [content[last:offset], text]
        last = offset
    pieces.append(content[last:])
    return b"".join(pieces)
