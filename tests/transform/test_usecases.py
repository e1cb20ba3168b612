"""Use-case sources: validation with file:line, selection and order."""

from __future__ import annotations

from pathlib import Path

import pytest

from wcodoc.errors import Problems, WcodocError
from wcodoc.load.housestyle import HouseStyle
from wcodoc.load.metadata import AnnexSettings
from wcodoc.parse.reader import ContentCache
from wcodoc.transform.usecases import check_selection, load_use_cases, order, select

STYLE = HouseStyle()

FRONT = {
    "id": "kr-export",
    "title": "Ledger for export clearance",
    "member": "Korea",
    "region": "asia-pacific",
    "technologies": "[blockchain, cloud]",
    "status": "pilot",
    "year": "2021",
}
BODY = "## Background\n\nSome text.\n"


def case_text(body: str = BODY, drop: tuple[str, ...] = (), **values: str) -> str:
    """A use-case file: ``---``, one ``key: value`` line per field (in FRONT order), ``---``."""
    fields = {**FRONT, **values}
    lines = [f"{k}: {v}" for k, v in fields.items() if k not in drop]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(*paths: Path) -> tuple[list, Problems]:
    problems = Problems()
    return load_use_cases(paths, STYLE, problems), problems


def test_valid_file_loads_every_field(tmp_path):
    text = case_text(contact="Ms A. Example", sources='["Report, 2021", "https://example.org"]')
    (case,), problems = load(write(tmp_path, "01-kr.md", text))
    assert not problems
    assert (case.id, case.title, case.member, case.region) == (
        "kr-export",
        "Ledger for export clearance",
        "Korea",
        "asia-pacific",
    )
    assert case.technologies == ("blockchain", "cloud")
    assert (case.status, case.year, case.contact) == ("pilot", 2021, "Ms A. Example")
    assert case.sources == ("Report, 2021", "https://example.org")
    assert case.line == 2  # the id line, where uc:kr-export is defined
    assert case.body_line == 12
    assert case.body.startswith("## Background")
    assert case.label == "uc:kr-export"


# (description, file text, expected message part, expected line)
ERRORS = [
    ("missing field", case_text(drop=("member",)), "missing required field 'member'", 1),
    (
        "unknown region",
        case_text(region="asia"),
        "region: unknown region 'asia' (did you mean 'asia-pacific'?); expected one of "
        "east-southern-africa, west-central-africa, mena, europe, asia-pacific, americas-caribbean",
        5,
    ),
    (
        "unknown technology",
        case_text(technologies="[blockchain,\n  blokchain]"),
        "technologies: unknown technology 'blokchain' (did you mean 'blockchain'?); expected one of "
        "blockchain, iot",
        7,
    ),
    ("unknown status", case_text(status="piolt"), "unknown status 'piolt' (did you mean 'pilot'?)", 7),
    ("bad YAML", case_text(title="[unclosed"), "YAML syntax error", 4),
    ("empty body", case_text(body="\n  \n"), "empty body", 9),
    ("year a word", case_text(year="twenty"), "year: expected a year between 1950 and 2100", 8),
    ("year too short", case_text(year="21"), "got 21", 8),
    ("id not a label", case_text(id="KR_Export"), "id: 'KR_Export' is not a valid label", 2),
    ("unknown field", case_text(regoin="europe"), "unknown field 'regoin' (did you mean 'region'?)", 9),
    ("empty title", case_text(title='""'), "title: expected text", 3),
    ("no technologies", case_text(technologies="[]"), "technologies: expected a list of keys", 6),
    ("no front matter", "## Background\n\nText.\n", "expected YAML front matter", 1),
    ("unclosed front matter", "---\nid: x\n\n## Background\n", "front matter is not closed", 1),
    ("not a mapping", "---\n- a\n- b\n---\nText.\n", "front matter: expected keys", 1),
]


