"""Finding a base paragraph in the Markdown: each paragraph's plain text as the DOCX shows it,
and where each of its characters is in the file."""

from __future__ import annotations

from pathlib import Path

from wcodoc.review.apply.locate import PLACEHOLDER, find, paragraphs, positions

SOURCE = """\
---
id: kr-export
---
# Results {#sec:results}

[]{#par:aim} The *aim*, see @par:aim and
[the site](https://example.org).^[A note.]

a. first item;
b. second item.

| a | b |
|---|---|

```
code, never a paragraph
```
"""
PATH = Path("chapters/01.md")


def test_paragraphs_read_as_the_docx_shows_them_markup_left_out():
    found = paragraphs(PATH, SOURCE)
    assert [(p.line, p.plain) for p in found] == [
        (4, "Results"),
        (6, f"The aim, see {PLACEHOLDER} and the site."),
        (9, "first item;"),
        (10, "second item."),
    ]
    aim = found[1]
    assert SOURCE[aim.start : aim.end].startswith("[]{#par:aim}") and SOURCE[aim.end - 1] == "]"


def test_a_paragraph_is_found_by_its_printed_text_whatever_a_reference_printed():
    (found,) = find([(PATH, SOURCE)], "The aim, see 12 and the site.")
    assert found.line == 6
    assert find([(PATH, SOURCE)], "The aim, see 12 and a site.") == []
    assert find([(PATH, SOURCE), (Path("other.md"), SOURCE)], "first item;")[1].path == Path("other.md")


def test_each_character_of_the_text_points_into_the_file_a_reference_nowhere():
    (paragraph,) = find([(PATH, SOURCE)], "The aim, see 12 and the site.")
    where = positions(paragraph, "The aim, see 12 and the site.")
    assert where is not None
    shown = "".join("#" if k is None else SOURCE[k] for k in where)
    assert shown == "The aim, see ## and\nthe site."  # the space is the line break of the source
    assert positions(paragraph, "Another text.") is None
