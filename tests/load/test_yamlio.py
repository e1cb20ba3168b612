"""The YAML readers and writers of :mod:`wcodoc.load.yamlio` and the edits of :mod:`wcodoc.load.yamledit`."""

from __future__ import annotations

import datetime as dt

import pytest
from ruamel.yaml.comments import CommentedMap

from wcodoc.errors import WcodocError
from wcodoc.load.yamledit import edit_yaml_file, edit_yaml_text, scalar_line, set_nested_text
from wcodoc.load.yamlio import (
    MAX_ALIASES,
    MAX_YAML_BYTES,
    InvalidDate,
    line_of,
    load_yaml,
    parse_yaml,
    scalar_text,
    value_line,
)

DOC = """\
# Metadata of the draft.
reference: PC0685Ea   # the symbol
title: Future of Customs
sessions:
  - 235
  - 236
summary:
  purpose: |
    Why.
issued: 2022-03-07
"""


def error(text: str, **kwargs) -> WcodocError:
    with pytest.raises(WcodocError) as info:
        parse_yaml(text, "x.yaml", **kwargs)
    return info.value


# --- reading ----------------------------------------------------------------------------------


def test_parse_keeps_order_values_and_lines():
    data = parse_yaml(DOC, "document.yaml")
    assert isinstance(data, CommentedMap)
    assert list(data) == ["reference", "title", "sessions", "summary", "issued"]
    assert data["issued"] == dt.date(2022, 3, 7)
    assert (line_of(data, "reference"), line_of(data, "sessions"), line_of(data, "issued")) == (2, 4, 10)


def test_line_of_items_and_nodes():
    data = parse_yaml(DOC, "document.yaml")
    assert line_of(data["sessions"], 1) == 6
    assert line_of(data["summary"]) == 8  # a node: the line it starts on
    assert line_of(data, "missing") is None
    assert line_of({"plain": 1}, "plain") is None  # no line information to give


def test_value_line_is_where_the_value_starts():
    data = parse_yaml(DOC, "document.yaml")
    assert value_line(data, "title") == 3
    assert value_line(data, "sessions") == 5  # a block list starts below its key
    assert value_line({"plain": 1}, "plain") is None


def test_offsets_give_the_lines_of_the_enclosing_file():
    # Front matter: the YAML starts on line 2 of the file, after the opening ---.
    assert error("id: a\nid: b\n", line_offset=1).line == 3
    assert error("id: a\nx: !!python/name:os.system\n", line_offset=1).line == 3
    data = parse_yaml("id: a\ntitle: b\n", "case.md", line_offset=1)
    assert (line_of(data, "id", 1), value_line(data, "title", 1)) == (2, 3)


def test_impossible_date_is_kept_for_the_validator():
    data = parse_yaml("issued: 2022-02-30\n", "document.yaml")
    assert isinstance(data["issued"], InvalidDate)
    assert data["issued"] == "2022-02-30"


def test_a_file_need_not_hold_a_mapping():
    # parse_yaml reads any YAML; each reader says which shape it wants (see the edits below).
    assert parse_yaml("- a\n- b\n", "x.yaml") == ["a", "b"]
    assert parse_yaml("just text\n", "x.yaml") == "just text"
    assert parse_yaml("# only a comment\n", "x.yaml") is None


@pytest.mark.parametrize(
    "text, line, detail",
    [
        ("title: A\nissued: 2022-03-07\ntitle: B\n", 3, 'found duplicate key "title"'),
        ("summary:\n\tpurpose: x\n", 2, "found character '\\t' that cannot start any token"),
        ("title: A\nsessions: [235,\nissued: 2022-03-07\n", 4, "flow sequence that starts on line 2"),
    ],
)
def test_syntax_errors_name_file_and_line(text, line, detail):
    exc = error(text)
    assert (str(exc.path), exc.line) == ("x.yaml", line)
    assert exc.message.startswith("YAML syntax error: ")
    assert detail in exc.message


def test_object_tags_are_refused_before_anything_is_built():
    exc = error("title: A\nx: !!python/object/apply:os.system ['true']\n")
    assert exc.line == 2
    assert exc.message.startswith("YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed")
    assert error("x: !custom 1\n").message.startswith("YAML tag !custom is not allowed")


def test_a_few_aliases_are_fine_and_a_bomb_is_refused():
    assert parse_yaml("a: &x [1, 2]\nb: *x\n", "x.yaml")["b"] == [1, 2]
    lines = ["a: &a [x, x]"] + [f"k{i}: *a" for i in range(MAX_ALIASES + 1)]
    exc = error("\n".join(lines) + "\n")
    assert exc.line == MAX_ALIASES + 2  # the alias one past the limit
    assert f"more than {MAX_ALIASES} YAML aliases" in exc.message


def test_oversized_text_is_refused():
    exc = error("k: " + "x" * MAX_YAML_BYTES + "\n")
    assert exc.message == f"file is larger than {MAX_YAML_BYTES // 1000} kB; refusing it"


def test_load_yaml_reads_the_file(tmp_path):
    path = tmp_path / "document.yaml"
    path.write_text(DOC, encoding="utf-8")
    assert load_yaml(path)["title"] == "Future of Customs"
    path.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(WcodocError) as info:
        load_yaml(path)
    assert info.value.path == path


