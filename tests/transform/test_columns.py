"""Column widths from content: a narrow number column, no word broken, the author's widths kept."""

from __future__ import annotations

import pytest

from tests.conftest import NS, W, docx_xml
from wcodoc.build import build_project
from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.transform.columns import LINE, measured, size_columns, widened
from wcodoc.transform.floats import find_floats

OVERVIEW = """\
| N° | Title | Region |
|----|-------|--------|
| 1 | Ledger for export clearance | East Asia, Australasia |
| 2 | Electronic seals for transit cargo | East and Southern Africa |
"""

SHORT = """\
| No. | Title |
|---|---|
| 1 | Blockchain platform |
"""

LONG = "a line longer than pandoc's 72 columns, so that the dashes give the widths"
AUTHOR = f"""\
| A | B |
|------|------------------------------|
| x | {LONG} |
"""

HEADER_WORD = f"""\
| Technologies | B |
|-|----------------------------------------|
| x | {LONG} |
"""


def widths(markdown: str) -> list[float]:
    floats = find_floats(markdown_to_ast(markdown)["blocks"])
    size_columns(floats)
    return [spec[1]["c"] for spec in floats[0]["c"][2]]


def test_a_number_column_is_narrow_and_the_widths_fill_the_line():
    number, title, region = widths(OVERVIEW)
    assert number < 0.1 < title
    assert sum((number, title, region)) == pytest.approx(1, abs=0.001)


def test_no_column_is_narrower_than_its_longest_word():
    number, title, region = widths(OVERVIEW)
    # "Australasia", "clearance" and "N°" fit whole: about 4.5, 4.1 and 1.1 ems.
    assert region * LINE > 4.5 and title * LINE > 4.1 and number * LINE > 1.1


def test_a_short_table_is_shared_by_what_each_column_holds():
    number, title = widths(SHORT)
    assert number < title / 2


def test_the_author_widths_are_kept():
    a, b = widths(AUTHOR)
    assert (a, b) == (pytest.approx(1 / 6, abs=0.001), pytest.approx(5 / 6, abs=0.001))


def test_a_header_word_wider_than_its_column_widens_it():
    first, _second = widths(HEADER_WORD)
    assert first * LINE > 5.5  # "Technologies": about 5.2 ems and the cell's padding


def test_measured_gives_floors_when_even_they_overflow():
    assert measured([30, 30], [40, 50]) == [0.5, 0.5]


def test_widened_keeps_the_total():
    shares = widened([0.05, 0.95], [5.0, 2.0])
    assert sum(shares) == pytest.approx(1) and shares[0] == pytest.approx(5 / LINE)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import MINIMAL_YAML, write_project

    root = write_project(
        tmp_path_factory.mktemp("columns"),
        {"document.yaml": MINIMAL_YAML, "chapters/01.md": "# Tables\n\nText.\n\n" + SHORT},
    )
    return build_project(root, root / "build", ("docx",), use_cache=False)


def test_a_body_table_without_widths_gets_a_narrow_number_column_in_word(built):
    doc = docx_xml(built.outputs["docx"])
    body_tables = doc.findall(".//w:body/w:tbl", NS)[1:]  # the first is the cover's grid
    grid = [int(col.get(f"{{{W}}}w")) for col in body_tables[0].findall("w:tblGrid/w:gridCol", NS)]
    assert grid[0] < grid[1] / 2
