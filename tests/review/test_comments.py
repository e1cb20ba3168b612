"""Members' comments in ``review collect``: every thread reported, on the paragraph it is on —
in a footnote, a table cell, a whole row or table — whatever ids and reply links the copy holds."""

from __future__ import annotations

import json

import pytest

from tests.conftest import W
from tests.review.copies import run_cli
from tests.support.member_copy import MemberCopy

FOOTNOTE = "The committee recommends further guidance on revenue security."
"""Paragraph 4 of the base, whose footnote reads "See the Revenue Package."."""


def _collected(base, copy: MemberCopy, path, capsys) -> list[tuple]:
    """``wcodoc review collect BASE COPY`` (JSON): each comment's paragraph, Member and text."""
    out = run_cli(["review", "collect", str(base), str(copy.save(path))], capsys)
    entries = json.loads(out)["entries"]
    return [(e["paragraph"], e["member"], e["comment"]) for e in entries if e["kind"] == "comment"]


def _ids(copy: MemberCopy, old: str, new: str) -> None:
    """Give the comment ``old`` the id ``new`` in the body (anchors and mark) and its part."""
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        for el in copy.body.iter(f"{{{W}}}{tag}"):
            if el.get(f"{{{W}}}id") == old:
                el.set(f"{{{W}}}id", new)
    copy.comments = [(new if cid == old else cid, *rest) for cid, *rest in copy.comments]


def test_a_comment_on_footnote_text_is_on_the_paragraph_of_the_footnote(base, tmp_path, capsys):
    copy = MemberCopy(base)
    copy.comment("Revenue Package", "Korea Customs", "Cite the 2021 edition.", footnote=True)
    assert _collected(base, copy, tmp_path / "korea.docx", capsys) == [
        ("4", "Korea Customs", "Cite the 2021 edition.")
    ]


def test_two_comments_answering_each_other_are_both_reported(base, tmp_path, capsys):
    copy = MemberCopy(base)
    copy.comment("Capacity building", "Korea Customs", "Say which Members.", (("Japan Customs", "Agreed."),))
    first, author, text, _ = copy.comments[0]
    copy.comments[0] = (first, author, text, copy.comments[1][0])  # each the other's reply
    assert _collected(base, copy, tmp_path / "korea.docx", capsys) == [
        ("3", "Korea Customs", "Say which Members.\nReply by Japan Customs: Agreed.")
    ]


def test_two_comments_with_one_id_are_both_reported_where_each_is(base, tmp_path, capsys):
    copy = MemberCopy(base)
    copy.comment("Customs administrations met", "Korea Customs", "Too long.")
    copy.comment("Capacity building", "Brazil Customs", "Too short.")
    _ids(copy, copy.comments[1][0], copy.comments[0][0])
    assert _collected(base, copy, tmp_path / "both.docx", capsys) == [
        ("1", "Korea Customs", "Too long."),
        ("3", "Brazil Customs", "Too short."),
    ]


def test_a_member_s_reply_to_a_comment_of_the_base_is_reported_with_it(base, tmp_path, capsys):
    sent = MemberCopy(base)
    sent.comment("Capacity building", "WCO Secretariat", "Please confirm the priority.")
    sent_path = sent.save(tmp_path / "sent.docx")
    copy = MemberCopy(base)
    copy.comment(
        "Capacity building",
        "WCO Secretariat",
        "Please confirm the priority.",
        (("Korea Customs", "Confirmed."),),
    )
    out = run_cli(["review", "collect", str(sent_path), str(copy.save(tmp_path / "korea.docx"))], capsys)
    assert [(e["paragraph"], e["member"], e["comment"]) for e in json.loads(out)["entries"]] == [
        (
            "3",
            "Korea Customs",
            "Reply to WCO Secretariat (\u201cPlease confirm the priority.\u201d): Confirmed.",
        )
    ]


def _move_range_start(copy: MemberCopy, cid: str, where: str) -> None:
    """Move comment ``cid``'s range start from its cell paragraph to where Word puts it when a
    whole cell, row or table is selected: before the cell's paragraph, the row's first cell,
    the table's first row, or the table."""
    start = next(el for el in copy.body.iter(f"{{{W}}}commentRangeStart") if el.get(f"{{{W}}}id") == cid)
    paragraph = start.getparent()
    target = {
        "cell": paragraph,
        "row": paragraph.getparent(),
        "table": paragraph.getparent().getparent(),
        "before the table": next(paragraph.iterancestors(f"{{{W}}}tbl")),
    }[where]
    target.addprevious(start)


@pytest.mark.parametrize("where", ["in the cell", "cell", "row", "table", "before the table"])
def test_a_comment_in_a_table_is_keyed_by_the_table_s_place(sections_base, tmp_path, capsys, where):
    copy = MemberCopy(sections_base)
    copy.comment("Korea", "Korea Customs", "Korea is live since 2023.")
    if where != "in the cell":
        _move_range_start(copy, copy.comments[0][0], where)
    out = run_cli(["review", "collect", str(sections_base), str(copy.save(tmp_path / "korea.docx"))], capsys)
    entries = json.loads(out)["entries"]
    assert [(e["paragraph"], e["old_text"], e["comment"]) for e in entries] == [
        ("3", "Member | Status / Korea | pilot", "Korea is live since 2023.")
    ]


def test_fifty_comments_in_one_thread_chain_keep_their_order(base, tmp_path, capsys):
    copy = MemberCopy(base)
    replies = tuple((f"Member {k}", f"Reply {k}.") for k in range(1, 50))
    copy.comment("Capacity building", "Member 0", "Reply 0.", replies)
    for k in range(1, 50):  # each answers the one before it, not the first
        cid, author, text, _ = copy.comments[k]
        copy.comments[k] = (cid, author, text, copy.comments[k - 1][0])
    ((key, member, text),) = _collected(base, copy, tmp_path / "chain.docx", capsys)
    assert (key, member) == ("3", "Member 0")
    assert text.splitlines() == ["Reply 0.", *(f"Reply by Member {k}: Reply {k}." for k in range(1, 50))]


def test_every_thread_starts_once_whatever_the_links(base, tmp_path, capsys):
    # Three replies in a circle, and one answering a comment that is not there.
    copy = MemberCopy(base)
    copy.comment("Capacity building", "A", "a.", (("B", "b."), ("C", "c.")))
    copy.comment("Customs administrations met", "D", "d.")
    ids = [cid for cid, *_ in copy.comments]
    links = {ids[0]: ids[2], ids[1]: ids[0], ids[2]: ids[1], ids[3]: "9999"}
    copy.comments = [(cid, author, text, links[cid]) for cid, author, text, _ in copy.comments]
    found = _collected(base, copy, tmp_path / "circle.docx", capsys)
    assert found == [("1", "D", "d."), ("3", "A", "a.\nReply by B: b.\nReply by C: c.")]
