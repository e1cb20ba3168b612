"""The pieces of a cover and the end mark, as AST blocks."""

from __future__ import annotations

from tests.render.docx.test_finish import STYLE
from wcodoc.transform.cover import end_mark_blocks
from wcodoc.transform.numbering import pandocast


def test_end_mark_uses_the_language_labels():
    (block,) = end_mark_blocks(STYLE, "fr")
    assert block["c"][0][2] == [["custom-style", "End Mark"]]
    assert pandocast.stringify(block).split("\n")[0] == "*"