@pytest.mark.parametrize(("text", "expected", "line"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_each_validation_error_names_file_and_line(tmp_path, text, expected, line):
    path = write(tmp_path, "01-kr.md", text)
    cases, problems = load(path)
    assert cases == []
    messages = [p.message for p in problems.errors]
    assert any(expected in m for m in messages), messages
    problem = next(p for p in problems.errors if expected in p.message)
    assert (Path(problem.path), problem.line) == (path, line)
    assert str(problem).startswith(f"{path}:{line}: ")


def test_all_problems_of_all_files_in_one_run(tmp_path):
    folder = tmp_path / "annexes" / "use-cases"
    first = write(folder, "01-a.md", case_text(id="a-case", region="asia", status="done"))
    second = write(folder, "02-b.md", case_text(id="b-case", year="next"))
    good = write(folder, "03-c.md", case_text(id="c-case"))
    cases, problems = load(first, second, good)
    assert [c.id for c in cases] == ["c-case"]
    where = sorted((Path(p.path).name, p.line) for p in problems.errors)
    assert where == [("01-a.md", 5), ("01-a.md", 7), ("02-b.md", 8)]
    with pytest.raises(WcodocError) as info:
        problems.raise_if_errors()
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{first}:5: region: unknown region 'asia'")


def test_duplicate_id_names_both_files(tmp_path):
    one = write(tmp_path, "01-a.md", case_text())
    two = write(tmp_path, "02-b.md", case_text(title="Another"))
    cases, problems = load(one, two)
    assert [c.path for c in cases] == [one]
    (problem,) = problems.errors
    assert (Path(problem.path), problem.line) == (two, 2)
    assert problem.message == "duplicate id 'kr-export': already used by 01-a.md:2"


def test_extended_vocabulary_from_project_templates(tmp_path):
    templates = tmp_path / "templates"
    extra = "technologies:\n  quantum: {en: Quantum computing, fr: Quantique}\n"
    write(templates, "vocabularies.yaml", extra)
    style = HouseStyle(templates)
    problems = Problems()
    (case,) = load_use_cases([write(tmp_path, "01.md", case_text(technologies="[quantum]"))], style, problems)
    assert not problems
    assert style.display_name("technologies", case.technologies[0], "en") == "Quantum computing"


# selection and order ------------------------------------------------------------------------


@pytest.fixture
def pool(tmp_path):
    specs = [
        ("01-z.md", "zz-one", "Zambia", "east-southern-africa", "[iot]", "pilot"),
        ("02-a.md", "aa-two", "Austria", "europe", "[blockchain]", "implemented"),
        ("03-k.md", "kk-three", "Korea", "asia-pacific", "[blockchain, iot]", "pilot"),
        ("04-b.md", "bb-four", "Brazil", "americas-caribbean", "[ai-ml]", "concept"),
    ]
    paths = [
        write(tmp_path, name, case_text(id=i, member=m, region=r, technologies=t, status=s))
        for name, i, m, r, t, s in specs
    ]
    cases, problems = load(*paths)
    assert not problems
    return cases


def ids(cases) -> list[str]:
    return [c.id for c in cases]


def test_default_order_is_file_order(pool):
    assert ids(order(pool)) == ["zz-one", "aa-two", "kk-three", "bb-four"]


def test_order_by_technology_then_member_follows_the_vocabulary(pool):
    # blockchain comes before iot and ai-ml in the vocabulary; members sort within a technology.
    assert ids(order(pool, ("technology", "member"), STYLE)) == ["aa-two", "kk-three", "zz-one", "bb-four"]


def test_order_by_member_and_by_region(pool):
    assert ids(order(pool, ("member",), STYLE)) == ["aa-two", "bb-four", "kk-three", "zz-one"]
    assert ids(order(pool, ("region",), STYLE)) == ["zz-one", "aa-two", "kk-three", "bb-four"]


def test_select_by_technology_region_status_and_id(pool):
    assert ids(select(pool, AnnexSettings(include={"technologies": ("iot",)}))) == ["zz-one", "kk-three"]
    both = AnnexSettings(include={"technologies": ("blockchain",), "statuses": ("pilot",)})
    assert ids(select(pool, both)) == ["kk-three"]
    assert ids(select(pool, AnnexSettings(include={"regions": ("europe", "asia-pacific")}))) == [
        "aa-two",
        "kk-three",
    ]
    assert ids(select(pool, AnnexSettings(include={"ids": ("bb-four",)}))) == ["bb-four"]
    assert ids(select(pool, AnnexSettings())) == ids(pool)


def test_unknown_selection_keys_are_errors(pool, tmp_path):
    settings = AnnexSettings(include={"technologies": ("blokchain",), "ids": ("kk-tree",)})
    problems = Problems()
    check_selection(settings, pool, STYLE, (tmp_path / "document.yaml", 12), problems)
    messages = [p.message for p in problems.errors]
    assert messages[0].startswith("annex: include.technologies: unknown key 'blokchain' (did you mean")
    assert "expected one of blockchain, iot" in messages[0]
    assert messages[1].startswith("annex: include.ids: unknown key 'kk-tree' (did you mean 'kk-three'?)")
    assert all(p.line == 12 for p in problems.errors)


def test_a_clean_file_comes_from_the_cache_and_a_faulty_one_is_read_again(tmp_path):
    cache = ContentCache(tmp_path / "cache")
    good = write(tmp_path / "cases", "01-kr.md", case_text(contact="Ms A. Example"))
    bad = write(tmp_path / "cases", "02-bad.md", case_text(id="other", year="1800"))
    first, second = Problems(), Problems()
    read = load_use_cases([good, bad], STYLE, first, cache=cache)
    again = load_use_cases([good, bad], STYLE, second, cache=cache)
    assert again == read == load(good)[0]
    assert again[0].lines == read[0].lines
    assert (cache.hits, cache.misses) == (1, 3)  # the faulty file is never cached
    assert [str(p) for p in second] == [str(p) for p in first] != []
