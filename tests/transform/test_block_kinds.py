"""Every block kind pandoc has, in every place a block can stand, through every walk of the
build: numbering, floats, columns, typography (French, the one with most to do), lint, the
annexes, the cover's summary, the lowering and pandoc's DOCX writer (issue 25: a horizontal
rule crashed ``check`` and ``build``).

One project per kind holds the kind in each place; ``wcodoc build`` must write its DOCX, print
the kind's marker word once a place (or warn, once a place, about what it leaves out), and
``wcodoc check`` must report the same warnings.
"""

from __future__ import annotations

import re
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_YAML
from tests.test_check import run
from tests.workflow.test_usecasefiles import png
from wcodoc.parse.pandoc import markdown_to_ast

MARK = "kiwi"
"""The word each block holds, counted in the DOCX."""

KINDS = {
    "Para": "Kiwi paragraph.",
    "Plain": "- kiwi tight item\n- another",
    "LineBlock": "| kiwi line\n|    indented line",
    "CodeBlock": "```python\nkiwi = 'code'\n```",
    "RawBlock": "```{=html}\n<p>kiwi</p>\n```",
    "BlockQuote": "> kiwi quoted\n>\n> > nested quote",
    "OrderedList": "1. kiwi decimal\n2. another",
    "OrderedList/letters": "a. kiwi lettered\nb. another",
    "BulletList": "- kiwi bullet\n\n- loose item",
    "DefinitionList": "Term\n:   kiwi definition",
    "Header": "### Kiwi heading",
    "HorizontalRule": "* * *",
    "Table/simple": "  Code   Name\n  ------ ------\n  AE     kiwi",
    "Table/headerless": "-------  ------\n  one    kiwi\n-------  ------",
    "Table/multiline": (
        "----------- -------\n Left       Right\n----------- -------\n kiwi and   more\n"
        " two lines  cells\n----------- -------\n\n: Caption of a multiline table"
    ),
    "Table/grid": (
        "+------+------+\n| A    | B    |\n+======+======+\n| kiwi | - x  |\n|      | - y  |\n+------+------+"
    ),
    "Table/pipe": "| a | b |\n|--:|:--|\n| kiwi | 2 |",
    "Figure": "![Kiwi figure](images/chart.png)",
    "Div": "::: {.box}\n::: {.inner}\nKiwi nested.\n:::\n:::",
}
LEFT_OUT = {"HorizontalRule": "rule", "RawBlock": "raw"}
"""Kinds left out of the Word output, with the code of the warning each place gets."""


def indent(snippet: str, spaces: int) -> str:
    return textwrap.indent(snippet, " " * spaces, lambda line: True)


def grid_cell(snippet: str) -> str:
    """A one-cell grid table holding ``snippet``."""
    lines = snippet.splitlines()
    width = max(len(line) for line in lines) + 2
    rule = "+" + "-" * width + "+"
    return "\n".join([rule, *(f"| {line.ljust(width - 2)} |" for line in lines), rule])


PLACES = {
    "top level": lambda s: s,
    "bullet item": lambda s: "- Lead.\n\n" + indent(s, 2),
    "sub-item": lambda s: "A paragraph.\n\na. Lead.\n\n" + indent(s, 3),
    "unnumbered div": lambda s: f"::: unnumbered\n{s}\n:::",
    "nested divs": lambda s: f"::: {{.a}}\n::: {{.b}}\n{s}\n:::\n:::",
    "quote": lambda s: "> " + s.replace("\n", "\n> "),
    "footnote": lambda s: "Called.[^n]\n\n[^n]: Lead.\n\n" + indent(s, 4),
    "definition": lambda s: "Term\n:   Lead.\n\n" + indent(s, 4),
    "grid table cell": grid_cell,
}
"""Where a block stands in a chapter: each place made from the block's Markdown."""
ELSEWHERE = ("markdown annex", "use case", "summary")
"""The places outside the chapters."""
NOT_THERE = {
    ("Table/grid", "grid table cell"): "a grid table cannot be nested in another one's cell",
    ("Table/multiline", "grid table cell"): "its caption line ends the cell",
}
"""Places where pandoc does not read the kind at all, with the reason."""


def places_of(kind: str) -> list[str]:
    return [place for place in PLACES if (kind, place) not in NOT_THERE]


def project(root: Path, kind: str) -> Path:
    snippet = KINDS[kind]
    chapter = "\n\n".join(
        f"# {place.capitalize()}\n\nText.\n\n{PLACES[place](snippet)}" for place in places_of(kind)
    )
    case = textwrap.dedent(
        """\
        ---
        id: kind-case
        title: A case
        member: Somewhere
        region: europe
        technologies: [other]
        status: pilot
        year: 2023
        ---
        ## Background

        {}

        ## Solution

        Text.

        ## Benefits

        Text.

        ## Challenges and lessons learnt

        Text.
        """
    ).format(snippet)
    # A French document: its typography (no-break spaces, 1er) walks every block too.
    summary = MINIMAL_YAML.replace("PC0685Ea", "PC0685Fa").replace(
        "    A purpose paragraph.\n", indent("A purpose paragraph.\n\n" + snippet, 4) + "\n"
    )
    files = {
        "document.yaml": summary,
        "chapters/01.md": chapter + "\n",
        "annexes/01-annex.md": f"# An annex\n\nText.\n\n{snippet}\n",
        "annexes/use-cases/01-case.md": case,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "images").mkdir()
    (root / "images" / "chart.png").write_bytes(png(40, 20))
    return root


def kinds_in(text: str) -> set[str]:
    found: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if "t" in node:
                found.add(node["t"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(markdown_to_ast(text)["blocks"])
    return found


def printed(docx: Path) -> str:
    """The text of the document and its footnotes, as Word shows it."""
    with zipfile.ZipFile(docx) as package:
        parts = [package.read(name).decode() for name in ("word/document.xml", "word/footnotes.xml")]
    return " ".join(
        re.sub(r"<[^>]+>", "", m) for part in parts for m in re.findall(r"<w:t[ >].*?</w:t>", part)
    )


@pytest.mark.parametrize("kind", KINDS)
def test_every_block_kind_in_every_place_builds(kind, tmp_path, capsys, monkeypatch):
    root = project(tmp_path / "project", kind)
    monkeypatch.chdir(root)
    wanted = {kind.split("/")[0], *(["Plain"] if kind == "Para" else [])}  # a tight paragraph
    for place in places_of(kind):
        assert wanted & kinds_in(PLACES[place](KINDS[kind])), f"pandoc reads no {kind} in the {place}"
    status, _, err = run(["build", "--format", "docx", "--no-cache"], capsys)
    assert status == 0, err
    places = len(places_of(kind)) + len(ELSEWHERE)
    words = printed(root / "build" / "PC0685Fa.docx").lower().count(MARK)
    warned = [line for line in err.splitlines() if line.endswith(f"[{LEFT_OUT.get(kind)}]")]
    if kind in LEFT_OUT:
        assert (words, len(warned)) == (0, places), err
    else:
        assert words == places * KINDS[kind].lower().count(MARK), err
    status, checked, _ = run(["check"], capsys)
    assert status == 0
    assert sorted(line for line in checked.splitlines() if line.startswith("warning:")) == sorted(
        line for line in err.splitlines() if line.startswith("warning:")
    )
