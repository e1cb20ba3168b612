"""Language pairs: structural differences between an English project and its translation."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL_YAML
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.workflow.pairs import compare_pair, document_structure

ENGLISH = {
    "chapters/01.md": "# Intro\n\nOne.\n\nTwo.\n\na. first\nb. second\n",
    "chapters/02.md": "# Next\n\nThree.\n\n::: unnumbered\nAside.\n:::\n",
}
FRENCH = {
    "chapters/01.md": "# Intro\n\nUn.\n\nDeux.\n\na. premier\nb. second\n",
    "chapters/02.md": "# Suite\n\nTrois.\n\n::: unnumbered\nAparté.\n:::\n",
}
FR_YAML = MINIMAL_YAML.replace("PC0685Ea", "PC0685Fa")

USE_CASE = """\
---
id: {id}
title: T
member: M
region: europe
technologies: [iot]
status: pilot
year: 2021
---
## Background

Text.
"""


def pair(make_project, english=None, french=None):
    en = make_project(english or ENGLISH, name="en")
    fr = make_project(french or FRENCH, yaml=FR_YAML, name="fr")
    return en, fr


def messages(en, fr) -> list[str]:
    return [p.message for p in compare_pair(en, fr)]


def test_structure_counts(make_project):
    en, _ = pair(make_project)
    structure = document_structure(load_project(en))
    assert [(s.numeral, s.sub_items) for s in structure.sections] == [("I", [0, 2]), ("II", [0])]
    assert structure.paragraphs == 3


def test_same_structure_has_no_difference(make_project):
    assert compare_pair(*pair(make_project)) == []


def test_missing_paragraph_named_with_section_and_file(make_project):
    french = {**FRENCH, "chapters/02.md": "# Suite\n\n::: unnumbered\nAparté.\n:::\n"}
    en, fr = pair(make_project, french=french)
    problems = compare_pair(en, fr)
    assert [p.message for p in problems] == [
        "section II: paragraph 3 in PC0685E, no numbered paragraph in PC0685F"
    ]
    assert problems[0].path.name == "02.md" and problems[0].line == 1 and problems[0].code == "pair"


def test_sub_items_differ(make_project):
    french = {**FRENCH, "chapters/01.md": "# Intro\n\nUn.\n\nDeux.\n\na. premier\n"}
    assert messages(*pair(make_project, french=french)) == [
        "paragraph 2: 2 sub-items in PC0685E, 1 in PC0685F"
    ]


def test_extra_section_reported_with_totals(make_project):
    french = {**FRENCH, "chapters/03.md": "# Plus\n\nQuatre.\n"}
    assert messages(*pair(make_project, french=french)) == [
        "2 sections in PC0685E, 3 in PC0685F",
        "3 numbered paragraphs in PC0685E, 4 in PC0685F",
    ]


def test_use_cases_compared_by_count_and_id(make_project):
    english = {
        **ENGLISH,
        "annexes/use-cases/01.md": USE_CASE.format(id="a"),
        "annexes/use-cases/02.md": USE_CASE.format(id="b"),
    }
    french = {**FRENCH, "annexes/use-cases/01.md": USE_CASE.format(id="a")}
    assert messages(*pair(make_project, english, french)) == [
        "2 use cases in PC0685E, 1 in PC0685F",
        "use case 'b' of PC0685E is missing from PC0685F",
    ]


def test_use_case_order(make_project):
    english = {
        **ENGLISH,
        "annexes/use-cases/01.md": USE_CASE.format(id="a"),
        "annexes/use-cases/02.md": USE_CASE.format(id="b"),
    }
    french = {
        **FRENCH,
        "annexes/use-cases/01.md": USE_CASE.format(id="b"),
        "annexes/use-cases/02.md": USE_CASE.format(id="a"),
    }
    assert messages(*pair(make_project, english, french)) == [
        "use cases are in a different order in PC0685E and PC0685F"
    ]


def test_different_serials(make_project):
    en = make_project(ENGLISH, name="en")
    fr = make_project(FRENCH, yaml=MINIMAL_YAML.replace("PC0685Ea", "PC0686Fa"), name="fr")
    assert messages(en, fr)[0].startswith("the symbols PC0685E and PC0686F have different serials")


def test_unloadable_project_raises(make_project, tmp_path):
    en = make_project(ENGLISH, name="en")
    with pytest.raises(WcodocError):
        compare_pair(en, tmp_path / "missing")
