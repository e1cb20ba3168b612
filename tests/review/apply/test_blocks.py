"""``wcodoc review apply`` on every kind of block: paragraphs with footnotes and markup that a
grammar of its own misreads, headings with labels, table cells, line blocks, a paragraph typed
after a table, use-case fields; the same copy applied twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.copies import RESULTS, USE_CASE, apply_cli, run_cli, texts
from tests.support.member_copy import MemberCopy, text_of, w
from wcodoc.build import build_project

KOREA = "Korea Customs"


def _sources(project: Path) -> dict[Path, bytes]:
    """Every file of the project but its build folder (caches may grow)."""
    return {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and "build" not in p.parts}


def _chapter(project: Path) -> str:
    return (project / "chapters/02-results.md").read_text(encoding="utf-8")


def test_a_paragraph_with_a_reference_footnote_and_its_note_are_edited_in_place(
    rich_base, rich_project, tmp_path, capsys
):
    copy = MemberCopy(rich_base)
    copy.replace("Pilots used", "Pilots used", "Pilots tested", KOREA)
    copy.replace("Adopted in June", "2005", "2006", KOREA, footnote=True)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert _chapter(rich_project) == RESULTS.replace("Pilots used", "Pilots tested").replace(
        "June 2005", "June 2006"
    )


def test_markup_pandoc_reads_survives_changes_beside_it(rich_base, rich_project, tmp_path, capsys):
    copy = MemberCopy(rich_base)
    copy.replace("Pilots used", "fields", "columns", KOREA)  # beside a code span holding *
    copy.replace("The SAFE Framework", "applies", "still applies", KOREA)
    copy.replace("First line of the verse", "second line", "last line", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert _chapter(rich_project) == (
        RESULTS.replace("`risk*score` fields", "`risk*score` columns")
        .replace("Framework applies", "Framework still applies")
        .replace("| second line", "| last line")
    )


def test_words_added_to_a_heading_keep_its_label(rich_base, rich_project, tmp_path, capsys):
    copy = MemberCopy(rich_base)
    # Enough new words that the heading no longer pairs with the old one by similarity.
    copy.replace("Results", "Results", "Results, outlook and next steps", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, out, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert "02-results.md:1: paragraph III (Korea Customs)" in out
    assert _chapter(rich_project).startswith("# Results, outlook and next steps {#sec:results}\n")
    build_project(rich_project, tmp_path / "rebuilt", formats=("docx",))  # @sec:results resolves


def test_a_table_cell_is_edited_in_place(rich_base, rich_project, tmp_path, capsys):
    copy = MemberCopy(rich_base)
    copy.replace("Europe", "Europe", "Europe and CIS", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert "| Europe and CIS | 5      |" in _chapter(rich_project)


def test_a_paragraph_typed_after_a_table_lands_after_it(rich_base, rich_project, tmp_path, capsys):
    copy = MemberCopy(rich_base)
    copy.type_after_table("Europe", "Figures are for 2021.", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    chapter = _chapter(rich_project)
    assert chapter.index("| Europe |") < chapter.index("Figures are for 2021.") < chapter.index("| First")
    built = build_project(rich_project, tmp_path / "rebuilt", formats=("docx",)).outputs["docx"]
    shown = texts(Path(built))
    assert shown[shown.index("Region | Pilots / Africa | 3 / Europe | 5") + 1] == "Figures are for 2021."


def test_use_case_status_and_section_paragraph(rich_base, rich_project, tmp_path, capsys):
    copy = MemberCopy(rich_base)
    copy.replace("Korea · Far East", "Pilot", "Implemented", KOREA)
    copy.replace("Exporters file declarations", "a shared ledger", "a ledger shared by all", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    use_case = (rich_project / "annexes/use-cases/01-kr.md").read_text(encoding="utf-8")
    assert use_case == USE_CASE.replace("status: pilot", "status: implemented").replace(
        "a shared ledger", "a ledger shared by all"
    )


def test_the_same_copy_applied_twice_writes_nothing_the_second_time(
    rich_base, rich_project, tmp_path, capsys
):
    copy = MemberCopy(rich_base)
    copy.insert_paragraph("The committee noted", "A paragraph proposed by Korea.", KOREA)
    copy.replace("The committee noted", "noted", "welcomed", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    once = _sources(rich_project)
    code, out, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert out == ""
    assert "already in the sources" in err
    assert _sources(rich_project) == once
    assert _chapter(rich_project).count("A paragraph proposed by Korea.") == 1


def test_a_member_s_own_paper_is_refused_before_anything_is_written(rich_project, tmp_path, capsys):
    import docx

    paper = docx.Document()
    paper.add_heading("Korea's views on the Framework", 1)
    paper.add_paragraph("Korea Customs thanks the Secretariat for the draft.")
    paper.add_paragraph("Pilots tested the platform in 2021.")
    paper.save(tmp_path / "korea-paper.docx")
    before = _sources(rich_project)
    code, out, err = apply_cli(rich_project, tmp_path / "korea-paper.docx", capsys)
    assert code == 1
    assert out == ""
    assert "not a copy of PC0685Ea" in err and "no document symbol" in err
    assert _sources(rich_project) == before


def test_run_cli_reports_edits(rich_base, rich_project, tmp_path, capsys, monkeypatch):
    copy = MemberCopy(rich_base)
    copy.replace("The committee noted", "noted", "welcomed", KOREA)
    copy.save(tmp_path / "korea.docx")
    monkeypatch.chdir(tmp_path)
    out = run_cli(["review", "apply", "project", "korea.docx"], capsys)
    assert out.splitlines() == ["project/chapters/02-results.md:15: paragraph 7 (Korea Customs)"]


@pytest.mark.parametrize(
    ("find", "old", "new", "before", "after"),
    [
        ("Pilots used", "guide", "handbook", "the [guide][g] in", "the [handbook][g] in"),
        ("Pilots used", "revised", "amended", "[the [revised] Framework]", "[the [amended] Framework]"),
        ("The SAFE Framework", "SAFE", "SAFER", "[SAFE]{.smallcaps}", "[SAFER]{.smallcaps}"),
        ("The SAFE Framework", "shows", "explains", "@sec:results shows.", "@sec:results explains."),
        ("Pilots used", "and the", "with the", "wcoomd.org> and the", "wcoomd.org> with the"),
    ],
)
def test_words_inside_links_and_spans_are_changed_their_markup_kept(
    rich_base, rich_project, tmp_path, capsys, find, old, new, before, after
):
    copy = MemberCopy(rich_base)
    copy.replace(find, old, new, KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert _chapter(rich_project) == RESULTS.replace(before, after)


@pytest.mark.parametrize(
    ("find", "old", "new", "reason"),
    [
        ("Pilots used", "risk*score", "risk score", "md:3: paragraph 5 (Korea Customs): the change strad"),
    ],
)  # fmt: skip
def test_a_change_inside_code_or_a_reference_is_refused_with_its_reason(
    rich_base, rich_project, tmp_path, capsys, find, old, new, reason
):
    copy = MemberCopy(rich_base)
    copy.replace(find, old, new, KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, out, err = apply_cli(rich_project, returned, capsys)
    assert (code, out) == (1, "")
    assert reason in err
    assert _chapter(rich_project) == RESULTS


def test_a_use_case_s_title_and_its_row_of_the_overview_table_go_to_its_front_matter(
    rich_base, rich_project, tmp_path, capsys
):
    copy = MemberCopy(rich_base)
    copy.replace("Use case 1", "Blockchain platform", "Ledger platform", KOREA)
    overview = next(t for t in copy.body.iter(w("tbl")) if "No." in text_of(t))
    copy.untracked_in(copy.paragraph("Korea", overview), "Korea", "Republic of Korea")
    returned = copy.save(tmp_path / "korea.docx")
    code, out, err = apply_cli(rich_project, returned, capsys, "--base", str(rich_base))
    assert code == 0, err
    assert "annexes/use-cases/01-kr.md:3: paragraph uc 1 (Korea Customs)" in out
    assert "annexes/use-cases/01-kr.md:4: paragraph annex (korea)" in out
    use_case = (rich_project / "annexes/use-cases/01-kr.md").read_text(encoding="utf-8")
    assert use_case == USE_CASE.replace("title: Blockchain", "title: Ledger").replace(
        "member: Korea", "member: Republic of Korea"
    )


GRID = """\
# Figures

