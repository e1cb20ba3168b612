"""The review tests' base project and the Members' returned copies made from it.

The base is a project built by wcodoc; returned copies are made from it with tracked changes
by named authors, comments with replies and untracked edits (``tests/support/member_copy.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.member_copy import MemberCopy
from wcodoc.cli import main

CHAPTER = """\
# Introduction

Customs administrations met to study the pilot in some detail.

Members agreed that the platform should *exchange* risk information, see @par:later.

a. first point on data quality;
b. second point on border clearance.

# Updates

[]{#par:later}Capacity building remains a priority for the Secretariat.

- a bullet about guidance
- another bullet about innovation

The committee recommends further guidance on revenue security.^[See the Revenue Package.]
"""

USE_CASE = """\
---
id: kr-export
title: Blockchain platform for e-commerce export clearance
member: Korea
region: asia-pacific
technologies: [blockchain]
status: pilot
year: 2021
---
## Background

Exporters file declarations through a shared ledger.

## Solution

A shared platform.

## Benefits

Clearance takes minutes rather than days.

## Challenges and lessons learnt

None so far.
"""

SECTIONS = """\
# Introduction {#sec:intro}

Customs administrations met to study the pilot in some detail.

Members agreed that the platform should exchange risk information, see Section @sec:updates.

# Updates {#sec:updates}

Capacity building remains a priority for the Secretariat, as Section @sec:way explains.

| Member | Status |
|--------|--------|
| Korea  | pilot  |

The committee recommends further guidance, as Section @sec:way explains.

# Way forward {#sec:way}

The PTC is invited to take note of Section @sec:intro.
"""
"""Three labelled sections, each referred to; a table after paragraph 3."""

TITLE = "FUTURE OF CUSTOMS"
P1 = "Customs administrations met to study the pilot in some detail."
P3 = "Capacity building remains a priority for the Secretariat."
P4 = "The committee recommends further guidance on revenue security."

COMMENTED_YAML = """\
# Working document; the cover is made from the keys below.
reference: PC0685Ea   # the symbol
meeting: hybrid
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
issued: 2022-03-07

# Printed in capitals; type it in normal case.
title: Future of Customs
subtitle: "WCO/WTO Study Report"
agenda_item: V

summary:
  # Both parts are Markdown.
  purpose: |
    Council adopted the *Study Report* at its
    June 2019 Sessions as a living tool.

    The draft draws on the replies to the survey.
  action: |
    The PTC is invited to:

    - take note.
"""


def korea(base: Path, path: Path) -> Path:
    """Korea's return: tracked changes by two authors, an untracked edit, a comment thread."""
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "in great detail", "Korea Customs")
    copy.replace("Capacity building remains", "a priority", "the first priority", "Korea Legal Office")
    copy.insert_paragraph("The committee recommends", "A new paragraph proposed by Korea.", "Korea Customs")
    copy.delete_paragraph("second point on border", "Korea Customs")
    copy.replace(TITLE, "FUTURE", "PRESENT", "Korea Customs")
    copy.replace("Clearance takes minutes", "minutes", "seconds", "Korea Customs")
    copy.untracked("The committee recommends", "revenue security", "revenue and security")
    copy.comment("Members agreed", "Korea Customs", "Korea supports this.", (("WCO Secretariat", "Noted."),))
    copy.saved_by("Korea IT Desk")
    return copy.save(path)


def brazil(base: Path, path: Path) -> Path:
    """Brazil's return: other wording for paragraph 1, and a comment on it."""
    copy = MemberCopy(base)
    copy.replace("Customs administrations met", "in some detail", "briefly", "Brazil Customs")
    copy.comment("Customs administrations met", "Brazil Customs", "Detail is not needed here.")
    return copy.save(path)


def cover_copy(cover_base: Path, path: Path) -> Path:
    """Korea's changes to the cover's title, subtitle, agenda item and SUMMARY."""
    copy = MemberCopy(cover_base)
    copy.replace(TITLE, "FUTURE", "THE WTO PRESENT", "Korea Customs")
    copy.replace("OF CUSTOMS", "CUSTOMS", "CUSTOMS AND TRADE", "Korea Customs")
    copy.replace("Council adopted the Study Report", "living tool", "living reference", "Korea Customs")
    copy.replace("The draft draws on", "the survey", "the 2021 survey", "Korea Customs")
    copy.replace("WCO/WTO Study Report", "Report", "Paper", "Korea Customs")
    copy.replace("(Item V.", "V", "VI", "Korea Customs")
    return copy.save(path)


def run_cli(args: list[str], capsys) -> str:
    """Standard output of a ``wcodoc`` command that must succeed."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    assert exit_info.value.code == 0, captured.err
    return captured.out


def texts(docx: Path) -> list[str]:
    """The text of each block of a DOCX, as the diff reads it."""
    from wcodoc.diff.extract import read_draft

    return [b.text for b in read_draft(docx).blocks]
