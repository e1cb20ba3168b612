"""Paths outside marked content wrapped as artifacts in the content stream's bytes
(``pdf/paths.py``): the same instructions as wrapping pikepdf's reading of the stream, on
streams where a careless scan would find operators in strings, comments, arrays or an inline
image, or miss where an instruction starts."""

from __future__ import annotations

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wcodoc.pdf import tagging
from wcodoc.pdf.paths import wrap_top_level_paths


def page_with(content: bytes | list[bytes]) -> tuple[pikepdf.Pdf, pikepdf.Page]:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    if isinstance(content, list):
        page.obj.Contents = pikepdf.Array([pdf.make_stream(part) for part in content])
    else:
        page.obj.Contents = pdf.make_stream(content)
    return pdf, page


def marked(content: bytes | list[bytes], how) -> bytes:
    """The page's instructions, as pikepdf writes them, once ``how`` has marked its paths."""
    pdf, page = page_with(content)
    how(pdf, page)
    return pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))


CASES = {
    "footer rule": (b"0.75 w 1 j\n224.45 70.389 m\n70.9 70.389 l S\nQ", 1, True),
    "inside marked content": (b"/P <</MCID 0>> BDC 1 2 m 3 4 l S EMC", 0, True),
    "nested marked content": (
        b"/Artifact BMC /P <</MCID 0>> BDC EMC 0 0 1 1 re f EMC 5 5 m 6 6 l S",
        1,
        True,
    ),
    "operators in strings": (b"BT (m re BMC \\( EMC) Tj (a (b) S) Tj ET 1 2 m 3 4 l S", 1, True),
    "escaped backslash before a parenthesis": (b"BT (\\\\) Tj (\\)) Tj ET 0 0 5 5 re f", 1, True),
    "hex strings of paint letters": (b"BT <b> Tj <0B f> Tj [<1c> -5 <b>] TJ ET 1 1 m 2 2 l S", 1, True),
    "a dictionary of strings": (b"/Span <</ActualText (re m) /Alt <6d>>> BDC EMC 0 0 1 1 re n", 1, True),
    "comments": (b"% 1 2 m S\n1 2 m % EMC\n3 4 l S", 1, True),
    "a comment before the operands": (b"q % note\n 1 2 m 3 4 l S Q", 1, True),
    "operands after a comment on their line": (b"% x 1\n 2 3 m 4 5 l S", 1, False),
    "two paths, even-odd fill": (b"0 0 m 1 1 l S 2 2 m 3 3 l 4 4 m f* 0 0 9 9 re B*", 3, True),
    "a word ending in m": (b"5m 1 2 re f", 1, True),
    "inline image": (b"q BI /W 2 /H 1 /BPC 8 /CS /G ID mS EI Q 1 2 m 3 4 l S", 1, False),
    "strings nested four deep": (b"BT (a(b(c(d)))) Tj ET 1 2 m 3 4 l S", 1, False),
    "a name among the operands": (b"/Foo 1 2 m 3 4 l S", 1, False),
    "no path": (b"BT /F1 12 Tf (Hi) Tj ET", 0, True),
    "a stray parenthesis": (b"1 2 m ) 3 4 l S", 1, False),  # pikepdf reads null
    "a path split over two streams": ([b"0 0 m", b"5 5 l S"], 1, True),
}


@pytest.mark.parametrize("content, wrapped, fast", CASES.values(), ids=CASES.keys())
def test_the_bytes_hold_the_instructions_pikepdf_would_write(content, wrapped, fast):
    joined = b"\n".join(content) if isinstance(content, list) else content
    assert (wrap_top_level_paths(joined) is not None) == fast
    expected = marked(content, tagging._mark_parsed_paths)
    assert marked(content, tagging._mark_untagged_paths) == expected
    assert expected.count(b"/Artifact BMC") - joined.count(b"/Artifact BMC") == wrapped


def test_a_path_is_wrapped_where_its_instruction_starts_and_ends():
    content = b"0.1 w\nq 0.75 w 0 J 1 j\n224.45 70.389 m\n70.9 70.389 l S\nQ"
    assert wrap_top_level_paths(content) == (
        b"0.1 w\nq 0.75 w 0 J 1 j\n/Artifact BMC\n224.45 70.389 m\n70.9 70.389 l S\nEMC\nQ"
    )


def test_a_stream_without_such_paths_is_left_as_it_is():
    content = b"/Artifact BMC\nq 0 0.028 595.275 841.861 re\nW* n\nEMC"
    assert wrap_top_level_paths(content) is content


SNIPPETS = [
    b"1 2 m",
    b"0 0 5 5 re",
    b"3 4 l",
    b"S",
    b"f",
    b"f*",
    b"B*",
    b"W n",
    b"/Artifact BMC",
    b"/P <</MCID 3>> BDC",
    b"/Span <</Alt (re)>>BDC",
    b"EMC",
    b"q",
    b"Q",
    b"BT",
    b"ET",
    b"(m re S) Tj",
    b"(a\\) (b) EMC) Tj",
    b"<b> Tj",
    b"[<1b> -5 <f> (n)] TJ",
    b"% m re EMC\n",
    b"0.5 w",
    b"/F1 12 Tf",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SNIPPETS), st.sampled_from([b" ", b"\n", b"\r\n"])), max_size=25))
def test_any_mix_of_tricky_instructions_is_wrapped_as_pikepdf_would(parts):
    content = b"".join(snippet + space for snippet, space in parts)
    assert wrap_top_level_paths(content) is not None
    assert marked(content, tagging._mark_untagged_paths) == marked(content, tagging._mark_parsed_paths)
