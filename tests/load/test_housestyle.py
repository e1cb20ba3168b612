"""The house-style data (committees, terms, vocabularies) is checked like any other input.

Built-in files and a project's ``templates/`` overrides get the same located messages,
every problem of a file at once, through ``build`` and ``check`` alike.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_corpus import BASE, run_wcodoc, tree_digest
from wcodoc.errors import Problems, WcodocError
from wcodoc.load.housestyle import SHAPES, TERMS, HouseStyle, terms_file
from wcodoc.load.metadata import DOCUMENT_YAML
from wcodoc.load.project import load_project
from wcodoc.transform.annex import OVERVIEW_COLUMNS
from wcodoc.workflow.usecasefiles import SECTION_WORDS

BUILD = ["build", ".", "--format", "docx"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the corpus' small valid project."""
    return Path(shutil.copytree(BASE, tmp_path / "project"))


def override(root: Path, name: str, text: str) -> Path:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / name).write_text(text, encoding="utf-8")
    return root


def cli_lines(args: list[str], root: Path) -> list[str]:
    """What the user reads: ``check`` prints problems on stdout, a failed build on stderr."""
    before = tree_digest(root)
    result = run_wcodoc(args, root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert tree_digest(root) == before  # nothing written, not even build/
    return (result.stdout if args[0] == "check" else result.stderr).splitlines()


# --- through the real command line ------------------------------------------------------------


@pytest.mark.parametrize("args", [BUILD, ["check"]])
def test_wrong_type_in_a_terms_override(project, args):
    override(project, "labels-en.yaml", "# Our own notice.\nfooter_notice: 5\n")
    assert cli_lines(args, project) == [
        "templates/labels-en.yaml:2: footer_notice: expected text or a list of texts, got 5 [style]"
    ]


@pytest.mark.parametrize("args", [BUILD, ["check"]])
def test_wrong_type_in_a_vocabulary_override(project, args):
    override(project, "vocabularies.yaml", "regions: 5\n")
    assert cli_lines(args, project) == [
        "templates/vocabularies.yaml:1: regions: expected a mapping such as "
        "{europe: {en: Europe, fr: Europe}}, got 5 [style]"
    ]


def test_every_problem_of_every_file_in_one_run(project):
    override(
        project,
        "labels-en.yaml",
        "session_one: '{frist} Session'\ndate_range_same_year: [d MMMM]\nfooter_notise: [x]\n",
    )
    override(
        project, "vocabularies.yaml", "technologies:\n  quantum: {en: Quantum, fr: 7}\n  iot: Internet\n"
    )
    override(project, "committees.yaml", "pc: {}\nXY:\n  en: {name: Examples Committee}\n")
    assert cli_lines(["check"], project) == [
        "templates/committees.yaml:1: key 'pc': expected a body prefix of two capital letters, "
        "such as PC [style]",
        "templates/committees.yaml:3: XY.en: missing key 'abbr' [style]",
        "templates/labels-en.yaml:1: session_one: unknown placeholder {frist} in '{frist} Session'; "
        "expected {first} [style]",
        "templates/labels-en.yaml:2: date_range_same_year: expected 2 texts, got 1: ['d MMMM'] [style]",
        "templates/labels-en.yaml:3: unknown key 'footer_notise' (did you mean 'footer_notice'?); "
        "expected one of letterhead, meeting, ordinals, session_one, session_two, date, "
        "date_range_same_month, date_range_same_year, date_range_other_year, range_separator_same_month, "
        "… [style]",
        "templates/vocabularies.yaml:2: technologies.quantum.fr: expected text, got 7 [style]",
        "templates/vocabularies.yaml:3: technologies.iot: expected a mapping such as "
        "{en: Europe, fr: Europe}, got 'Internet' [style]",
    ]


def test_yaml_syntax_error_in_an_override(project):
    override(project, "committees.yaml", "PC: {en: [unclosed}\n")
    (line,) = cli_lines(BUILD, project)
    assert line.startswith("templates/committees.yaml:1: YAML syntax error: ")


def test_use_case_commands_outside_a_project_check_it_too(tmp_path):
    pool = tmp_path / "pool"
    (pool / "annexes" / "use-cases").mkdir(parents=True)
    override(pool, "vocabularies.yaml", "statuses: [pilot]\n")
    result = run_wcodoc(["usecases", "list", ".", "--status", "pilot"], pool)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "templates/vocabularies.yaml:1: statuses: expected a mapping such as "
        "{europe: {en: Europe, fr: Europe}}, got ['pilot'] [style]"
    ]


# --- the library ------------------------------------------------------------------------------


def test_builtin_data_fits_its_shapes():
    style = HouseStyle()
    for name in SHAPES:
        assert style.data(name), name  # raises, listing every problem, when it does not fit


def test_shapes_agree_with_the_code_that_reads_them():
    assert TERMS.fields["use_case_table"].count == OVERVIEW_COLUMNS
    assert TERMS.fields["use_case_sections"].count == len(SECTION_WORDS)


def test_an_override_changes_one_term_and_keeps_the_rest(project):
    override(project, terms_file("en"), "# Only this one.\nsummary: ABSTRACT\nordinals: {other: th.}\n")
    terms = load_project(project).style.terms("en")
    assert terms["summary"] == "ABSTRACT"
    assert terms["ordinals"] == {
        "exact": {},
        "last_two": {11: "th", 12: "th", 13: "th"},
        "last_one": {1: "st", 2: "nd", 3: "rd"},
        "other": "th.",
    }
    assert terms["purpose"] == HouseStyle().terms("en")["purpose"]


def test_one_text_where_lines_are_expected_is_one_line(project):
    override(project, terms_file("en"), "letterhead: WORLD CUSTOMS ORGANIZATION\n")
    assert load_project(project).style.terms("en")["letterhead"] == ["WORLD CUSTOMS ORGANIZATION"]


def test_an_override_of_comments_only_changes_nothing(project):
    override(project, "committees.yaml", "# Nothing to change yet.\n")
    assert load_project(project).style.prefixes == HouseStyle().prefixes


def test_a_new_committee_needs_the_document_language(project):
    override(project, "committees.yaml", "XY:\n  en: {name: Examples Committee, abbr: EC}\n")
    (project / DOCUMENT_YAML).write_text("reference: XY0001Fa\ntitle: Exemples\nissued: 2022-03-07\n")
    with pytest.raises(WcodocError) as info:
        load_project(project)
    assert [(p.line, p.code, p.message) for p in info.value.problems] == [
        (1, "style", "house style: committees.yaml has no name and abbr for 'XY' in language 'fr'")
    ]


def test_data_raises_every_problem_of_the_file(tmp_path):
    templates = override(tmp_path, "labels-fr.yaml", "header: 5\nsubtitle: '{titre}'\n") / "templates"
    with pytest.raises(WcodocError) as info:
        HouseStyle(templates).terms("fr")
    assert [(p.line, p.message) for p in info.value.problems] == [
        (1, "header: expected text, got 5"),
        (2, "subtitle: unknown placeholder {titre} in '{titre}'; expected {subtitle}"),
    ]


def test_check_leaves_out_the_terms_without_metadata(tmp_path):
    templates = override(tmp_path, "labels-en.yaml", "header: 5\n") / "templates"
    problems = Problems()
    HouseStyle(templates).check(problems)
    assert problems == []
