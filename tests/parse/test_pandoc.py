"""pandoc's JSON is bounded in depth before anything walks it."""

import json

import pytest

from wcodoc.errors import WcodocError
from wcodoc.parse.pandoc import MAX_DEPTH, json_depth, markdown_to_ast, share_out


def _tree_depth(node) -> int:
    if isinstance(node, dict):
        return 1 + max((_tree_depth(v) for v in node.values()), default=0)
    if isinstance(node, list):
        return 1 + max((_tree_depth(v) for v in node), default=0)
    return 0


@pytest.mark.parametrize(
    "value",
    [
        [],
        {"a": [1, {"b": []}]},
        ["brackets [in] {strings}", {"k[": "]]]]"}],
        ['escaped \\" quote [', "backslash at the end \\", ['"[', ['\\\\"]']]],
        [[[[["deep"]]]], "]", "[[[["],
    ],
)
def test_json_depth_counts_containers_not_brackets_in_strings(value):
    assert json_depth(json.dumps(value).encode(), MAX_DEPTH) == _tree_depth(value)


def test_json_depth_stops_past_the_limit():
    deep = b"[" * 5000 + b"]" * 5000
    assert json_depth(deep, 10) == 11


def test_real_markdown_measures_as_its_tree():
    text = '> > quoted *with [brackets]* and "quotes"\\\n\n1. a\n    - b\n        > c `[`\n'
    ast = markdown_to_ast(text)
    assert json_depth(json.dumps(ast).encode(), MAX_DEPTH) == _tree_depth(ast)


def test_markdown_nested_beyond_the_limit_is_refused():
    with pytest.raises(WcodocError, match="nested too deeply"):
        markdown_to_ast("> " * 120 + "too deep\n")


def testshare_out_keep_order_and_balance():
    assert share_out([], [], 2) == []
    assert share_out([0, 1, 2, 3], [10, 10, 10, 10], 2) == [[0, 1], [2, 3]]
    assert share_out([3, 5], [1, 100], 4) == [[3], [5]]
    assert [i for batch in share_out(list(range(9)), [5] * 9, 2) for i in batch] == list(range(9))


def test_sources_read_in_parallel_groups_equal_sources_read_alone(tmp_path):
    from wcodoc.parse.reader import AstCache, parse_texts

    texts = [
        (tmp_path / f"{n:02d}.md", f"# Chapter {n}\n\nText of *chapter* {n} with 'quotes'.\n\n- item {n}\n")
        for n in range(7)
    ]
    texts.append((tmp_path / "notes.md", "A note[^1] read on its own.\n\n[^1]: The note.\n"))
    grouped = parse_texts(texts, AstCache(None), jobs=3)
    alone = [markdown_to_ast(text) for _, text in texts]
    assert [source.ast["blocks"] for source in grouped] == [ast["blocks"] for ast in alone]
    assert [source.path for source in grouped] == [path for path, _ in texts]


def test_bundled_pandoc_is_found_where_pypandoc_finds_it(monkeypatch):
    import pypandoc

    from wcodoc.parse.pandoc import pandoc_path

    monkeypatch.delenv("WCODOC_PANDOC", raising=False)
    pandoc_path.cache_clear()
    try:
        assert pandoc_path() == str(pypandoc.get_pandoc_path())
    finally:
        pandoc_path.cache_clear()
