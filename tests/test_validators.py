"""Every DOCX and PDF the test corpus builds, checked by validators nobody here wrote.

openxml-audit (ISO 29500 schemas and Word's rules) on every DOCX kind: the sample, the
English and French publication projects (tables, figures, footnotes), a session report, a
redline and a review compilation, each made through the command line; outloud (PDF/UA-1, WCAG) and PDFBox
Preflight (PDF/A, the rules that PDF/A-2b shares with 1b) on every PDF. Each output is built
once per session and each validator runs once over all of them. Each validator is first
shown to catch a deliberately broken file, so that its silence on ours means something.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import has_libreoffice
from tests.support import validators
from tests.support.member_copy import MemberCopy
from tests.support.report import report_project

pytestmark = pytest.mark.libreoffice


def wcodoc(*args: str | Path, cwd: Path | None = None) -> None:
    """Run the real command line, as a user types it."""
    run = subprocess.run(
        [sys.executable, "-m", "wcodoc", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert run.returncode == 0, run.stderr


# --- the outputs, built once -----------------------------------------------------------------


@pytest.fixture(scope="session")
def redline(english_publication, tmp_path_factory) -> dict[str, Path]:
    """``wcodoc diff OLD NEW -o red.docx --pdf`` between the English publication project and
    a copy with a sentence and a table row changed."""
    old = english_publication.project.root
    folder = tmp_path_factory.mktemp("redline")
    new = Path(shutil.copytree(old, folder / "new", ignore=shutil.ignore_patterns("build")))
    chapter = new / "chapters" / "01.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("The Secretariat revised the study", "The Secretariat has revised the study")
    chapter.write_text(text.replace("| Mégadonnées 3 |", "| Big data 3 |"), encoding="utf-8")
    out = folder / "red.docx"
    wcodoc("diff", old, new, "-o", out, "--pdf", "--author", "WCO Secretariat")
    return {"docx": out, "pdf": out.with_suffix(".pdf")}


@pytest.fixture(scope="session")
def compilation(english_publication, tmp_path_factory) -> Path:
    """``wcodoc review collect BASE RETURNED -o compilation.docx`` with one Member's copy."""
    base = english_publication.outputs["docx"]
    folder = tmp_path_factory.mktemp("compilation")
    copy = MemberCopy(base)
    copy.replace("The Secretariat revised", "revised", "has revised", "Korea Customs")
    copy.comment("The Secretariat", "Korea Customs", "Please cite the survey.")
    returned = copy.save(folder / "korea.docx")
    out = folder / "compilation.docx"
    wcodoc("review", "collect", base, returned, "-o", out, "--member", "korea.docx=Korea Customs")
    return out


@pytest.fixture(scope="session")
def report(tmp_path_factory) -> dict[str, Path]:
    """``wcodoc build`` of a session report (``kind: report``: the table of agenda items, its
    ranges as references)."""
    root = report_project(tmp_path_factory.mktemp("report") / "report")
    wcodoc("build", root, "--format", "all" if has_libreoffice() else "docx")
    return {fmt: root / "build" / f"PC0700Ea.{fmt}" for fmt in ("docx", "pdf")}


@pytest.fixture(scope="session")
def outputs(
    sample_build, english_publication, french_publication, redline, compilation, report
) -> dict[str, Path]:
    """Every output to validate, by name (``KIND-format``)."""
    found = {
        "sample-docx": sample_build.outputs["docx"],
        "publication-en-docx": english_publication.outputs["docx"],
        "publication-fr-docx": french_publication.outputs["docx"],
        "redline-docx": redline["docx"],
        "compilation-docx": compilation,
        "report-docx": report["docx"],
    }
    if has_libreoffice():
        found |= {
            "sample-pdf": sample_build.outputs["pdf"],
            "publication-en-pdf": english_publication.outputs["pdf"],
            "publication-fr-pdf": french_publication.outputs["pdf"],
            "redline-pdf": redline["pdf"],
            "report-pdf": report["pdf"],
        }
    return found


# --- deliberately broken files ---------------------------------------------------------------


