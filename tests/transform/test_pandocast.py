"""The AST helpers shared by the transforms: flattening lists, building tables."""

from __future__ import annotations

from wcodoc.transform import pandocast


def _para(text: str) -> dict:
    return pandocast.para(pandocast.text(text))


def _flat(blocks, lists=("BulletList",)):
    return [(pandocast.stringify(b), depth) for b, depth in pandocast.flatten(blocks, lists)]


def test_flatten_gives_each_list_item_its_depth_and_opens_divs():
    nested = {"t": "BulletList", "c": [[_para("inner")]]}
    bullets = {"t": "BulletList", "c": [[_para("outer"), nested], [_para("second")]]}
    div = {"t": "Div", "c": [pandocast.attr(classes=["unnumbered"]), [_para("aside")]]}
    assert _flat([_para("text"), bullets, div]) == [
        ("text", 0), ("outer", 1), ("inner", 2), ("second", 1), ("aside", 0),
    ]  # fmt: skip


def test_a_div_in_a_list_item_keeps_the_item_depth():
    div = {"t": "Div", "c": [pandocast.attr(), [_para("inside")]]}
    assert _flat([{"t": "BulletList", "c": [[div]]}]) == [("inside", 1)]


def test_only_the_named_lists_are_taken_apart():
    ordered = {"t": "OrderedList", "c": [[1, {"t": "Decimal"}, {"t": "Period"}], [[_para("one")]]]}
    assert [b["t"] for b, _ in pandocast.flatten([ordered], ("BulletList",))] == ["OrderedList"]
    assert _flat([ordered], ("BulletList", "OrderedList")) == [("one", 1)]


def test_table_with_and_without_a_header_row():
    cells = [[pandocast.plain(pandocast.text("a"))], [pandocast.plain(pandocast.text("b"))]]
    plain = pandocast.table([cells], (0.5, 0.5))
    _attr, _caption, colspecs, head, bodies, _foot = plain["c"]
    assert [c[0]["t"] for c in colspecs] == ["AlignDefault", "AlignDefault"]
    assert head[1] == [] and len(bodies[0][3]) == 1
    headed = pandocast.table([cells], (0.5, 0.5), header=cells, align="AlignLeft")
    assert pandocast.stringify(headed["c"][3][1]) == "ab"
    assert headed["c"][2][0][0] == {"t": "AlignLeft"}
