"""The one shape checker: every problem of a file in one pass, each with its key path and line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wcodoc.errors import Problems
from wcodoc.load.schema import (
    Choice,
    Date,
    Fields,
    Parsed,
    Spot,
    Text,
    Texts,
    check_shape,
    from_yaml,
    one_line,
    yaml_fields,
    yaml_mapping,
)
from wcodoc.load.yamlio import parse_yaml

PATH = Path("file.yaml")


def check(text: str, shape, **spot) -> tuple[object, list[str]]:
    problems = Problems()
    at = Spot(PATH, (), 1, problems, "test", **spot)
    value = shape.check(parse_yaml(text, PATH), None, at)
    return value, [f"{p.line}: {p.message}" for p in problems]


KEYS = Texts(
    "expected a list of keys, got {got}", single=True, empty=False, item=Choice(("a", "b"), noun="key")
)


def test_every_problem_of_a_mapping_in_one_pass_with_its_line():
    shape = Fields(
        {"name": Text(), "keys": KEYS}, required=("name", "day"), missing="missing required key {key}"
    )
    _, problems = check("keys:\n  - a\n  - c\n  - b\nnmae: x\n", shape)
    assert problems == [
        "3: keys: unknown key 'c'; expected one of a, b",
        "5: unknown key 'nmae' (did you mean 'name'?); expected one of name, keys",
        "1: missing required key 'name'",
        "1: missing required key 'day'",
    ]


def test_document_yaml_names_nested_keys_after_a_colon():
    shape = Fields({"annex": Fields({"include": Fields({"regions": KEYS})})})
    _, problems = check("annex:\n  include:\n    regions: [x]\n", shape, colon=True)
    assert problems == ["3: annex: include.regions: unknown key 'x'; expected one of a, b"]


def test_a_list_of_texts():
    paths = Texts("expected a list of file paths, got {got}", blank=False, into=Path)
    assert check("[ a.md , b.md]", paths) == ((Path("a.md"), Path("b.md")), [])
    assert check("[a.md, '  ']", paths) == (None, ["1: expected a list of file paths, got ['a.md', '  ']"])
    assert check("a.md", paths)[1] == ["1: expected a list of file paths, got 'a.md'"]
    assert check("b", KEYS) == (("b",), [])
    assert check("[]", KEYS) == (None, ["1: expected a list of keys, got []"])
    assert check("[a, b, a]", Texts("", item=Choice(("a", "b")), unique=True)) == (("a", "b"), [])


def test_dates_say_what_is_wrong():
    day = Date(range(1952, 2108))
    assert check("2022-03-07", day) == (dt.date(2022, 3, 7), [])
    assert check("2022-02-30", day)[1] == ["1: '2022-02-30' is not a real date"]
    assert check("{a: 1}", day)[1] == ["1: expected a date as YYYY-MM-DD, got a mapping"]
    assert check("2108-01-01", day)[1] == ["1: 2108-01-01: expected a year from 1952 to 2107"]


def test_a_parser_says_what_is_wrong():
    def even(value):
        if value % 2:
            raise ValueError(f"{value} is odd")
        return value

    assert check("n: 3", Fields({"n": Parsed(even)})) == ({"n": None}, ["1: n: 3 is odd"])


def test_lines_are_recorded_and_front_matter_is_offset():
    lines: dict = {}
    shape = Fields({"title": Text(clean=one_line), "text": Text()})
    value, _ = check("title: A\n  long title\ntext: |\n\n  Markdown\n", shape, lines=lines, offset=1)
    assert value == {"title": "A long title", "text": "\nMarkdown\n"}
    assert lines == {"title": (PATH, 2), "text": (PATH, 4), "text.text": (PATH, 6)}


def test_an_override_need_not_repeat_the_keys_it_overrides():
    problems = Problems()
    shape = Fields({"a": Text(), "b": Text()}, required=("a", "b"))
    assert check_shape(parse_yaml("b: x", PATH), shape, PATH, problems, base={"a": "y"}) == {"b": "x"}
    assert not problems


@dataclass(frozen=True, kw_only=True)
class _Case:
    name: str = from_yaml(Text(), name="title")
    note: str = from_yaml(Text(), default="")
    path: Path = PATH


def test_a_dataclass_declares_its_keys_and_which_are_required():
    assert list(yaml_fields(_Case)) == ["title", "note"]
    assert yaml_mapping(_Case).required == ("title",)
