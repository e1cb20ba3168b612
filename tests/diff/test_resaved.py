"""A draft saved again by LibreOffice (as a delegate's editor would) is not a changed draft."""

import shutil
import subprocess
import sys

import pytest
from lxml import etree

from wcodoc.build import build_project
from wcodoc.diff.formatting import rpr_key
from wcodoc.pdf.convert import find_soffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rpr(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:rPr xmlns:w="{W}">{xml}</w:rPr>')


def test_restated_properties_are_not_formatting():
    restated = rpr(
        '<w:rFonts w:ascii="Times New Roman"/><w:color w:val="000000"/><w:kern w:val="0"/>'
        '<w:sz w:val="24"/><w:lang w:val="en-GB"/>'
    )
    assert rpr_key(restated) == rpr_key(None) == ()
    assert rpr_key(rpr("<w:b/>")) != ()
    assert rpr_key(rpr('<w:color w:val="FF0000"/>')) != ()
    assert rpr_key(rpr('<w:vertAlign w:val="superscript"/>')) != ()


@pytest.mark.libreoffice
def test_libreoffice_round_trip_shows_no_changes(make_project, tmp_path):
    root = make_project({"chapters/01.md": "# A\n\nOne **bold** word.\n\nItems:\n\na. x\nb. y\n"})
    docx = build_project(root, tmp_path / "built", ("docx",)).outputs["docx"]
    shutil.copy(docx, tmp_path / "orig.docx")
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(tmp_path / "resaved"),
            str(tmp_path / "orig.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = subprocess.run(
        [sys.executable, "-m", "wcodoc", "diff", "orig.docx", "resaved/orig.docx", "--exit-code"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("no changes")