# --- writing one value ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Future of Customs",
        "Côte d'Ivoire",
        "A: b",
        "#1 thing",
        "- x",
        "2021",
        "null",
        "yes",
        'a "q" b',
        "x" * 300,
    ],
)
def test_scalar_text_reads_back_as_the_same_text(value):
    written = scalar_text(value)
    assert "\n" not in written
    assert parse_yaml(f"k: {written}\n", "x.yaml")["k"] == value


def test_scalar_text_plain_when_it_can_be_and_in_the_quotes_asked_for():
    assert scalar_text("Future of Customs") == "Future of Customs"
    assert scalar_text("2021") == "'2021'"  # plain, it would read as a number
    assert scalar_text(dt.date(2022, 3, 7)) == "2022-03-07"
    assert scalar_text('say "hi"', '"') == '"say \\"hi\\""'
    assert scalar_text("it's", "'") == "'it''s'"


# --- edits that keep the rest of the file -----------------------------------------------------


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b]


def test_set_changes_only_the_value_and_keeps_comments_and_spacing():
    edited = edit_yaml_text(DOC, "document.yaml", {"reference": "PC0685Eb", "issued": dt.date(2022, 5, 1)})
    assert changed_lines(DOC, edited) == [
        ("reference: PC0685Ea   # the symbol", "reference: PC0685Eb   # the symbol"),
        ("issued: 2022-03-07", "issued: 2022-05-01"),
    ]
    assert len(edited.splitlines()) == len(DOC.splitlines())


def test_quoted_values_stay_quoted_the_same_way():
    text = "title: 'Old title'\nsubtitle: \"Old\"\n"
    edited = edit_yaml_text(text, "document.yaml", {"title": "New: title", "subtitle": "New"})
    assert edited == "title: 'New: title'\nsubtitle: \"New\"\n"


def test_a_missing_key_is_added_at_the_end():
    edited = edit_yaml_text("title: A  # keep\n", "document.yaml", {"agenda_item": "V"})
    assert edited == "title: A  # keep\nagenda_item: V\n"
    assert edit_yaml_text("title: A", "document.yaml", {"place": "Brussels"}) == "title: A\nplace: Brussels\n"


def test_append_to_flow_block_and_missing_lists():
    flow = "history: [PC0685Ea]  # drafts\n"
    assert (
        edit_yaml_text(flow, "d.yaml", append={"history": "PC0685Eb"})
        == "history: [PC0685Ea, PC0685Eb]  # drafts\n"
    )
    block = "history:\n  - PC0685Ea  # first\n# end\n"
    assert edit_yaml_text(block, "d.yaml", append={"history": "PC0685Eb"}) == (
        "history:\n  - PC0685Ea  # first\n  - PC0685Eb\n# end\n"
    )
    assert edit_yaml_text("title: A\n", "d.yaml", append={"history": "X"}) == "title: A\nhistory: [X]\n"


def test_append_a_mapping_to_a_register():
    text = "committee: PC\nregister:\n  - symbol: PC0685E\n    folder: a\n"
    entry = {"symbol": "PC0686E", "folder": "b", "allocated": dt.date(2022, 3, 7)}
    assert edit_yaml_text(text, "session.yaml", append={"register": entry}) == (
        text + "  - symbol: PC0686E\n    folder: b\n    allocated: 2022-03-07\n"
    )


def test_editing_a_file_that_is_not_a_mapping_is_an_error():
    with pytest.raises(WcodocError) as info:
        edit_yaml_text("- a\n- b\n", "document.yaml", {"title": "x"})
    assert (str(info.value.path), info.value.line, info.value.message) == (
        "document.yaml",
        1,
        "expected a mapping of keys",
    )


def test_edit_file_keeps_crlf_and_byte_order_mark(tmp_path):
    path = tmp_path / "document.yaml"
    original = b"\xef\xbb\xbf# comment\r\ntitle: A\r\nissued: 2022-03-07\r\n"
    path.write_bytes(original)
    edit_yaml_file(path, {"issued": dt.date(2022, 5, 1)})
    assert path.read_bytes() == original.replace(b"2022-03-07", b"2022-05-01")
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


NESTED = """\
# The title is printed in capitals.
title: 'Future of Customs'   # quoted
summary:
  # Markdown, both parts.
  purpose: |
    First *paragraph*
    on two lines.

    Second paragraph.

  action: |-
    Take note.
after: 1
"""


def test_set_nested_text_rewrites_a_block_scalar_and_keeps_every_other_byte():
    value = "First *paragraph*\non three\nlines.\n\nSecond paragraph.\n"
    edited = set_nested_text(NESTED, "d.yaml", ("summary", "purpose"), value)
    assert edited == NESTED.replace("    on two lines.\n", "    on three\n    lines.\n")
    assert scalar_line(NESTED, ("summary", "purpose")) == 6
    assert scalar_line(NESTED, ("title",)) == 2


def test_set_nested_text_keeps_a_one_line_value_s_quotes():
    edited = set_nested_text(NESTED, "d.yaml", ("title",), "Present of Customs")
    assert edited == NESTED.replace("'Future of Customs'", "'Present of Customs'")


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (NESTED, ("summary", "missing")),
        (NESTED, ("after",)),  # not text
        (NESTED, ("summary", "action")),  # |-: its text has no final line break to keep
        ("summary:\n  purpose: >\n    Folded\n    text.\n", ("summary", "purpose")),
        ("title: a long\n  folded title\n", ("title",)),
    ],
)
def test_set_nested_text_declines_what_it_cannot_edit_in_place(text, keys):
    assert set_nested_text(text, "d.yaml", keys, "New text.\n") is None
