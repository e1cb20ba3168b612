"""``wcodoc usecases list|new|import`` through click, and a built DOCX with its annex."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import NS, W, docx_xml, paragraphs
from tests.support.images import png as support_png
from tests.transform.test_usecases import case_text
from wcodoc.cli import cli
from wcodoc.errors import Problems, WcodocError
from wcodoc.load.housestyle import HouseStyle
from wcodoc.transform.usecases import load_use_cases
from wcodoc.workflow.usecasefiles import map_sections

POOL = {
    "chapters/01.md": "# One\n\nAs use case @uc:ke-seals shows, seals help.\n",
    "annexes/use-cases/01-kr.md": case_text(),
    "annexes/use-cases/02-ke.md": case_text(
        id="ke-seals",
        title="Seals for transit",
        member="Kenya",
        region="east-southern-africa",
        technologies="[iot]",
        status="implemented",
    ),
    "annexes/use-cases/03-br.md": case_text(
        id="br-faces",
        title="Faces at airports",
        member="Brazil",
        region="americas-caribbean",
        technologies="[biometrics, ai-ml]",
        status="pilot",
    ),
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def data_rows(output: str) -> list[str]:
    """The ids in the first cell-bearing column of rich's table."""
    ids = []
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 3 and cells[2] and cells[2] != "id":
            ids.append(cells[2])
    return ids


def test_list_prints_every_use_case_with_annex_numbers(make_project):
    root = make_project(POOL)
    result = run("usecases", "list", str(root))
    assert result.exit_code == 0, result.output
    assert data_rows(result.output) == ["kr-export", "ke-seals", "br-faces"]
    assert "East and Southern Africa" in result.output
    assert "Seals for transit" in result.output


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--technology", "blockchain", ["kr-export"]),
        ("--technology", "ai-ml", ["br-faces"]),
        ("--region", "east-southern-africa", ["ke-seals"]),
        ("--status", "pilot", ["kr-export", "br-faces"]),
    ],
)
def test_list_filters(make_project, option, value, expected):
    root = make_project(POOL)
    result = run("usecases", "list", str(root), option, value)
    assert result.exit_code == 0, result.output
    assert data_rows(result.output) == expected


def test_list_unknown_filter_lists_allowed_keys(make_project):
    root = make_project(POOL)
    result = run("usecases", "list", str(root), "--technology", "blokchain")
    assert result.exit_code == 2
    assert "unknown key 'blokchain' (did you mean 'blockchain'?)" in result.output
    assert "expected one of blockchain, iot, ai-ml" in result.output


def test_list_reports_every_broken_file(make_project):
    root = make_project({**POOL, "annexes/use-cases/04-x.md": case_text(id="x-one", year="soon")})
    result = run("usecases", "list", str(root))
    assert isinstance(result.exception, WcodocError)
    assert "04-x.md:8: year: expected a year" in str(result.exception)


def test_new_writes_the_next_number_from_the_template(make_project):
    root = make_project(POOL)
    result = run(
        "usecases",
        "new",
        "mx-robots",
        "--project",
        str(root),
        "--title",
        "Robots: the routine",
        "--member",
        "Mexico",
        "--region",
        "americas-caribbean",
        "--technologies",
        "rpa,ai-ml",
        "--year",
        "2022",
    )
    assert result.exit_code == 0, result.output
    path = root / "annexes/use-cases/04-mx-robots.md"
    assert path.is_file()
    problems = Problems()
    (case,) = load_use_cases([path], HouseStyle(), problems)
    assert not problems
    assert (case.id, case.title, case.member, case.technologies, case.status, case.year) == (
        "mx-robots",
        "Robots: the routine",
        "Mexico",
        ("rpa", "ai-ml"),
        "concept",
        2022,
    )
    assert "## Challenges and lessons learnt" in case.body
    again = run("usecases", "new", "mx-robots", "--project", str(root))
    assert isinstance(again.exception, WcodocError)
    assert "already used" in str(again.exception)


def test_new_without_values_leaves_placeholders_that_validation_names(make_project):
    root = make_project(POOL)
    assert run("usecases", "new", "zz-later", "--project", str(root)).exit_code == 0
    problems = Problems()
    load_use_cases([root / "annexes/use-cases/04-zz-later.md"], HouseStyle(), problems)
    assert sorted(p.message.split(":")[0] for p in problems.errors) == ["region", "technologies"]


def test_new_refuses_a_bad_id(make_project):
    root = make_project(POOL)
    result = run("usecases", "new", "Bad_Id", "--project", str(root))
    assert "not a valid label" in str(result.exception)
    assert not list((root / "annexes/use-cases").glob("04-*"))


# import from Word -----------------------------------------------------------------------------


def png(width: int = 4, height: int = 3) -> bytes:
    """A small red PNG (4 × 3 unless said otherwise)."""
    return support_png(width, height)


def submission(path: Path) -> Path:
    """A Member's Word file: a title, loosely named headings, a bold-line heading, a picture."""
    import docx

    document = docx.Document()
    document.add_paragraph("Smart seals for transit trucks", style="Title")
    document.add_heading("1. Context", 1)
    document.add_paragraph("Trucks cross three borders.")
    document.add_heading("What we did: the project", 1)
    document.add_paragraph("We fitted electronic seals.")
    document.add_picture(io.BytesIO(png()))
    document.add_paragraph().add_run("Results").bold = True
    document.add_paragraph("Transit is faster.")
    document.add_heading("Lessons learned", 2)
    document.add_paragraph("Train the staff early.")
    document.add_heading("Annex: photos", 2)
    document.add_paragraph("None.")
    document.save(str(path))
    return path


