"""Cross-references read back: what each shows, and the text a reference of the base showed put
back into a copy whose references LibreOffice updated from misplaced bookmarks."""

from __future__ import annotations

from tests.support.wml import xml
from wcodoc.ooxml.fields import ref_field, show_references, shown_references
from wcodoc.ooxml.text import raw_text, walk

BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
SEPARATE = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _instr(target: str) -> str:
    return f"<w:r><w:instrText> REF {target} \\n \\h </w:instrText></w:r>"


def _body(*paragraphs: str) -> object:
    return xml("<w:body>" + "".join(f"<w:p>{p}</w:p>" for p in paragraphs) + "</w:body>")


def test_shown_references_by_bookmark():
    body = xml(f"<w:body><w:p><w:r><w:t>See </w:t></w:r>{ref_field('sec_b', 'II')}</w:p></w:body>")
    assert shown_references(body) == {"sec_b": "II"}


def test_a_reference_showing_another_number_or_none_shows_the_base_s_again():
    body = _body(
        f"<w:r><w:t>See </w:t></w:r>{BEGIN}{_instr('sec_b')}{SEPARATE}<w:r><w:t>4</w:t></w:r>{END}",
        f"<w:r><w:t>See </w:t></w:r>{BEGIN}{_instr('sec_c')}{SEPARATE}<w:r/>{END}<w:r><w:t>.</w:t></w:r>",
        f"<w:r><w:t>See </w:t></w:r>{BEGIN}{_instr('sec_c')}{END}",  # no separator at all
        f"{BEGIN}{_instr('sec_b')}{SEPARATE}<w:r><w:t>1</w:t><w:tab/><w:t>2</w:t></w:r>{END}",
        f"{BEGIN}{_instr('par_other')}{SEPARATE}<w:r><w:t>9</w:t></w:r>{END}",  # not in the base
    )
    show_references(body, {"sec_b": "II", "sec_c": "III"})
    paragraphs = list(body)
    assert [raw_text(p) for p in paragraphs] == ["See II", "See III.", "See III", "II", "9"]
    assert [(text, target) for _, text, target in walk(paragraphs[2])] == [("See ", None), ("III", "sec_c")]
