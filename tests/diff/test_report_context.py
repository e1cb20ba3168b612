"""The text report shows a change in a long paragraph with a little context, not the whole text."""

from wcodoc.diff.report import CONTEXT_WORDS, _text_words

WORDS = [f"w{i}" for i in range(40)]


def test_long_unchanged_runs_are_elided_around_the_change():
    before = " ".join(WORDS[:20]) + " "
    after = " " + " ".join(WORDS[20:])
    shown = _text_words([("equal", before), ("delete", "old"), ("insert", "new"), ("equal", after)], False)
    assert shown == (
        "… "
        + " ".join(WORDS[20 - CONTEXT_WORDS : 20])
        + " [-old-]{+new+} "
        + " ".join(WORDS[20 : 20 + CONTEXT_WORDS])
        + " …"
    )


def test_middle_run_keeps_both_sides_and_short_runs_stay_whole():
    middle = " " + " ".join(WORDS) + " "
    shown = _text_words([("insert", "A"), ("equal", middle), ("delete", "B")], False)
    assert shown.startswith("{+A+} w0 w1") and " … " in shown and shown.endswith("w38 w39 [-B-]")
    short = " one two three "
    assert (
        _text_words([("insert", "A"), ("equal", short), ("delete", "B")], False) == "{+A+}" + short + "[-B-]"
    )
