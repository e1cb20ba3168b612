"""Each kind of change (a tagged union) as the report names it and as the JSON contract writes it."""

from __future__ import annotations

from lxml import etree

from wcodoc.diff.align import Deleted, Formatted, Inserted, Modified, Moved, sides, word_diff
from wcodoc.diff.extract import Block
from wcodoc.diff.report import change_record, headline, summary_line


def para(text: str, number: str | None, *, after: str | None = None) -> Block:
    return Block("paragraph", number, text, etree.Element("p"), after=after)


OLD = para("The Committee noted the report.", "6", after="paragraph 5")
NEW = para("The Committee adopted the report.", "7", after="paragraph 6")


def test_each_kind_has_only_the_sides_it_has():
    assert sides(Inserted(NEW)) == (None, NEW)
    assert sides(Deleted(OLD)) == (OLD, None)
    assert sides(Modified(OLD, NEW, tuple(word_diff(OLD.text, NEW.text)))) == (OLD, NEW)
    assert sides(Moved(OLD, NEW)) == (OLD, NEW)
    assert sides(Formatted(OLD, NEW, ("report",))) == (OLD, NEW)


def test_the_block_naming_a_change_is_the_new_one_when_there_is_one():
    assert Inserted(NEW).block is NEW
    assert Deleted(OLD).block is OLD
    assert Moved(OLD, NEW).block is NEW


def test_headlines():
    words = tuple(word_diff(OLD.text, NEW.text))
    assert headline(Inserted(NEW)) == "paragraph 7: inserted after paragraph 6"
    assert headline(Deleted(OLD)) == "paragraph 6 (old numbering): deleted"
    assert headline(Modified(OLD, NEW, words)) == "paragraph 7 (was 6): modified"
    assert headline(Moved(OLD, NEW)) == "paragraph 7 (was 6): moved"
    assert headline(Moved(OLD, NEW, words)) == "paragraph 7 (was 6): moved and edited"
    assert headline(Formatted(OLD, NEW, ("report",))) == "paragraph 7 (was 6): formatting changed"


def test_json_records_keep_the_contract():
    assert change_record(Inserted(NEW)) == {
        "kind": "inserted",
        "block": "paragraph",
        "old_number": None,
        "new_number": "7",
        "old_text": None,
        "new_text": NEW.text,
        "old_location": None,
        "new_location": "paragraph 7",
    }
    assert change_record(Deleted(OLD))["new_number"] is None
    assert change_record(Formatted(OLD, NEW, ("report",))) == {
        "kind": "modified",
        "block": "paragraph",
        "old_number": "6",
        "new_number": "7",
        "old_text": OLD.text,
        "new_text": NEW.text,
        "old_location": "paragraph 6",
        "new_location": "paragraph 7",
        "formatting_only": True,
    }


def test_cover_changes_name_their_field():
    old = Block("cover", None, "12 April 2024", etree.Element("p"), field="issued")
    new = Block("cover", None, "3 May 2024", etree.Element("p"), field="issued")
    record = change_record(Modified(old, new, tuple(word_diff(old.text, new.text))))
    assert (record["block"], record["field"]) == ("cover", "issued")


def test_summary_counts_formatting_changes_apart():
    changes = [Inserted(NEW), Formatted(OLD, NEW, ("report",)), Deleted(OLD), Inserted(NEW)]
    assert summary_line(changes) == "2 inserted, 1 deleted, 1 formatted"
