"""How messages show values and suggest the key that was meant."""

from __future__ import annotations

import pytest

from wcodoc.load.messages import describe, did_you_mean, suggest, unknown_choice

REGIONS = ["east-southern-africa", "europe", "asia-pacific", "americas-caribbean"]


@pytest.mark.parametrize(
    "value, shown",
    [(None, "nothing"), ("April", "'April'"), (5, "5"), ([1, "a"], "[1, 'a']"), ({"a": 1}, "a mapping")],
)
def test_describe(value, shown):
    assert describe(value) == shown


def test_did_you_mean_is_about_spelling_and_suggest_also_about_parts():
    assert did_you_mean("eurpoe", REGIONS) == " (did you mean 'europe'?)"
    assert did_you_mean("asia", REGIONS) == ""
    assert suggest("asia", REGIONS) == " (did you mean 'asia-pacific'?)"
    assert suggest("a", REGIONS) == ""  # too short to be part of one key only


def test_unknown_choice():
    assert unknown_choice("europe", REGIONS) is None
    assert unknown_choice("asia", REGIONS, "region") == (
        "unknown region 'asia' (did you mean 'asia-pacific'?); "
        "expected one of east-southern-africa, europe, asia-pacific, americas-caribbean"
    )
    assert (
        unknown_choice(5, REGIONS, limit=2)
        == "unknown key 5; expected one of east-southern-africa, europe, …"
    )
