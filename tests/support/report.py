"""A session report project of four items (``kind: report``), built before and after a
paragraph is inserted in item II: shared by the kind's, the diff's and the review's tests."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.conftest import has_libreoffice, write_project
from wcodoc.cli import main

REPORT_YAML = """\
kind: report
reference: PC0700Ea
issued: 2024-05-10
meeting: hybrid
sessions: [235, 236]
dates: {from: 2024-04-22, to: 2024-04-26}
"""
OPENING = """\
# Adoption of the agenda and of the summary record

The Committee adopted its agenda.

The Committee adopted the summary record of its previous sessions.

# Reports of the Secretariat

## Activities of the Secretariat

The Secretariat presented its report.

Delegates welcomed it and asked about:

a. the budget;
b. the calendar.

## Work programme

The Secretariat presented the work programme, which paragraph @par:tech takes up.

The Committee endorsed it.
"""
REST = """\
# Technology and innovation[^1]

[^1]: Documents PC0701 and PC0702.

[]{#par:tech} The Committee discussed technology.

A delegate presented a pilot.

The Committee took note.

# Other business

Nothing else was raised.
"""
TABLE = [
    ["Item No.", "Agenda Item", "Paragraph"],
    ["I.", "Adoption of the agenda and of the summary record", "1 - 2"],
    ["II.", "Reports of the Secretariat", "3 - 6"],
    ["a.", "Activities of the Secretariat", "3 - 4"],
    ["b.", "Work programme", "5 - 6"],
    ["III.", "Technology and innovation", "7 - 9"],
    ["IV.", "Other business", "10"],
]
INSERTED = "The Chair thanked the Secretariat for its report."
TABLE_AFTER = [
    *TABLE[:2],
    ["II.", "Reports of the Secretariat", "3 - 7"],
    ["a.", "Activities of the Secretariat", "3 - 5"],
    ["b.", "Work programme", "6 - 7"],
    ["III.", "Technology and innovation", "8 - 10"],
    ["IV.", "Other business", "11"],
]


def run(args: list[str]) -> None:
    """``wcodoc ARGS``, which must succeed."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 0


def report_project(root: Path, yaml: str = REPORT_YAML, opening: str = OPENING) -> Path:
    """The report's project written at ``root``: items I and II in one chapter, III and IV in
    another."""
    return write_project(
        root, {"document.yaml": yaml, "chapters/01-opening.md": opening, "chapters/02-rest.md": REST}
    )


def items_table(path: Path) -> list[list[str]]:
    """The cells of the table after the cover's block, as python-docx reads them."""
    table = docx.Document(str(path)).tables[1]
    return [[cell.text for cell in row.cells] for row in table.rows]


def build_before_and_after(root: Path) -> tuple[Path, Path]:
    """The report at ``root`` built (DOCX, HTML, and PDF where LibreOffice is) into
    ``root/before``, then again with a paragraph inserted in item II.a into ``root/after``."""
    formats = ["--format", "docx", "--format", "html"]
    if has_libreoffice():
        formats += ["--format", "pdf"]
    run(["build", str(root), *formats, "-o", str(root / "before")])
    chapter = root / "chapters" / "01-opening.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("its report.\n", f"its report.\n\n{INSERTED}\n"), encoding="utf-8")
    run(["build", str(root), *formats, "-o", str(root / "after")])
    return root / "before", root / "after"
