"""document.yaml validation: every problem, with its line, in one run."""

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_YAML
from wcodoc.check import check_project
from wcodoc.errors import WcodocError
from wcodoc.load.kinds import KIND_SCHEMAS
from wcodoc.load.metadata import PLACEHOLDERS
from wcodoc.load.project import load_project


def errors_of(make_project, yaml: str) -> list[str]:
    root = make_project({"chapters/01.md": "# A\n\nText.\n"}, yaml=yaml)
    with pytest.raises(WcodocError) as info:
        load_project(root)
    error = info.value
    problems = error.problems or [error]
    return [f"{p.path.name}:{p.line}: {p.message}" for p in problems]


def test_minimal_project_loads(make_project):
    root = make_project({"chapters/01.md": "# A\n\nText.\n"})
    project = load_project(root)
    meta = project.meta
    assert str(meta.symbol) == "PC0685Ea"
    assert meta.sessions == (235, 236)
    assert meta.dates.start == dt.date(2022, 4, 25) and meta.dates.end == dt.date(2022, 4, 29)
    assert meta.meeting == "hybrid" and meta.place == "Brussels"
    assert meta.summary.action.startswith("The PTC is invited to:")
    assert [p.name for p in project.chapters] == ["01.md"]


def test_all_errors_reported_with_lines(make_project):
    yaml = "reference: PC685\ntitle: T\nissued: 2022-02-30\nsesions: [1]\nmeeting: hybird\n"
    errors = errors_of(make_project, yaml)
    assert errors[0].startswith("document.yaml:1: reference: 'PC685' is not a document symbol")
    assert any(e.startswith("document.yaml:3: issued: '2022-02-30' is not a real date") for e in errors)
    assert any(e == "document.yaml:4: unknown key 'sesions' (did you mean 'sessions'?)" for e in errors)
    assert any(
        e.startswith("document.yaml:5: meeting: expected one of in-person") and "hybrid" in e for e in errors
    )


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("sessions: [235, 236]", "sessions: April"), "sessions: expected one or two session numbers"),
        (("sessions: [235, 236]", "sessions: [1, 2, 3]"), "sessions: expected one or two session numbers"),
        (("to: 2022-04-29", "to: 2022-04-20"), "dates: the range ends (2022-04-20) before it starts"),
        (("reference: PC0685Ea", "reference: ZZ0685Ea"), "reference: unknown body prefix 'ZZ'"),
        (("title: Future of Customs", "title: [a, b]"), "title: expected text"),
        (("issued: 2022-03-07", "issued: soon"), "issued: expected a date as YYYY-MM-DD"),
    ],
)
def test_single_errors(make_project, replace, expected):
    yaml = MINIMAL_YAML.replace(*replace)
    errors = errors_of(make_project, yaml)
    assert any(expected in e for e in errors), errors
    line = next(e for e in errors if expected in e).split(":")[1]
    assert line.isdigit()


def test_missing_required_keys(make_project):
    errors = errors_of(make_project, "meeting: hybrid\n")
    assert {e.split(": ", 1)[1] for e in errors} >= {
        "missing required key 'reference'",
        "missing required key 'title'",
        "missing required key 'issued'",
    }


def test_yaml_syntax_error_names_line(make_project):
    errors = errors_of(make_project, "reference: PC0685Ea\ntitle: [unclosed\nissued: 2022-03-07\n")
    assert errors[0].startswith("document.yaml:3: YAML syntax error")
    assert "starts on line 2" in errors[0]


def test_object_tags_refused(make_project):
    errors = errors_of(make_project, MINIMAL_YAML + "author: !!python/object/apply:os.system ['true']\n")
    assert "YAML tag" in errors[0] and "not allowed" in errors[0]


def test_alias_bomb_refused(make_project):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefghijklm", "bcdefghijklmn", strict=True)
    )
    errors = errors_of(make_project, MINIMAL_YAML + bomb)
    assert "aliases" in errors[0]


def test_listed_chapter_outside_project(make_project):
    errors = errors_of(make_project, MINIMAL_YAML + "chapters: [../secret.md]\n")
    assert any("outside the project folder" in e for e in errors)


def test_kind_defaults_to_the_working_document(make_project):
    assert load_project(make_project({"chapters/01.md": "# A\n\nText.\n"})).meta.kind == "working-document"


def test_unknown_kind_is_named_with_the_kinds_there_are(make_project):
    errors = errors_of(make_project, MINIMAL_YAML + "kind: working-documnet\n")
    assert errors == [
        "document.yaml:16: kind: expected one of working-document, report, got 'working-documnet' "
        "(did you mean 'working-document'?)"
    ]


def test_a_kind_chooses_its_keys(make_project):
    yaml = "kind: report\nreference: PC0685Ea\nissued: 2022-03-07\nsessions: [235, 236]\ndates: 2022-04-25\n"
    meta = load_project(make_project({"chapters/01.md": "# A\n\nText.\n"}, yaml=yaml)).meta
    assert (meta.kind, meta.title, meta.sessions) == ("report", "", (235, 236))


def test_a_key_the_kind_has_no_use_for_is_an_error(make_project):
    yaml = "kind: report\nreference: PC0685Ea\nissued: 2022-03-07\ntitle: Report\nagenda_item: V\n"
    assert errors_of(make_project, yaml) == [
        "document.yaml:1: missing required key 'sessions'",
        "document.yaml:1: missing required key 'dates'",
        "document.yaml:4: unknown key 'title' in a document of kind 'report'",
        "document.yaml:5: unknown key 'agenda_item' in a document of kind 'report'",
    ]


def test_a_report_takes_its_sessions_and_dates_from_the_session(tmp_path):
    (tmp_path / "session.yaml").write_text(
        "committee: PC\nsessions: [237, 238]\ndates: {from: 2024-04-22, to: 2024-04-26}\n"
    )
    project = tmp_path / "report"
    (project / "chapters").mkdir(parents=True)
    (project / "chapters" / "01.md").write_text("# A\n\nText.\n")
    (project / "document.yaml").write_text("kind: report\nreference: PC0701Ea\nissued: 2024-05-02\n")
    meta = load_project(project).meta
    assert (meta.kind, meta.sessions) == ("report", (237, 238))
    assert meta.dates is not None and meta.dates.end == dt.date(2024, 4, 26)


def test_a_wrong_kind_does_not_hide_the_chapters_problems(make_project):
    root = make_project({"chapters/01.md": "# A\n\nSee @par:nowhere.\n"}, yaml=MINIMAL_YAML + "kind: 5\n")
    found = [f"{Path(p.path).name}:{p.line}: {p.message}" for p in check_project(root)]
    assert found == [
        "01.md:3: unknown reference '@par:nowhere'",
        "document.yaml:16: kind: expected one of working-document, report, got 5",
    ]


def test_every_required_key_has_a_stand_in_for_going_on_after_errors():
    assert all(set(kind.required) <= set(PLACEHOLDERS) for kind in KIND_SCHEMAS.values())
