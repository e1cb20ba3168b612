"""``wcodoc review`` on a session report edited in LibreOffice by a Member: the edits of the
chapters applied, the changes to what the build generates (the title, the dates under it, the
table of agenda items) refused with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.report import report_project
from tests.support.system_python import has_uno, run_script
from wcodoc.build import build_project
from wcodoc.cli import main
from wcodoc.review.collect import collect_review

EDITS = [
    {"op": "replace", "find": "CUSTOMS CO-OPERATION COUNCIL", "with": "COUNCIL"},
    {"op": "replace", "find": "22 - 26 April", "with": "22 - 25 April"},
    {"op": "replace", "find": "Work programme", "with": "Work plan"},  # the table's cell
    {"op": "insert", "find": "b. Work programme", "text": " for 2025"},  # the heading
    {"op": "replace", "find": "adopted its agenda", "with": "adopted its draft agenda"},
]


@pytest.fixture(scope="module")
def returned(tmp_path_factory) -> tuple[Path, Path]:
    """The report's project and Korea's copy of its build, edited in LibreOffice."""
    root = tmp_path_factory.mktemp("report-review")
    project = report_project(root / "project")
    base = Path(build_project(project, project / "build", ("docx",)).outputs["docx"])
    edits = root / "edits.json"
    edits.write_text(json.dumps(EDITS), encoding="utf-8")
    run_script("lo_edit.py", str(base), str(root / "korea.docx"), "Korea Customs", str(edits))
    return project, root / "korea.docx"


pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno"),
]


def test_collect_keys_the_edits_of_a_report_by_its_places(returned):
    project, copy = returned
    compilation = collect_review(project / "build" / "PC0700Ea.docx", [copy])
    assert [(e.paragraph, e.old_text, e.new_text) for e in compilation.entries] == [
        (
            "cover:title",
            "REPORT TO THE CUSTOMS CO-OPERATION COUNCIL ON THE 235TH/236TH SESSIONS OF THE PERMANENT "
            "TECHNICAL COMMITTEE",
            "REPORT TO THE COUNCIL ON THE 235TH/236TH SESSIONS OF THE PERMANENT TECHNICAL COMMITTEE",
        ),
        ("cover:subtitle", "(22 - 26 April 2024)", "(22 - 25 April 2024)"),
        (
            "table 1 of 1, 'Item No. | Agenda…'",
            "Item No. | Agenda Item | Paragraph / I. | Adoption of the agenda and of the summary record | "
            "1 - 2 / II. | Reports of the Secretariat | 3 - 6 / a. | Activities of the Secretariat | 3 - 4 "
            "/ b. | Work programme | 5 - 6 / III. | Technology and innovation | 7 - 9 / IV. | Other "
            "business | 10",
            "Item No. | Agenda Item | Paragraph / I. | Adoption of the agenda and of the summary record | "
            "1 - 2 / II. | Reports of the Secretariat | 3 - 6 / a. | Activities of the Secretariat | 3 - 4 "
            "/ b. | Work plan | 5 - 6 / III. | Technology and innovation | 7 - 9 / IV. | Other business | 10",
        ),
        ("1", "The Committee adopted its agenda.", "The Committee adopted its draft agenda."),
        ("II.b", "Work programme", "Work programme for 2025"),
    ]


def test_apply_makes_the_chapters_edits_and_refuses_the_generated_lines_with_the_reason(
    returned, capsys, monkeypatch
):
    project, copy = returned
    monkeypatch.chdir(project.parent)
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "apply", "project", str(copy)])
    assert exit_info.value.code == 1  # something was refused
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "project/chapters/01-opening.md:3: paragraph 1 (Korea Customs)",
        "project/chapters/01-opening.md:18: paragraph II.b (Korea Customs)",
    ]
    assert err.splitlines() == [
        "korea.docx: a copy of PC0700Ea (the sources now; git has no version of it)",
        "paragraph cover:title (Korea Customs): this cover line is written by the build from the "
        "committee of reference and sessions in document.yaml, not copied from it; change it there by hand",
        "paragraph cover:subtitle (Korea Customs): this cover line is written by the build from dates in "
        "document.yaml, not copied from it; change it there by hand",
        "paragraph table 1 of 1, 'Item No. | Agenda…' (Korea Customs): the table of agenda items is made "
        "by the build from the '#' and '##' headings and the paragraph numbers; change those in the chapters",
    ]
    chapter = (project / "chapters" / "01-opening.md").read_text(encoding="utf-8")
    assert "The Committee adopted its draft agenda.\n" in chapter
    assert "## Work programme for 2025\n" in chapter
    assert "title" not in (project / "document.yaml").read_text(encoding="utf-8")