Pilots by region:

+----------+---------+
| Region   | Pilots  |
+==========+=========+
| Europe   | 5       |
+----------+---------+

  Year      Pilots
  -------   ------
  2021      3
"""


def test_cells_of_grid_and_simple_tables_keep_their_columns(make_project, tmp_path, capsys):
    project = make_project({"chapters/01.md": GRID})
    sent = build_project(project, tmp_path / "sent", formats=("docx",)).outputs["docx"]
    copy = MemberCopy(Path(sent))
    copy.replace("Europe", "Europe", "EU", KOREA)
    copy.replace("Pilots by region", "Pilots", "Pilot projects", KOREA)
    copy.replace("2021", "2021", "2021-22", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _, err = apply_cli(project, returned, capsys)
    assert code == 0, err
    assert (project / "chapters/01.md").read_text(encoding="utf-8") == GRID.replace(
        "| Europe   | 5       |", "| EU       | 5       |"
    ).replace("Pilots by region", "Pilot projects by region").replace("  2021      3", "  2021-22   3")


def test_a_cross_reference_emptied_in_a_copy_is_no_change(rich_base, rich_project, tmp_path, capsys):
    """The number a cross-reference shows is Word's to compute (LibreOffice empties it when it
    loses a bookmark on saving): references are compared by their target, so the Member's
    emptied "III" proposes nothing and the sources stay as they are."""
    copy = MemberCopy(rich_base)
    copy.replace("The SAFE Framework", "III", "", KOREA)
    returned = copy.save(tmp_path / "korea.docx")
    code, _out, err = apply_cli(rich_project, returned, capsys)
    assert code == 0, err
    assert _chapter(rich_project) == RESULTS