def broken_docx(good: Path, out: Path) -> Path:
    """``good`` with a style based on one that does not exist, and a row mark spelled true."""
    with zipfile.ZipFile(good) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(
        b"</w:styles>",
        b'<w:style w:type="paragraph" w:styleId="Broken"><w:name w:val="Broken"/>'
        b'<w:basedOn w:val="NoSuchStyle"/></w:style></w:styles>',
    )
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:cantSplit/>", b'<w:cantSplit w:val="true"/>'
    )
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def broken_pdf(good: Path, out: Path) -> Path:
    """``good`` with LibreOffice's faults put back: ``/Tabs (S)``, no PDF/UA claim, and the
    ``xmp:`` namespace declared on each property instead of on its ``rdf:Description``."""
    xmp = 'xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
    with pikepdf.open(good) as pdf:
        for page in pdf.pages:
            page.obj.Tabs = pikepdf.String("S")
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
        packet = re.sub(r"<pdfuaid:part>1</pdfuaid:part>", "", packet)
        packet = packet.replace(f"<rdf:Description {xmp}", "<rdf:Description")
        packet = re.sub(r"<xmp:(\w+)>", rf"<xmp:\1 {xmp}>", packet)
        pdf.Root.Metadata = pdf.make_stream(packet.encode("utf-8"))
        pdf.save(out)
    return out


@pytest.fixture(scope="session")
def broken(outputs, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("broken")
    found = {"docx": broken_docx(outputs["sample-docx"], folder / "broken.docx")}
    if "sample-pdf" in outputs:
        found["pdf"] = broken_pdf(outputs["sample-pdf"], folder / "broken.pdf")
    return found


# --- one run of each validator ---------------------------------------------------------------


def _of(outputs: dict[str, Path], broken: dict[str, Path], fmt: str) -> list[Path]:
    return [path for name, path in outputs.items() if name.endswith(fmt)] + [broken[fmt]]


@pytest.fixture(scope="session")
def word_report(outputs, broken):
    return validators.openxml_audit(_of(outputs, broken, "docx"))


@pytest.fixture(scope="session")
def ua_report(outputs, broken):
    return validators.outloud(_of(outputs, broken, "pdf"))


@pytest.fixture(scope="session")
def preflight_report(outputs, broken):
    if not validators.preflight_available():
        pytest.fail("PDFBox Preflight not installed: make test installs it (scripts/system-deps.sh)")
    return validators.preflight(_of(outputs, broken, "pdf"))


# --- the validators catch faults -------------------------------------------------------------


def test_openxml_audit_catches_a_dangling_style_and_a_mark_spelled_true(word_report, broken):
    found = "\n".join(word_report[broken["docx"]])
    assert "missing style 'NoSuchStyle'" in found
    assert "Value 'true'" in found


def test_outloud_catches_a_string_tab_order_and_a_missing_pdf_ua_claim(ua_report, broken):
    rules = {finding.split()[0] for finding in ua_report[broken["pdf"]]}
    assert {"LNK-005", "DOC-012"} <= rules


def test_preflight_catches_a_namespace_declared_on_a_property(preflight_report, broken):
    assert any(error.startswith("7.3 ") for error in preflight_report[broken["pdf"]]), preflight_report


# --- our outputs pass ----------------------------------------------------------------------------

DOCX = ["sample", "publication-en", "publication-fr", "redline", "compilation", "report"]
PDF = ["sample", "publication-en", "publication-fr", "report", "redline"]


@pytest.mark.parametrize("kind", DOCX)
def test_word_finds_no_error(word_report, outputs, kind):
    assert word_report[outputs[f"{kind}-docx"]] == []


@pytest.mark.parametrize("kind", PDF)
def test_pdf_ua_checker_finds_no_error(ua_report, outputs, kind):
    assert ua_report[outputs[f"{kind}-pdf"]] == []


@pytest.mark.parametrize("kind", PDF)
def test_pdf_a_preflight_finds_no_applicable_error(preflight_report, outputs, kind):
    assert preflight_report[outputs[f"{kind}-pdf"]] == []


def test_the_compilation_carries_nothing_of_pandocs_specimen(compilation):
    """No unreferenced footnote ("Footnote Text.", id 31), no relationship nothing uses (rId30),
    no external link to http://example.com: leftovers of pandoc's reference document."""
    with zipfile.ZipFile(compilation) as z:
        names = set(z.namelist())
        document = z.read("word/document.xml").decode("utf-8")
        notes = z.read("word/footnotes.xml").decode("utf-8") if "word/footnotes.xml" in names else ""
        rels = "".join(z.read(n).decode("utf-8") for n in names if n.endswith(".rels"))
    assert "Footnote Text." not in notes and 'w:id="31"' not in notes
    assert "example.com" not in rels and 'TargetMode="External"' not in rels
    used = set(re.findall(r'r:(?:id|embed)="([^"]+)"', document))
    document_rels = re.findall(r'Id="(rId\d+)"[^>]*Type="[^"]*/hyperlink"', rels)
    assert not set(document_rels) - used
