"""French spacing and typographic apostrophes, added by the build to plain Markdown."""

from __future__ import annotations

import pytest

from wcodoc.parse.pandoc import markdown_to_ast
from wcodoc.transform import pandocast
from wcodoc.transform.covertext import month_names
from wcodoc.transform.typography import NBSP, NNBSP, FirstDay, first_days, french_word, typeset


def typeset_md(markdown: str, *, french: bool = True) -> str:
    """The text of ``markdown`` after typesetting; ``~`` for U+00A0, ``^`` for U+202F."""
    blocks = typeset(markdown_to_ast(markdown)["blocks"], french=french)
    return pandocast.stringify(blocks).replace(NBSP, "~").replace(NNBSP, "^")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Mot ; mot : mot ! mot ?", "Mot^; mot~: mot^! mot^?"),
        ("Mot; mot: mot! mot?", "Mot^; mot~: mot^! mot^?"),
        ("Quoi ?! (?) Non…", "Quoi^?! (?) Non…"),
        ("« texte » et «texte»", "«~texte~» et «~texte~»"),
        ('Il dit "bonjour" ; fin', "Il dit «~bonjour~»^; fin"),
        ("« *emphase* »", "«~emphase~»"),
        ("25 % et 25%, 20 kg ; 3 km.", "25~% et 25~%, 20~kg^; 3~km."),
        ("le n° 5 et le n°6", "le n°~5 et le n°~6"),
        ("*mot*; [lien](https://x.org):", "mot^; lien~:"),
    ],
)
def test_french_spacing(source, expected):
    assert typeset_md(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "à 10:30 et 1:2",
        "voir https://www.wcoomd.org/fr?x=1;y=2 ou www.x.org:80",
        "écrire à copyright@wcoomd.org:",
    ],
)
def test_times_addresses_and_mail_are_left_alone(source):
    assert typeset_md(source) == source


def test_code_and_raw_are_never_touched():
    blocks = typeset(markdown_to_ast("`a ; b` et\n\n```\nx : y\n```\n")["blocks"], french=True)
    code, block = blocks[0]["c"][0], blocks[1]
    assert code["c"][1] == "a ; b"
    assert block["c"][1] == "x : y"


def test_english_keeps_its_spacing_and_gets_apostrophes():
    assert typeset_md("Côte d'Ivoire ; Members' view: \"quoted\"", french=False) == (
        "Côte d’Ivoire ; Members’ view: “quoted”"
    )


def test_apostrophes_in_generated_text_french_too():
    blocks = [pandocast.para(pandocast.text("Cas d'utilisation : Côte d'Ivoire"))]
    text = pandocast.stringify(typeset(blocks, french=True))
    assert text == f"Cas d’utilisation{NBSP}: Côte d’Ivoire"


def test_typesetting_twice_changes_nothing():
    once = typeset_md("« a » ; b : 50 % n° 5")
    blocks = [pandocast.para(pandocast.text(once.replace("~", NBSP).replace("^", NNBSP)))]
    assert pandocast.stringify(typeset(blocks, french=True)) == once.replace("~", NBSP).replace("^", NNBSP)


def test_a_line_break_keeps_the_mark_where_the_author_put_it():
    blocks = [pandocast.para([{"t": "Str", "c": "a"}, {"t": "LineBreak"}, {"t": "Str", "c": ";"}])]
    assert pandocast.stringify(typeset(blocks, french=True)) == "a\n;"


def test_french_word():
    assert french_word("mot;") == f"mot{NNBSP};"
    assert french_word("«mot»") == f"«{NBSP}mot{NBSP}»"
    assert french_word("10:30;") == f"10:30{NNBSP};"


FRENCH_FIRST = FirstDay("1er", raised=True, months=month_names("fr"))


def first_days_md(markdown: str, first: FirstDay = FRENCH_FIRST) -> list:
    blocks = typeset(markdown_to_ast(markdown)["blocks"], french=True)
    return first_days(blocks, first)[0]["c"]


@pytest.mark.parametrize("typed", ["1 mars 2023", "1er mars 2023", "1 Mars 2023."])
def test_the_first_of_a_month_is_1er_with_er_raised(typed):
    inlines = first_days_md(f"La réunion du {typed} a eu lieu.")
    assert {"t": "Superscript", "c": [{"t": "Str", "c": "er"}]} in inlines
    assert pandocast.stringify(inlines).startswith("La réunion du 1er ")


def test_unraised_first_day_is_one_word():
    first = FirstDay("1er", raised=False, months=month_names("fr"))
    assert pandocast.stringify(first_days_md("Le 1 juin.", first)) == "Le 1er juin."
    assert not any(node["t"] == "Superscript" for node in first_days_md("Le 1 juin.", first))


@pytest.mark.parametrize(
    "text", ["Le 11 mars 2023.", "Le 1 kg de sucre.", "Point 1 : mars.", "Les 1 000 mai"]
)
def test_other_numbers_stay_as_typed(text):
    inlines = first_days_md(text)
    assert not any(node["t"] == "Superscript" for node in inlines)
    assert "1er" not in pandocast.stringify(inlines)
