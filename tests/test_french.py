"""A French symbol builds French everywhere: cover, summary, annex, header (DOCX and PDF)."""

from __future__ import annotations

import re
import zipfile

import pytest

from wcodoc.build import build_project

from .conftest import NS, W, docx_xml, has_libreoffice

FRENCH_YAML = """\
reference: PC0685Fa
title: Avenir de la douane
meeting: hybrid
sessions: [235, 236]
dates: {from: 2022-04-25, to: 2022-04-29}
issued: 2022-03-07
agenda_item: V
summary:
  purpose: Présenter l'étude.
  action: Le CTP est invité à en prendre note.
"""

USE_CASE = """\
---
id: kr-export
title: Plateforme de chaîne de blocs
member: Corée
region: asia-pacific
technologies: [blockchain]
status: pilot
year: 2021
---
## Contexte

Texte du contexte.
"""

EXPECTED = [
    "COMITÉ TECHNIQUE PERMANENT",
    "(RÉUNION HYBRIDE)",
    "235ème/236ème sessions",
    "25-29 avril 2022",
    "Bruxelles, le 7 mars 2022.",
    "(Point V de l’ordre du jour)",
    "RÉSUMÉ",
    "Objet du document",
    "Mesures requises du Comité technique permanent (CTP)",
    "Annexe au Doc. PC0685F",
    "Cas d’utilisation 1",
    "Chaîne de blocs",
    "Extrême-Orient, Asie du Sud et du Sud-Est",
]


@pytest.fixture(scope="module")
def french_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("french") / "PC0685F"
    (root / "chapters").mkdir(parents=True)
    (root / "annexes" / "use-cases").mkdir(parents=True)
    (root / "document.yaml").write_text(FRENCH_YAML, encoding="utf-8")
    (root / "chapters" / "01.md").write_text("# Introduction\n\nVoir @uc:kr-export.\n", encoding="utf-8")
    (root / "annexes" / "use-cases" / "01-kr.md").write_text(USE_CASE, encoding="utf-8")
    formats = ("docx", "pdf") if has_libreoffice() else ("docx",)
    return build_project(root, root / "build", formats, use_cache=False)


def docx_text(path) -> str:
    """Body text of a DOCX, line breaks and tabs read as spaces (the committee name wraps)."""
    doc = docx_xml(path)
    parts = []
    for node in doc.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab", f"{{{W}}}p"):
        parts.append(node.text or "" if node.tag == f"{{{W}}}t" else " ")
    return _flat("".join(parts))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_docx_text_is_french(french_build):
    text = docx_text(french_build.outputs["docx"])
    missing = [s for s in EXPECTED if s not in text]
    assert not missing, text[:1500]
    assert "SUMMARY" not in text and "Annex to Doc." not in text


def test_session_ordinals_are_superscript(french_build):
    doc = docx_xml(french_build.outputs["docx"])
    runs = doc.findall(".//w:r", NS)
    superscripts = [
        "".join(r.itertext())
        for r in runs
        if r.find("w:rPr/w:vertAlign", NS) is not None
        and r.find("w:rPr/w:vertAlign", NS).get(f"{{{W}}}val") == "superscript"
    ]
    assert superscripts.count("ème") == 2


def test_later_pages_header_names_french_symbol(french_build):
    with zipfile.ZipFile(french_build.outputs["docx"]) as z:
        parts = [z.read(n).decode() for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
    headers = [p for p in parts if "<w:hdr" in p]
    assert any(">PC0685F<" in h for h in headers)  # without the version letter


@pytest.mark.libreoffice
def test_pdf_text_is_french(french_build):
    import subprocess

    raw = subprocess.run(
        ["pdftotext", str(french_build.outputs["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = _flat(raw)
    missing = [s for s in EXPECTED if s not in text]
    assert not missing, text[:1500]
    # The header of the annex pages carries the symbol without its version letter.
    assert re.search(r"\bPC0685F\b", raw)


def test_a_project_chooses_the_short_ordinals_in_its_templates(tmp_path):
    root = tmp_path / "PC0685F"
    (root / "chapters").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "document.yaml").write_text(FRENCH_YAML, encoding="utf-8")
    (root / "chapters" / "01.md").write_text("# Introduction\n\nTexte.\n", encoding="utf-8")
    (root / "templates" / "labels-fr.yaml").write_text("ordinal_style: short\n", encoding="utf-8")
    result = build_project(root, root / "build", ("docx",), use_cache=False)
    text = docx_text(result.outputs["docx"])
    assert "235e/236e sessions" in text and "ème" not in text
