"""The annex of use cases as AST: front matter, overview table, numbered and labelled headings."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL_YAML
from tests.test_build import PNG_1PX
from tests.transform.test_usecases import case_text
from wcodoc.errors import Problems
from wcodoc.load.project import load_project
from wcodoc.transform.annex import build_annex
from wcodoc.transform.numbering import pandocast

CHAPTER = {"chapters/01.md": "# One\n\nText.\n"}
CASES = {
    "annexes/use-cases/01-kr.md": case_text(
        body="## Background\n\nFirst paragraph.\n\n## Solution\n\n- a bullet\n\n### Detail\n\nMore.\n"
    ),
    "annexes/use-cases/02-ke.md": case_text(
        id="ke-seals",
        title="Seals for transit",
        member="Kenya",
        region="east-southern-africa",
        technologies="[iot]",
        status="implemented",
        year="2019",
    ),
}


def annex_of(make_project, files=None, yaml=MINIMAL_YAML, name="project"):
    root = make_project({**CHAPTER, **(CASES if files is None else files)}, yaml=yaml, name=name)
    problems = Problems()
    return build_annex(load_project(root), problems), problems, root


def style_of(block) -> str:
    return dict(block["c"][0][2]).get("custom-style", "") if block["t"] == "Div" else block["t"]


def styled_texts(blocks) -> list[tuple[str, str]]:
    out = []
    for b in blocks:
        if b["t"] == "Header":
            out.append((f"Heading {b['c'][0]}", pandocast.stringify(b["c"][2])))
        elif b["t"] != "Table":
            out.append((style_of(b), pandocast.stringify(b["c"][1] if b["t"] == "Div" else b)))
    return out


def table_rows(table) -> tuple[list[str], list[list[str]]]:
    _attr, _caption, _specs, head, bodies, _foot = table["c"]

    def cells(row):
        return [pandocast.stringify(cell[4]) for cell in row[1]]

    return next(cells(r) for r in head[1]), [cells(r) for body in bodies for r in body[3]]


def test_annex_front_table_and_use_cases(make_project):
    annex, problems, _root = annex_of(make_project)
    assert not problems
    texts = styled_texts(annex.blocks)
    assert texts[:2] == [("Annex Heading", "Annex to Doc. PC0685Ea"), ("Annex Title", "Use cases")]
    (table,) = [b for b in annex.blocks if b["t"] == "Table"]
    header, rows = table_rows(table)
    assert header == ["No.", "Title", "Member", "Region", "Technologies", "Status"]
    assert rows == [
        [
            "1",
            "Ledger for export clearance",
            "Korea",
            "Far East, South and South East Asia, Australasia and the Pacific Islands",
            "Blockchain, Cloud computing",
            "Pilot",
        ],
        ["2", "Seals for transit", "Kenya", "East and Southern Africa", "Internet of things", "Implemented"],
    ]
    assert texts[2:] == [
        ("Use Case Heading", "Use case 1: Ledger for export clearance"),
        (
            "Use Case Meta",
            "Korea · Far East, South and South East Asia, Australasia and the Pacific Islands · "
            "Blockchain, Cloud computing · Pilot · 2021",
        ),
        ("Heading 3", "Background"),
        ("Annex Text", "First paragraph."),
        ("Heading 3", "Solution"),
        ("Bullet", "a bullet"),
        ("Heading 4", "Detail"),
        ("Annex Text", "More."),
        ("Use Case Heading", "Use case 2: Seals for transit"),
        ("Use Case Meta", "Kenya · East and Southern Africa · Internet of things · Implemented · 2019"),
        ("Heading 3", "Background"),
        ("Annex Text", "Some text."),
    ]
    # Annex paragraphs never take the body's numbering style.
    assert not [b for b in annex.blocks if style_of(b) == "Numbered Paragraph"]


def test_heading_is_a_numbered_target_its_number_the_label_mark(make_project):
    annex, _problems, _root = annex_of(make_project)
    headings = [b for b in annex.blocks if style_of(b) == "Use Case Heading"]
    assert [(h["c"][0][0], dict(h["c"][0][2])["number"]) for h in headings] == [("uc-1", "1"), ("uc-2", "2")]
    spans = [node for h in headings for node in h["c"][1][0]["c"] if node["t"] == "Span"]
    assert [(s["c"][0], pandocast.stringify(s)) for s in spans] == [
        (["", ["label"], [["key", "uc:kr-export"]]], "1"),
        (["", ["label"], [["key", "uc:ke-seals"]]], "2"),
    ]
    label = annex.labels["uc:ke-seals"]
    assert (label.key, label.number, label.anchor) == ("uc:ke-seals", "2", "uc-2")
    assert (label.path.name, label.line) == ("02-ke.md", 2)
    assert [s.path.name for s in annex.sources] == ["01-kr.md", "02-ke.md"]


def test_title_order_and_selection_from_document_yaml(make_project):
    yaml = MINIMAL_YAML + "annex:\n  title: Selected use cases\n  order: [technology, member]\n"
    annex, problems, _root = annex_of(make_project, yaml=yaml)
    assert not problems
    texts = styled_texts(annex.blocks)
    assert texts[1] == ("Annex Title", "Selected use cases")
    # blockchain precedes iot in the vocabulary
    assert [c.id for c in annex.use_cases] == ["kr-export", "ke-seals"]
    yaml = MINIMAL_YAML + "annex:\n  order: [member]\n  include: {technologies: [iot, ai-ml]}\n"
    annex, problems, _root = annex_of(make_project, yaml=yaml, name="selected")
    assert [c.id for c in annex.use_cases] == ["ke-seals"]
    assert annex.labels["uc:ke-seals"].number == "1"
    assert "uc:kr-export" not in annex.labels


def test_unknown_include_key_and_broken_case_are_reported_together(make_project):
    files = {**CASES, "annexes/use-cases/03-bad.md": case_text(id="bad-one", region="europa")}
    yaml = MINIMAL_YAML + "annex:\n  include:\n    regions: [afrika]\n"
    _annex, problems, _root = annex_of(make_project, files=files, yaml=yaml)
    messages = sorted(
        f"{p.path.name if hasattr(p.path, 'name') else p.path}:{p.line}: {p.message}" for p in problems.errors
    )
    assert len(messages) == 2
    assert messages[0].startswith("03-bad.md:5: region: unknown region 'europa' (did you mean 'europe'?)")
    assert messages[1].startswith("document.yaml:")
    assert "include.regions: unknown key 'afrika'" in messages[1]


def test_disabled_annex_and_no_use_cases_give_no_blocks(make_project):
    annex, problems, _ = annex_of(make_project, yaml=MINIMAL_YAML + "annex: false\n")
    assert (annex.blocks, annex.labels, list(problems)) == ([], {}, [])
    annex, problems, _ = annex_of(make_project, files={}, name="empty")
    assert (annex.blocks, annex.labels, list(problems)) == ([], {}, [])


def test_french_document_uses_french_labels_and_names(make_project):
    yaml = MINIMAL_YAML.replace("PC0685Ea", "PC0685Fa")
    annex, problems, _ = annex_of(make_project, yaml=yaml)
    assert not problems
    texts = styled_texts(annex.blocks)
    assert texts[:3] == [
        ("Annex Heading", "Annexe au Doc. PC0685Fa"),
        ("Annex Title", "Cas d’utilisation"),
        ("Use Case Heading", "Cas d’utilisation 1 : Ledger for export clearance"),
    ]
    header, rows = table_rows(next(b for b in annex.blocks if b["t"] == "Table"))
    assert header == ["N°", "Titre", "Membre", "Région", "Technologies", "Statut"]
    assert rows[0][3:] == [
        "Extrême-Orient, Asie du Sud et du Sud-Est, Australasie et îles du Pacifique",
        "Chaîne de blocs, Informatique en nuage",
        "Projet pilote",
    ]
    assert rows[1][3:] == ["Afrique orientale et australe", "Internet des objets", "Mis en œuvre"]


def test_contact_and_sources_lines(make_project):
    files = {"annexes/use-cases/01.md": case_text(contact="Unit X", sources='["Report 2021"]')}
    annex, problems, _ = annex_of(make_project, files=files)
    assert not problems
    assert styled_texts(annex.blocks)[-2:] == [
        ("Annex Text", "Contact: Unit X"),
        ("Annex Text", "Sources: Report 2021"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Text.\n\n![chart](media/none.png)\n", "image 'media/none.png' not found"),
        ("Text.\n\n![chart](../../../outside.png)\n", "is outside the project folder"),
        ("Text.\n\n```{=openxml}\n<w:p/>\n```\n", "raw openxml is not allowed"),
    ],
)
def test_body_images_and_raw_openxml_are_checked(make_project, body, expected):
    _annex, problems, _root = annex_of(make_project, files={"annexes/use-cases/01.md": case_text(body=body)})
    (problem,) = problems.errors
    assert expected in problem.message
    assert problem.path.name == "01.md" and problem.line and problem.line >= 10


def test_body_image_resolved_to_an_absolute_path(make_project):
    files = {
        "annexes/use-cases/media/chart.png": PNG_1PX,
        "annexes/use-cases/01.md": case_text(body="![chart](annexes/use-cases/media/chart.png)\n"),
    }
    annex, problems, root = annex_of(make_project, files=files)
    assert not problems
    images = []
    pandocast.walk(annex.blocks, lambda n: images.append(n["c"][2][0]) if n["t"] == "Image" else None)
    assert images == [str((root / "annexes/use-cases/media/chart.png").resolve())]
