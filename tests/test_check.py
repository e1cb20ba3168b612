"""``wcodoc check``: the lint warnings, strict mode, the output format, and build agreeing with it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, docx_xml, paragraphs
from tests.test_corpus import tree_digest
from wcodoc.build import build_project
from wcodoc.check import check_project
from wcodoc.cli import main
from wcodoc.errors import WcodocError
from wcodoc.transform.lint import LONG_PARAGRAPH_WORDS

INTRO = "# Introduction\n\nThe first paragraph of the document.\n"


def run(args, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err


def found(problems) -> list[tuple[str, int | None, str, bool]]:
    """(file name, line, code, is error) of each problem, for compact assertions."""
    return [(p.path.name if p.path else None, p.line, p.code, p.is_error) for p in problems]


def test_sample_document_is_clean(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert check_project(ROOT) == []
    assert run(["check"], capsys) == (0, "", "")


def test_check_writes_nothing(make_project):
    root = make_project({"chapters/01.md": INTRO + "\n7. A typed number.\n"})
    before = tree_digest(root)
    assert check_project(root)  # there is a warning to report
    assert tree_digest(root) == before


# --- empty sections --------------------------------------------------------------------------


def test_empty_section_before_the_next_heading(make_project):
    root = make_project({"chapters/01.md": "# Empty\n\n# Full\n\nSome text.\n"})
    assert found(check_project(root)) == [("01.md", 1, "empty-section", False)]


def test_empty_section_at_the_end_of_the_document(make_project):
    last = "Text.\n\n```\n# not a heading\n```\n\n# Last\n"
    root = make_project({"chapters/01.md": INTRO, "chapters/02.md": last})
    assert found(check_project(root)) == [("02.md", 7, "empty-section", False)]


def test_section_with_only_subsections_is_not_empty(make_project):
    root = make_project({"chapters/01.md": "# Parent\n\n## Child\n\nText under the child.\n"})
    assert check_project(root) == []


def test_empty_subsection_is_reported(make_project):
    root = make_project({"chapters/01.md": "# Parent\n\n## Empty child\n\n## Child\n\nText.\n"})
    assert found(check_project(root)) == [("01.md", 3, "empty-section", False)]


def test_section_may_continue_in_the_next_chapter(make_project):
    root = make_project({"chapters/01.md": "# Title only\n", "chapters/02.md": "Text of the section.\n"})
    assert check_project(root) == []


# --- long paragraphs -------------------------------------------------------------------------


def _words(count: int) -> str:
    return " ".join(f"word{i}" for i in range(count))


def test_long_paragraph_is_located(make_project):
    text = INTRO + "\nShort one.\n\n" + _words(LONG_PARAGRAPH_WORDS + 1) + "\n"
    root = make_project({"chapters/01.md": text})
    problems = check_project(root)
    assert found(problems) == [("01.md", 7, "long-paragraph", False)]
    assert f"({LONG_PARAGRAPH_WORDS + 1} words" in problems[0].message


def test_paragraph_at_the_threshold_is_fine(make_project):
    root = make_project({"chapters/01.md": INTRO + "\n" + _words(LONG_PARAGRAPH_WORDS) + "\n"})
    assert check_project(root) == []


# --- typed numbers ---------------------------------------------------------------------------


def test_typed_numbers_are_warned_line_by_line(make_project):
    text = INTRO + "\n7. Typed by hand.\n8. Another one.\n\nText.\n"
    root = make_project({"chapters/01.md": text})
    assert found(check_project(root)) == [
        ("01.md", 5, "typed-number", False),
        ("01.md", 6, "typed-number", False),
    ]


def test_numbers_inside_text_and_code_are_not_typed_numbers(make_project):
    text = INTRO + "\nAdopted in June\n2019. Then revised.\n\n```\n1. code\n```\n\na. A sub-item.\n"
    root = make_project({"chapters/01.md": text})
    assert check_project(root) == []


def test_typed_number_still_builds_as_numbered_paragraphs(make_project, tmp_path):
    root = make_project({"chapters/01.md": INTRO + "\n7. Typed by hand.\n"})
    result = build_project(root, tmp_path / "out", ["docx"], use_cache=False)
    assert [w.code for w in result.warnings] == ["typed-number"]
    styles = [(style, text) for style, text in paragraphs(docx_xml(result.outputs["docx"])) if "hand" in text]
    assert styles == [("NumberedParagraph", "Typed by hand.")]


# --- raw HTML --------------------------------------------------------------------------------


def test_raw_html_is_warned_once_a_line_and_comments_are_not(make_project):
    text = INTRO + "\n<!-- a note to co-authors -->\n\nSome <b>bold</b> text.\n"
    root = make_project({"chapters/01.md": text})
    (problem,) = check_project(root)
    assert found([problem]) == [("01.md", 7, "raw", False)]
    assert problem.message == "raw html is ignored in the Word output: '<b> </b>'"


# --- errors, strict mode and the command line ------------------------------------------------


def test_errors_come_before_warnings(make_project, capsys, monkeypatch):
    text = INTRO + "\n7. Typed.\n\nSee @par:nowhere.\n"
    root = make_project({"chapters/01.md": text})
    monkeypatch.chdir(root)
    status, out, err = run(["check"], capsys)
    assert status == 1
    assert err == ""
    assert out.splitlines() == [
        "chapters/01.md:7: unknown reference '@par:nowhere' [xref]",
        "warning: chapters/01.md:5: paragraph starts with a typed number '7.': wcodoc numbers "
        "paragraphs itself, so remove it (use 'a.' for sub-items) [typed-number]",
    ]


def test_check_and_build_print_the_same_lines(make_project, capsys, monkeypatch):
    text = INTRO + "\n7. Typed.\n\nSee @par:nowhere.\n"
    monkeypatch.chdir(make_project({"chapters/01.md": text}))
    checked = run(["check"], capsys)[1].splitlines()
    status, out, err = run(["build", "--format", "docx"], capsys)
    assert status == 1 and out == ""
    assert err.splitlines() == checked[:1] == ["chapters/01.md:7: unknown reference '@par:nowhere' [xref]"]
    text = INTRO + "\n7. Typed.\n"
    (Path("chapters") / "01.md").write_text(text, encoding="utf-8")
    checked = run(["check"], capsys)[1].splitlines()
    status, _, err = run(["build", "--format", "docx"], capsys)
    assert (
        status == 0 and checked == err.splitlines() and checked[0].startswith("warning: chapters/01.md:5: ")
    )


def test_warnings_fail_only_with_strict(make_project, capsys):
    root = make_project({"chapters/01.md": "# Empty\n"})
    status, out, _ = run(["check", str(root)], capsys)
    assert status == 0
    assert out.startswith("warning: ") and out.rstrip().endswith("[empty-section]")
    status, out, _ = run(["check", str(root), "--strict"], capsys)
    assert status == 1
    assert out.rstrip().endswith("[empty-section]") and not out.startswith(("warning", "error"))
    assert all(p.is_error for p in check_project(root, strict=True))


def test_every_bad_chapter_is_reported_in_one_run(make_project):
    root = make_project({"chapters/01.md": INTRO, "chapters/02.md": b"\xff\xfe", "chapters/03.md": "  \n"})
    assert found(check_project(root)) == [("02.md", 1, "chapter", True), ("03.md", 1, "chapter", True)]


def test_build_stops_on_what_check_reports(make_project, tmp_path):
    root = make_project({"chapters/01.md": INTRO, "chapters/02.md": "<!-- only a comment -->\n"})
    with pytest.raises(WcodocError) as info:
        build_project(root, tmp_path / "out", ["docx"], use_cache=False)
    assert [p.code for p in info.value.problems] == ["chapter"]
    assert not (tmp_path / "out").exists()


# --- house style -----------------------------------------------------------------------------


def _docx_without_styles() -> bytes:
    buffer = io.BytesIO()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", f"<w:document {w}><w:body/></w:document>")
        z.writestr(
            "word/styles.xml",
            f'<w:styles {w}><w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>',
        )
    return buffer.getvalue()


def test_template_without_house_styles(make_project):
    root = make_project({"chapters/01.md": INTRO, "templates/reference.docx": _docx_without_styles()})
    problems = check_project(root)
    assert found(problems) == [("reference.docx", None, "style", True)]
    assert "Numbered Paragraph" in problems[0].message


def test_committee_without_french_names(make_project):
    yaml = "reference: PC0685Fa\ntitle: Avenir de la douane\nissued: 2022-03-07\n"
    committees = "PC:\n  fr: {name: '', abbr: ''}\n"
    root = make_project({"chapters/01.md": INTRO, "templates/committees.yaml": committees}, yaml=yaml)
    problems = check_project(root)
    assert ("document.yaml", 1, "style", True) in found(problems)


def test_broken_labels_override(make_project):
    root = make_project({"chapters/01.md": INTRO, "templates/labels-en.yaml": "summary: [unclosed\n"})
    assert found(check_project(root)) == [("labels-en.yaml", 2, "yaml", True)]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"document.yaml": "title: [unclosed\n"}, ("document.yaml", 2, "yaml")),
        (
            {"document.yaml": "reference: PC0685Ea\ntitle: Caf\xe9\n".encode("latin-1")},
            ("document.yaml", 2, "meta"),
        ),
        ({"chapters/01.md": INTRO, "session.yaml": "committee: 'PC\n"}, ("session.yaml", 2, "yaml")),
    ],
)
def test_an_error_raised_on_loading_keeps_the_code_it_was_raised_with(
    make_project, tmp_path, files, expected
):
    from tests.conftest import write_project

    root = make_project({"chapters/01.md": INTRO})
    if "session.yaml" in files:  # the session folder around the project
        write_project(root.parent, {"session.yaml": files.pop("session.yaml")})
    write_project(root, files)
    assert [(p.path.name, p.line, p.code) for p in check_project(root)] == [expected]


def test_an_error_raised_without_a_code_is_a_load_error(tmp_path):
    (problem,) = check_project(tmp_path)
    assert (problem.code, problem.message) == ("load", "not a wcodoc project: document.yaml not found")


# --- language pairs --------------------------------------------------------------------------


def test_pair_reports_structural_differences(make_project, capsys):
    en = make_project({"chapters/01.md": INTRO + "\nA second paragraph.\n"}, name="en")
    fr_yaml = "reference: PC0685Fa\ntitle: Avenir de la douane\nissued: 2022-03-07\n"
    fr_text = "# Introduction\n\nLe premier paragraphe.\n"
    fr = make_project({"chapters/01.md": fr_text}, yaml=fr_yaml, name="fr")
    status, out, _ = run(["check", "--pair", str(en), str(fr)], capsys)
    assert status == 1
    assert not out.startswith("warning: ") and "[pair]" in out
    assert run(["check", "--pair", str(en), str(en)], capsys) == (0, "", "")


def test_use_case_missing_a_section_is_a_warning(make_project):
    from wcodoc.check import check_project

    case = (
        "---\nid: xx-test\ntitle: A test case\nmember: Testland\nregion: europe\n"
        "technologies: [iot]\nstatus: pilot\nyear: 2021\n---\n\n"
        "## Background\n\nWhy.\n\n## Solution\n\nHow.\n\n## Challenges and lessons learnt\n\nHard.\n"
    )
    root = make_project({"chapters/01.md": "# A\n\nOne.\n", "annexes/use-cases/01-xx-test.md": case})
    problems = check_project(root)
    assert [(p.code, p.message, p.path.name) for p in problems] == [
        ("use-case-section", "use case has no '## Benefits' section", "01-xx-test.md")
    ]
    assert not problems[0].is_error


# --- every problem in one run (issue 10) ---------------------------------------------------

BROKEN_META = "reference: PC0685Ea\ntitle: T\nissued: 7 March 2023\n"
BROKEN_BODY = INTRO + "\nSee @par:missing.\n\n![A chart](images/missing.png)\n"


def test_a_metadata_error_does_not_hide_the_bodys(make_project, capsys):
    root = make_project({"chapters/01.md": BROKEN_BODY}, yaml=BROKEN_META)
    before = tree_digest(root)
    assert [(name, line, code) for name, line, code, _ in found(check_project(root))] == [
        ("01.md", 5, "xref"),
        ("01.md", 7, "image"),
        ("document.yaml", 3, "meta"),
    ]
    for command in (["check", str(root)], ["build", str(root), "--format", "docx", "--no-cache"]):
        status, out, err = run(command, capsys)
        text = out + err
        assert status == 1, text
        assert "document.yaml:3: issued:" in text and "unknown reference '@par:missing'" in text
        assert "missing.png" in text
    assert tree_digest(root) == before  # nothing written, with the stand-in metadata either


def test_a_rebuild_repeats_the_warnings_of_unchanged_chapters(make_project, tmp_path):
    long = _words(LONG_PARAGRAPH_WORDS + 1)
    root = make_project({"chapters/01.md": INTRO + "\n7. Typed by hand.\n\n" + long + "\n"})
    first = build_project(root, tmp_path / "out", ["docx"])
    again = build_project(root, tmp_path / "out", ["docx"])  # the lint of 01.md from the cache
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert [w.code for w in first.warnings] == ["long-paragraph", "typed-number"]
