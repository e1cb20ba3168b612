"""All or none: a command killed (SIGKILL) at each named point either did nothing or is
finished by running it again — no half-applied change, no skipped version letter, no
half-made document in the register."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.session.folders import commit, git_session
from tests.writes.commands import killed, leftovers, tree, wcodoc
from wcodoc.load.yamlio import load_yaml

APPLY_POINTS = ["apply:journal", "apply:committed", "apply:after-first-rename"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("point", APPLY_POINTS)
def test_review_apply_killed_is_finished_by_running_it_again(tmp_path, lo_copies, point):
    """Korea's copy changes two chapters and document.yaml; killed between the renames, the
    sources are never built half-applied, and the retry writes what one run writes."""
    expected_project, base, korea, _ = lo_copies(tmp_path / "expected")
    args = ("review", "apply", ".", korea, "--base", base)
    whole = wcodoc(*args, cwd=expected_project)
    assert whole.returncode == 0, whole.stderr
    project, *_ = lo_copies(tmp_path)
    before = tree(project)

    assert killed(wcodoc(*args, cwd=project, kill_at=point))
    build = wcodoc("build", ".", "--format", "docx", cwd=project)
    if point == "apply:journal":  # not committed: nothing happened yet
        assert build.returncode == 0 and tree(project) == before
    else:
        assert build.returncode == 1
        assert build.stderr.startswith("document.yaml.journal: 'wcodoc review apply . ")
        assert build.stderr.rstrip().endswith(
            "has not finished writing its changes (was it interrupted?); run it again to finish them"
        )

    retry = wcodoc(*args, cwd=project)
    assert retry.returncode == 0, retry.stderr
    assert retry.stdout == whole.stdout  # the same three lines: each change written once
    assert tree(project) == tree(expected_project)
    assert leftovers(project) == []
    assert wcodoc("build", ".", "--format", "docx", cwd=project).returncode == 0


@pytest.mark.libreoffice
def test_another_apply_finishes_the_interrupted_one_first(tmp_path, lo_copies):
    project, base, korea, brazil = lo_copies(tmp_path)
    assert killed(
        wcodoc("review", "apply", ".", korea, "--base", base, cwd=project, kill_at="apply:committed")
    )
    brazils = wcodoc("review", "apply", ".", brazil, "--base", base, cwd=project)
    assert brazils.returncode == 0, brazils.stderr
    assert brazils.stderr.startswith("finished the interrupted 'wcodoc review apply . ")
    updates = (project / "chapters" / "02-updates.md").read_text()
    assert "revenue and security" in updates and "the first priority" in updates
    assert "title: Present of Customs" in (project / "document.yaml").read_text()


NEW_POINTS = ["lock:held", "new:journal", "new:committed", "new:after-first-rename"]


@pytest.mark.parametrize("point", NEW_POINTS)
def test_new_killed_leaves_the_session_usable_and_is_finished_by_running_it_again(tmp_path, point):
    session = git_session(tmp_path)
    args = ("new", "korea", "--title", "Korea", "--item", "VI")
    assert killed(wcodoc(*args, cwd=session, kill_at=point))
    made = session / "korea" / "document.yaml"
    assert not made.exists() or load_yaml(made)["reference"] == "PC0792Ea"  # never a 0-byte file

    listing = wcodoc("session", "list", cwd=session)  # no half-made document shows, nothing fails
    assert listing.returncode == 0, listing.stderr
    assert ".wcodoc-staging" not in listing.stdout

    retry = wcodoc(*args, cwd=session)
    assert retry.returncode == 0, retry.stderr
    assert retry.stdout.splitlines()[0] == "created korea/ as PC0792Ea"
    other = wcodoc("new", "brazil", "--title", "Brazil", cwd=session)
    assert other.returncode == 0 and other.stdout.startswith("created brazil/ as PC0793Ea")

    register = load_yaml(session / "session.yaml")["register"]
    assert [e.get("folder") for e in register] == ["other", None, "smart-customs", "korea", "brazil"]
    assert [e["symbol"] for e in register][-2:] == ["PC0792E", "PC0793E"]
    assert load_yaml(session / "korea" / "document.yaml")["reference"] == "PC0792Ea"
    assert leftovers(session) == []
    assert wcodoc("build", "korea", "--format", "docx", cwd=session).returncode == 0


def test_new_translation_killed_is_finished_by_running_it_again(tmp_path):
    session = git_session(tmp_path)
    args = ("new", "smart-customs-fr", "--translation-of", "smart-customs")
    assert killed(wcodoc(*args, cwd=session, kill_at="new:after-first-rename"))
    retry = wcodoc(*args, cwd=session)
    assert retry.returncode == 0 and retry.stdout.startswith("created smart-customs-fr/ as PC0791Fa")
    data = load_yaml(session / "smart-customs-fr" / "document.yaml")
    assert (data["translation_of"], data["follows"]) == ("smart-customs", "PC0791Ea")
    assert [e.get("folder") for e in load_yaml(session / "session.yaml")["register"]][
        -1
    ] == "smart-customs-fr"
    assert leftovers(session) == []


# build:after-docx#2: the new draft's DOCX written (#1 is the build of the draft committed).
REVISE_POINTS = ["revise:journal", "revise:committed", "revise:after-first-rename", "build:after-docx#2"]


@pytest.mark.parametrize("point", REVISE_POINTS)
def test_revise_redline_killed_is_finished_with_the_same_letter(tmp_path, point):
    session = git_session(tmp_path)
    project = session / "smart-customs"
    chapter = project / "chapters" / "01-introduction.md"
    chapter.write_text(chapter.read_text() + "\nA third paragraph for PC0791Eb.\n")
    args = ("revise", ".", "--redline", "--format", "docx", "--issued", "2023-02-10")
    assert killed(wcodoc(*args, cwd=project, kill_at=point))

    if point != "revise:journal":  # committed: nothing else may revise it meanwhile
        plain = wcodoc("revise", ".", cwd=project)
        assert plain.returncode == 1
        assert plain.stderr.rstrip().endswith(
            "was interrupted before it finished; run 'wcodoc revise --redline .' to finish it first"
        )
    retry = wcodoc("revise", ".", "--redline", "--format", "docx", cwd=project)  # options of its own
    assert retry.returncode == 0, retry.stderr
    assert retry.stdout.splitlines()[0] == "PC0791Ea → PC0791Eb, issued " + (
        dt.date.today().isoformat() if point == "revise:journal" else "2023-02-10"
    )
    data = load_yaml(project / "document.yaml")
    assert data["reference"] == "PC0791Eb" and data["history"] == ["PC0791Ea"]
    assert sorted(p.name for p in (project / "build").glob("*.docx")) == [
        "PC0791Eb-redline.docx",
        "PC0791Eb.docx",
    ]
    assert leftovers(project) == []
    commit(session.parent, "PC0791Eb as issued")
    again = wcodoc("revise", ".", "--redline", "--format", "docx", cwd=project)
    assert again.returncode == 0 and again.stdout.startswith("PC0791Eb → PC0791Ec")
