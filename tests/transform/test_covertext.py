"""Cover strings: ordinals, date ranges, issued line and terms, in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from wcodoc.errors import WcodocError
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import DateRange, DocumentMeta
from wcodoc.load.symbol import DocumentSymbol
from wcodoc.transform.covertext import Run, committee_lines, cover_text, format_range, ordinal, session_runs

STYLE = HouseStyle()
EN = STYLE.terms("en")
FR = STYLE.terms("fr")


def make_meta(symbol: str = "PC0685Ea", **changes) -> DocumentMeta:
    values = dict(
        symbol=DocumentSymbol.parse(symbol),
        title="Future of Customs",
        issued=date(2022, 3, 7),
        subtitle="WCO/WTO Study Report on Disruptive Technologies 2022",
        meeting="hybrid",
        sessions=(235, 236),
        dates=DateRange(date(2022, 4, 25), date(2022, 4, 29)),
        agenda_item="V",
    )
    values.update(changes)
    return DocumentMeta(**values)


def plain(runs) -> str:
    return "".join(r.text for r in runs)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (235, "235th"),
    ],
)
def test_english_ordinals(number, expected):
    digits, suffix = ordinal(number, EN)
    assert digits == Run(str(number))
    assert suffix.superscript
    assert digits.text + suffix.text == expected


@pytest.mark.parametrize(("number", "expected"), [(1, "1ère"), (2, "2ème"), (235, "235ème")])
def test_french_ordinals(number, expected):
    assert plain(ordinal(number, FR)) == expected


def test_paired_sessions_raise_only_the_suffixes():
    runs = session_runs((235, 236), EN)
    assert plain(runs) == "235th/236th Sessions"
    assert [r.text for r in runs if r.superscript] == ["th", "th"]


def test_single_session_and_french_sessions():
    assert plain(session_runs((42,), EN)) == "42nd Session"
    assert plain(session_runs((235, 236), FR)) == "235ème/236ème sessions"
    assert session_runs((), EN) == ()


@pytest.mark.parametrize(
    ("start", "end", "locale", "expected"),
    [
        (date(2022, 4, 25), date(2022, 4, 29), "en", "25-29 April 2022"),
        (date(2022, 4, 28), date(2022, 5, 3), "en", "28 April - 3 May 2022"),
        (date(2022, 12, 29), date(2023, 1, 2), "en", "29 December 2022 - 2 January 2023"),
        (date(2022, 4, 25), date(2022, 4, 25), "en", "25 April 2022"),
        (date(2022, 4, 25), date(2022, 4, 29), "fr", "25-29 avril 2022"),
        (date(2022, 4, 28), date(2022, 5, 3), "fr", "28 avril - 3 mai 2022"),
    ],
)
def test_date_ranges(start, end, locale, expected):
    terms = EN if locale == "en" else FR
    assert format_range(DateRange(start, end), locale, terms) == expected


def _plain(runs) -> str:
    """The text of a cover line's runs, raised or not (``235`` and ``th``)."""
    return "".join(run.text for run in runs)


def test_english_cover_text():
    text = cover_text(make_meta(), STYLE)
    assert text.issued == "Brussels, 7 March 2022."
    assert text.agenda_item == "(Item V. on the Agenda)"
    assert text.action_label == "Action required of the Permanent Technical Committee (PTC)"
    assert text.committee == "PERMANENT TECHNICAL COMMITTEE"
    assert text.committee_lines == ("PERMANENT TECHNICAL", "COMMITTEE")
    assert text.meeting == "(HYBRID MEETING)"
    assert _plain(text.sessions) == "235th/236th Sessions"
    assert text.dates == "25-29 April 2022"
    assert text.title == "FUTURE OF CUSTOMS"
    assert text.subtitle == "- WCO/WTO Study Report on Disruptive Technologies 2022 -"
    assert text.symbol == "PC0685Ea"


def test_french_cover_text():
    text = cover_text(make_meta("PC0685Fa"), STYLE)
    assert text.issued == "Bruxelles, le 7 mars 2022."
    assert text.committee == "COMITÉ TECHNIQUE PERMANENT"
    assert _plain(text.sessions) == "235ème/236ème sessions"
    assert text.dates == "25-29 avril 2022"
    assert text.summary_heading == "RÉSUMÉ"


def test_in_person_meeting_has_no_line():
    text = cover_text(make_meta(meeting="in-person", issued=date(2024, 1, 9)), STYLE)
    assert text.meeting is None


def test_optional_fields_absent():
    text = cover_text(make_meta(subtitle=None, agenda_item=None, dates=None, sessions=()), STYLE)
    assert (text.subtitle, text.agenda_item, text.dates, text.sessions) == (None, None, None, ())


def test_long_committee_name_breaks_between_words():
    lines = committee_lines("Administrative Committee of the Customs Convention on Containers")
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == "ADMINISTRATIVE COMMITTEE OF THE CUSTOMS CONVENTION ON CONTAINERS"


def test_unknown_prefix_is_an_error_naming_the_reference():
    with pytest.raises(WcodocError, match="no committee with prefix 'ZZ'"):
        cover_text(make_meta("ZZ0001Ea"), STYLE)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2023, 5, 30), date(2023, 6, 1), "30 mai - 1er juin 2023"),
        (date(2023, 3, 1), date(2023, 3, 3), "1er-3 mars 2023"),
        (date(2023, 3, 1), date(2023, 3, 1), "1er mars 2023"),
    ],
)
def test_french_first_of_the_month_is_1er(start, end, expected):
    assert format_range(DateRange(start, end), "fr", FR) == expected


def test_1er_on_the_issued_line_and_never_in_english():
    assert cover_text(make_meta("PC0685Fa", issued=date(2023, 3, 1)), STYLE).issued == (
        "Bruxelles, le 1er mars 2023."
    )
    assert cover_text(make_meta(issued=date(2023, 3, 1)), STYLE).issued == "Brussels, 1 March 2023."


def test_a_quoted_literal_of_the_pattern_keeps_its_d():
    terms = {**FR, "date": "d 'de' MMMM y"}
    assert format_range(DateRange(date(2023, 3, 1), date(2023, 3, 1)), "fr", terms) == "1er de mars 2023"


@pytest.mark.parametrize(("style", "suffix", "first"), [("long", "ème", "1ère"), ("short", "e", "1re")])
def test_french_ordinal_style(style, suffix, first):
    terms = {**FR, "ordinal_style": style}
    runs = session_runs((237, 238), terms)
    assert plain(runs) == f"237{suffix}/238{suffix} sessions"
    assert [r.text for r in runs if r.superscript] == [suffix, suffix]
    assert plain(ordinal(1, terms)) == first


def test_unknown_ordinal_style_is_a_clear_error():
    with pytest.raises(WcodocError, match="ordinal_style 'tiny' is not in ordinal_styles"):
        ordinal(2, {**FR, "ordinal_style": "tiny"})
