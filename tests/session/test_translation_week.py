"""A week of a Secretariat's bilingual session, through the commands it types.

A session folder in git; the English revised twice while the French follows; the French made
before the English had its annex; late edits to an issued version; tables, footnotes, bullets,
use cases and the cover changed. ``session status`` must name every block the translator has to
redo, and ``revise`` keep the French letters in step (issue 21).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.session.folders import commit, git
from tests.test_build import PNG_1PX
from wcodoc.cli import cli

DOCUMENT_YAML = """\
reference: PC0701Ea
title: Smart Customs
subtitle: Pilots in three regions
agenda_item: V
issued: 2023-02-01
summary:
  purpose: |
    This document reports on pilots of smart customs.
  action: |
    The PTC is invited to take note.
"""

CHAPTER = """\
# Introduction

The Committee discussed smart customs at its last session.[^report]

Members reported pilots of two kinds:

- automated risk management for express consignments;
- electronic seals on transit trucks.

::: unnumbered
The table below counts the pilots reported by each Member.
:::

Several pilots used machine learning to select consignments.

| Member | Pilots |
|--------|--------|
| Korea  | 3      |
| Brazil | 2      |

![Pilots per year](../figures/pilots.png)

The Committee is invited to take note of this document.

[^report]: See the report of the 236th session, paragraphs 10 to 14.
"""

USE_CASE = """\
---
id: {id}
title: {title}
member: {member}
region: {region}
technologies: [blockchain]
status: pilot
year: 2021
---
## Background

Exporters filed the same data with three agencies.

## Solution