def test_map_sections_matches_loosely():
    sections = ["Background", "Solution", "Benefits", "Challenges and lessons learnt"]
    text = "# Title here\n\n# 1. Context\n\nA.\n\n**Benefit**\n\nB.\n\n## Other\n\nC.\n"
    body, found, title = map_sections(text, sections)
    assert title == "Title here"
    assert found == ["Background", "Benefits"]
    assert body == "## Background\n\nA.\n\n## Benefits\n\nB.\n\n### Other\n\nC.\n"


def test_import_docx_with_image_then_build(make_project, tmp_path):
    root = make_project(POOL)
    source = submission(tmp_path / "submission.docx")
    result = run(
        "usecases",
        "import",
        str(source),
        "--id",
        "ke-smart-seals",
        "--member",
        "Kenya",
        "--region",
        "east-southern-africa",
        "--technologies",
        "iot",
        "--year",
        "2020",
        "--project",
        str(root),
    )
    assert result.exit_code == 0, result.output
    path = root / "annexes/use-cases/04-ke-smart-seals.md"
    text = path.read_text(encoding="utf-8")
    problems = Problems()
    (case,) = load_use_cases([path], HouseStyle(), problems)
    assert not problems
    assert (case.title, case.member, case.region, case.technologies, case.status, case.year) == (
        "Smart seals for transit trucks",
        "Kenya",
        "east-southern-africa",
        ("iot",),
        "implemented",
        2020,
    )
    headings = [line for line in case.body.splitlines() if line.startswith("#")]
    assert headings == [
        "## Background",
        "## Solution",
        "## Benefits",
        "## Challenges and lessons learnt",
        "### Annex: photos",
    ]
    image = root / "annexes/use-cases/media/ke-smart-seals-image1.png"
    assert image.read_bytes() == png()
    assert "](annexes/use-cases/media/ke-smart-seals-image1.png)" in text
    assert str(tmp_path) not in text

    from wcodoc.build import build_project

    built = build_project(root, tmp_path / "out", ["docx"], use_cache=False)
    docx = built.outputs["docx"]
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 1
    texts = [t for s, t in paragraphs(docx_xml(docx)) if s == "UseCaseHeading"]
    assert texts[-1] == "Use case 4: Smart seals for transit trucks"


def test_import_refuses_taken_id_and_unknown_keys(make_project, tmp_path):
    root = make_project(POOL)
    source = submission(tmp_path / "submission.docx")
    base = ["usecases", "import", str(source), "--member", "Kenya", "--project", str(root)]
    taken = run(*base, "--id", "ke-seals", "--region", "europe", "--technologies", "iot")
    assert "already used" in str(taken.exception)
    bad = run(*base, "--id", "new-one", "--region", "europe", "--technologies", "iot,blokchain")
    assert bad.exit_code == 2
    assert "unknown key 'blokchain'" in bad.output
    assert sorted(p.name for p in (root / "annexes/use-cases").iterdir()) == [
        "01-kr.md",
        "02-ke.md",
        "03-br.md",
    ]


# the built document ---------------------------------------------------------------------------


def test_built_docx_has_annex_table_headings_and_ref_fields(make_project, tmp_path):
    from wcodoc.build import build_project

    root = make_project(POOL)
    built = build_project(root, tmp_path / "out", ["docx"], use_cache=False)
    doc = docx_xml(built.outputs["docx"])
    styled = paragraphs(doc)
    assert ("AnnexHeading", "Annex to Doc. PC0685Ea") in styled
    assert ("AnnexTitle", "Use cases") in styled
    assert [t for s, t in styled if s == "UseCaseHeading"] == [
        "Use case 1: Ledger for export clearance",
        "Use case 2: Seals for transit",
        "Use case 3: Faces at airports",
    ]
    # overview table: a repeating header row and one row per use case
    table = doc.findall(".//w:tbl", NS)[-1]
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    cells = [["".join(t.text for t in tc.iter(f"{{{W}}}t")) for tc in tr.findall("w:tc", NS)] for tr in rows]
    assert [c[:3] for c in cells] == [
        ["No.", "Title", "Member"],
        ["1", "Ledger for export clearance", "Korea"],
        ["2", "Seals for transit", "Kenya"],
        ["3", "Faces at airports", "Brazil"],
    ]
    # the number in the heading is bookmarked ...
    mark = doc.find(".//w:bookmarkStart[@w:name='uc_ke_seals']", NS)
    assert mark is not None
    assert "".join(mark.getnext().itertext()) == "2"
    # ... and @uc:ke-seals in the chapter is a REF field to it, showing 2
    chapter = next(p for p in doc.iter(f"{{{W}}}p") if "seals help" in "".join(p.itertext()))
    instr = "".join(t.text for t in chapter.iter(f"{{{W}}}instrText"))
    assert instr.strip() == r"REF uc_ke_seals \h"
    runs = list(chapter.iter(f"{{{W}}}r"))
    separate = next(
        i for i, r in enumerate(runs) if r.find("w:fldChar[@w:fldCharType='separate']", NS) is not None
    )
    assert "".join(runs[separate + 1].itertext()) == "2"
    assert "".join(t.text for t in chapter.iter(f"{{{W}}}t")) == "As use case 2 shows, seals help."
