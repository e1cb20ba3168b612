"""The commit holding the original as a translation followed it (``session/followed.py``)."""

from __future__ import annotations

import pytest

from tests.session.folders import commit, git
from wcodoc.errors import WcodocError
from wcodoc.session.followed import followed_commit, took_value
from wcodoc.workflow.newdoc import create_document
from wcodoc.workflow.revise import revise_project


def test_took_value_is_the_oldest_commit_of_the_newest_run():
    history = [
        ("c5", {"r": "b"}),
        ("c4", {"r": "a"}),
        ("c3", {"r": "a"}),
        ("c2", {"r": "x"}),
        ("c1", {"r": "a"}),
    ]
    assert took_value(iter(history), "r", "a") == "c3"
    assert took_value(iter(history), "r", "b") == "c5"
    assert took_value(iter(history), "r", "z") is None


def head(repo) -> str:
    return git(repo.parent, "rev-parse", "HEAD").strip()


def test_where_the_translation_wrote_follows_else_where_the_original_was_issued(repo):
    english, french = repo / "smart-customs", repo / "smart-customs-fr"
    issued = head(repo)  # PC0791Ea as issued (the fixture's commit)
    chapter = english / "chapters" / "01-introduction.md"
    chapter.write_text(chapter.read_text() + "\nA late paragraph.\n")
    commit(repo.parent, "late edit to PC0791Ea")
    create_document(french, translation_of=english)
    commit(repo.parent, "French follows PC0791Ea, late edit included")
    written = head(repo)
    assert followed_commit(french, english, "PC0791Ea") == written

    # follows: PC0791Eb written before the original was PC0791Eb: the version as issued.
    (french / "document.yaml").write_text((french / "document.yaml").read_text().replace("Ea", "Eb"))
    commit(repo.parent, "French follows b, ahead of the English")
    revise_project(english)
    commit(repo.parent, "PC0791Eb")
    assert followed_commit(french, english, "PC0791Eb") == head(repo)
    assert followed_commit(english, english, "PC0791Ea") == issued  # no follows: line at all


def test_a_version_never_committed_is_named(repo):
    with pytest.raises(
        WcodocError, match=r"no commit of smart-customs/document\.yaml has reference PC0791Ez"
    ):
        followed_commit(repo / "smart-customs", repo / "smart-customs", "PC0791Ez")