A shared ledger gives every agency the same export record.
"""


class Secretariat:
    """The commands, run in the session folder as a person types them."""

    def __init__(self, session: Path, monkeypatch: pytest.MonkeyPatch):
        self.session = session
        self.monkeypatch = monkeypatch
        self.runner = CliRunner()

    def __call__(self, *args: str) -> str:
        self.monkeypatch.chdir(self.session)
        result = self.runner.invoke(cli, list(args))
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.output

    def status(self) -> dict:
        documents = json.loads(self("session", "status", "--format", "json"))["documents"]
        return next(d for d in documents if d["folder"] == "smart-customs-fr")

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.session / path
        text = file.read_text()
        assert old in text, old
        file.write_text(text.replace(old, new))

    def commit(self, message: str) -> None:
        commit(self.session.parent, message)


@pytest.fixture
def week(tmp_path, monkeypatch) -> Secretariat:
    """Monday: the session starts in git, the English PC0701Ea is issued without an annex,
    and the French version is made from it."""
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q")
    git(top, "config", "user.name", "Secretariat")
    git(top, "config", "user.email", "secretariat@example.org")
    office = Secretariat(top / "ptc", monkeypatch)
    monkeypatch.chdir(top)
    init = ["session", "init", "ptc", "--committee", "PC", "--sessions", "237,238"]
    CliRunner().invoke(cli, [*init, "--from", "2023-03-20", "--to", "2023-03-24", "--first-serial", "701"])
    office("new", "smart-customs", "--title", "Smart Customs", "--item", "V")
    english = office.session / "smart-customs"
    (english / "document.yaml").write_text(DOCUMENT_YAML)
    (english / "chapters" / "01-introduction.md").write_text(CHAPTER)
    (english / "figures").mkdir()
    (english / "figures" / "pilots.png").write_bytes(PNG_1PX)
    office.commit("PC0701Ea as issued")
    office("new", "smart-customs-fr", "--translation-of", "smart-customs", "--title", "Douane intelligente")
    office.commit("PC0701Fa: the French version")
    return office


def test_a_week_of_a_bilingual_session(week):
    english, french = "smart-customs", "smart-customs-fr"
    assert "follows PC0701Ea: up to date" in week("session", "status")
    week("build", french, "--format", "docx")  # the French builds at once, its picture copied

    # Tuesday: a late correction to PC0701Ea goes in with a document.yaml change; then the
    # English gets its annex of use cases and is reissued as PC0701Eb.
    week.edit(f"{english}/chapters/01-introduction.md", "| Brazil | 2      |", "| Brazil | 4      |")
    week.edit(f"{english}/document.yaml", "Pilots in three regions", "Pilots in four regions")
    week.commit("PC0701Ea: late correction of the table")
    cases = week.session / english / "annexes" / "use-cases"
    for n, (ident, title, member, region) in enumerate(
        (
            ("kr-export", "Blockchain for export clearance", "Korea", "asia-pacific"),
            ("br-transit", "Ledger for transit guarantees", "Brazil", "americas-caribbean"),
        ),
        start=1,
    ):
        text = USE_CASE.format(id=ident, title=title, member=member, region=region)
        (cases / f"0{n}-{ident}.md").write_text(text)
    week("revise", english, "--issued", "2023-03-01")
    week.commit("PC0701Eb as issued")

    tuesday = week.status()
    assert (tuesday["follows"], tuesday["original"], tuesday["behind"]) == ("PC0701Ea", "PC0701Eb", True)
    assert tuesday["changed_paragraphs"] == []
    blocks = [(b["kind"], b["block"], b["number"], b["location"]) for b in tuesday["changed_blocks"]]
    assert ("modified", "cover", None, "cover, subtitle") in blocks
    assert ("modified", "table", None, "table after paragraph 3") in blocks  # the late correction
    assert ("inserted", "annex", "1", "use case 1") in blocks  # the French has no annex yet
    assert ("inserted", "annex", "2", "use case 2") in blocks
    text = week("session", "status")
    assert "follows PC0701Ea, original now PC0701Eb: these" in text
    assert "    modified  table after paragraph 3\n" in text and "    inserted  use case 2\n" in text

    # Wednesday: the translator catches up with b and the French is reissued in step.
    for case in cases.iterdir():
        (week.session / french / "annexes" / "use-cases" / case.name).write_text(case.read_text())
    week("session", "follow", french)
    assert "PC0701Fa → PC0701Fb" in week("revise", french, "--issued", "2023-03-02")
    week.commit("PC0701Fb follows PC0701Eb")
    assert not week.status()["behind"]

    # Thursday: the English changes in every kind of block and is reissued as PC0701Ec.
    chapter = f"{english}/chapters/01-introduction.md"
    week.edit(chapter, "paragraphs 10 to 14", "paragraphs 10 to 16")
    week.edit(
        chapter, "electronic seals on transit trucks.", "electronic seals on transit trucks and trains."
    )
    week.edit(chapter, "Several pilots used machine learning to select consignments.\n\n", "")
    week.edit(chapter, "take note of this document.", "take note of this document and to comment.")
    week.edit(f"{english}/document.yaml", "reports on pilots of", "reports on six pilots of")
    week.edit(f"{english}/annexes/use-cases/01-kr-export.md", "status: pilot", "status: implemented")
    week.edit(
        f"{english}/annexes/use-cases/02-br-transit.md", "same export record.", "same guarantee record."
    )
    week("revise", english, "--issued", "2023-03-09")
    week.commit("PC0701Ec as issued")

    thursday = week.status()
    assert (thursday["follows"], thursday["original"]) == ("PC0701Eb", "PC0701Ec")
    assert thursday["changed_paragraphs"] == ["2", "3"]
    assert thursday["changed_blocks"] == [
        _block("modified", "cover", None, "SUMMARY, purpose"),
        _block("modified", "footnote", "1", "footnote 1 of paragraph 1"),
        _block("modified", "bullet", None, "bullet after paragraph 2"),
        _block("deleted", "paragraph", "3", "paragraph 3 (old numbering), after paragraph 2"),
        _block("modified", "paragraph", "3", "paragraph 3 (was 4)"),
        _block("modified", "table", None, "annex, table"),
        _block("modified", "annex", None, "use case 1, details line"),
        _block("modified", "annex", None, "use case 2, Solution"),
    ]
    assert week("session", "status").splitlines()[1:] == [
        "smart-customs-fr  PC0701Fb  follows PC0701Eb, original now PC0701Ec: paragraphs 2, 3 and these "
        "7 blocks changed:",
        "    modified  SUMMARY, purpose",
        "    modified  footnote 1 of paragraph 1",
        "    modified  bullet after paragraph 2",
        "    deleted   paragraph 3 (old numbering), after paragraph 2",
        "    modified  annex, table",
        "    modified  use case 1, details line",
        "    modified  use case 2, Solution",
    ]

    # Friday: the French follows c, skipping nothing, and comes out as PC0701Fc.
    week("session", "follow", french)
    assert "PC0701Fb → PC0701Fc" in week("revise", french, "--issued", "2023-03-10")
    week.commit("PC0701Fc follows PC0701Ec")
    assert week.status()["behind"] is False


def _block(kind: str, block: str, number: str | None, location: str) -> dict:
    return {"kind": kind, "block": block, "number": number, "location": location}
