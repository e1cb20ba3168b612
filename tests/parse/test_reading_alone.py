"""Chapters read by one pandoc call give what each gives read alone (``parse/reader.py``), so
``-j`` changes no byte: what pandoc reads across its whole input is never shared between files."""

from __future__ import annotations

from pathlib import Path

import pytest

from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.parse.reader import AstCache, parse_texts
from wcodoc.transform import pandocast

FOREIGN = Path(__file__).resolve().parents[1] / "foreign"
CHAPTERS = sorted((FOREIGN / "chapters").glob("*.md"))


def read(texts: list[str], jobs: int) -> list[dict]:
    """The ASTs of ``texts`` read together, ``jobs`` pandoc calls at most."""
    items = [(Path(f"{i:02d}.md"), text) for i, text in enumerate(texts)]
    return [source.ast for source in parse_texts(items, AstCache(None), jobs)]


def alone(text: str) -> dict:
    return read([text], 1)[0]


@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_the_foreign_chapters_read_together_give_what_they_give_alone(jobs):
    texts = [path.read_text(encoding="utf-8") for path in CHAPTERS]
    assert read(texts, jobs) == [alone(text) for text in texts]


# Each: a chapter that once gave another AST when read after another one, and that other one.
PAIRS = {
    "title block": ("% A title\n% An author\n\nText.\n", "Before.\n"),
    "link definition in a list item": (
        "- outer\n    - inner\n\n      [WCO]: https://www.wcoomd.org\n",
        "See [WCO].\n",
    ),
    "link definition in a quote": ("> [WCO]: https://www.wcoomd.org\n", "See [WCO].\n"),
    "heading text in brackets": ("# Scope\n\nText.\n", "See [Scope].\n"),
    "example list": ("(@) One.\n(@) Two.\n", "(@) Three, referring to (@good).\n\n(@good) Four.\n"),
    "LaTeX macro": ("\\newcommand{\\wco}{WCO}\n\nText.\n", "The $\\wco$ here.\n"),
    "YAML metadata": ("Text.\n\n---\ntitle: Other\n---\n\nMore.\n", "Before.\n"),
    "citations": ("See @par:a and [@par:b].\n", "Then @par:c.\n"),
}


@pytest.mark.parametrize("name", PAIRS)
def test_what_pandoc_reads_across_its_input_stays_in_its_file(name):
    first, second = PAIRS[name]
    for texts in ([first, second], [second, first], [second, first, second]):
        assert read(texts, 1) == [alone(text) for text in texts], texts


def test_a_chapter_keeps_its_metadata_for_the_warning_and_its_text():
    title, _ = PAIRS["title block"]
    ast = read(["Before.\n", title], 1)[1]
    assert pandocast.stringify(ast["meta"]["title"]["c"]) == "A title"
    assert [pandocast.stringify(b) for b in ast["blocks"]] == ["Text."]


def test_a_link_defined_in_one_chapter_is_no_link_in_another():
    definition, use = PAIRS["link definition in a list item"]
    uses = read([definition, use], 1)[1]
    assert uses["blocks"] == [
        pandocast.para([*pandocast.text("See"), {"t": "Space"}, *pandocast.text("[WCO].")])
    ]


def test_an_html_span_is_raw_html_not_a_span():
    (para,) = markdown_to_ast('A <span id="x"></span> anchor.\n')["blocks"]
    assert [n["t"] for n in para["c"] if n["t"] not in ("Str", "Space")] == ["RawInline", "RawInline"]
