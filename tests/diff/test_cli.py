"""``wcodoc diff`` end to end: exit codes, formats, errors, project folders and git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from tests.conftest import pdf_text
from tests.diff.cli import run
from tests.support.synth import write_docx
from wcodoc.render.html5.page import STYLESHEET

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
OLD = [
    ("cover:reference", "PC0685Ea"),
    ("heading", "Intro"),
    ("para", "The first paragraph stays as it is."),
    ("para", "The second paragraph mentions twenty use cases."),
    ("para", "The third paragraph closes the chapter."),
]
NEW = [
    ("cover:reference", "PC0685Eb"),
    ("heading", "Intro"),
    ("para", "The first paragraph stays as it is."),
    ("para", "A freshly inserted paragraph."),
    ("para", "The second paragraph mentions thirty use cases."),
    ("para", "The third paragraph closes the chapter."),
]


@pytest.fixture
def drafts(tmp_path):
    return write_docx(tmp_path / "old.docx", OLD), write_docx(tmp_path / "new.docx", NEW)


def test_text_report_and_exit_codes(drafts, capsys):
    old, new = drafts
    code, out, _ = run(["diff", str(old), str(new)], capsys)
    assert code == 0
    assert "paragraph 2: inserted after paragraph 1" in out
    assert "paragraph 3 (was 2): modified" in out and "[-twenty-]{+thirty+}" in out
    assert run(["diff", str(old), str(new), "--exit-code"], capsys)[0] == 1
    assert run(["diff", str(old), str(old), "--exit-code"], capsys)[0] == 0


def test_json_markdown_html(drafts, capsys):
    old, new = drafts
    data = json.loads(run(["diff", str(old), str(new), "--format", "json"], capsys)[1])
    assert data["new"] == {"symbol": "PC0685Eb"}
    assert [(c["kind"], c["block"], c["old_number"], c["new_number"]) for c in data["changes"]] == [
        ("modified", "cover", None, None),
        ("inserted", "paragraph", None, "2"),
        ("modified", "paragraph", "2", "3"),
    ]
    markdown = run(["diff", str(old), str(new), "--format", "markdown"], capsys)[1]
    assert "~~twenty~~ **thirty**" in markdown
    html = run(["diff", str(old), str(new), "--format", "html"], capsys)[1]
    assert "<del>twenty</del>" in html and "<ins>thirty</ins>" in html and "http" not in html
    assert f"<style>{STYLESHEET}</style>" in html  # the page template the review compilation uses


def test_redline_written(drafts, tmp_path, capsys):
    old, new = drafts
    out = tmp_path / "out" / "red.docx"
    code, _, err = run(["diff", str(old), str(new), "-o", str(out), "--author", "Sec"], capsys)
    assert code == 0 and "tracked changes" in err
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    assert root.xpath("//w:del/w:r/w:delText/text()", namespaces=NS) == ["PC0685Ea", "twenty"]


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken"])
def test_errors_exit_2_with_one_line(drafts, tmp_path, capsys, content):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    code, _, err = run(["diff", str(bad), str(drafts[1])], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "bad.docx" in err and "Traceback" not in err


def test_missing_input_exits_2(drafts, capsys):
    code, _, err = run(["diff", "no-such-thing", str(drafts[1])], capsys)
    assert code == 2 and "no such file, project folder or git revision" in err


CHAPTER = """\
# Introduction

The first paragraph of the project.

The second paragraph, which an editor will change.

The third paragraph stays.
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revision_and_project_folder(make_project, monkeypatch, capsys):
    project = make_project({"chapters/01-intro.md": CHAPTER, ".gitignore": "build/\n"})

    def git(*args):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first")
    chapter = project / "chapters/01-intro.md"
    chapter.write_text(CHAPTER.replace("an editor will change", "an editor changed"))
    monkeypatch.chdir(project)
    code, out, err = run(["diff", "HEAD", "--format", "json", "--exit-code"], capsys)
    assert code == 1, err
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["new_number"]) for c in changes] == [("modified", "2")]
    assert "editor changed" in chapter.read_text()  # working tree untouched
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert status.split() == ["M", "chapters/01-intro.md"]


@pytest.mark.libreoffice
def test_pdf_shows_old_and_new_words(drafts, tmp_path, capsys):
    old, new = drafts
    out = tmp_path / "red.docx"
    code, _, err = run(["diff", str(old), str(new), "-o", str(out), "--pdf"], capsys)
    assert code == 0, err
    text = pdf_text(out.with_suffix(".pdf"))
    assert "twenty" in text and "thirty" in text and "freshly inserted" in text


def test_sample_document_against_an_edited_copy(tmp_path, capsys):
    """The repository's sample project, built twice: the report lists exactly the edits."""
    from tests.conftest import ROOT

    for name in ("old", "new"):
        (tmp_path / name).mkdir()
        shutil.copy(ROOT / "document.yaml", tmp_path / name)
        shutil.copytree(ROOT / "chapters", tmp_path / name / "chapters")
        shutil.copytree(ROOT / "annexes", tmp_path / name / "annexes")
    new = tmp_path / "new"
    objective = new / "chapters/02-objective.md"
    text = objective.read_text()
    paragraphs = text.split("\n\n")
    deleted = paragraphs.pop(4)  # the fourth paragraph of the chapter (paragraph 7)
    paragraphs.insert(3, "A new paragraph explains the timeline of the revision.")
    text = "\n\n".join(paragraphs).replace("complemented by 20 use cases", "complemented by twenty use cases")
    objective.write_text(text)
    meta = new / "document.yaml"
    meta.write_text(meta.read_text().replace("issued: 2022-03-07", "issued: 2022-03-14"))
    red = tmp_path / "red.docx"
    code, out, err = run(
        ["diff", str(tmp_path / "old"), str(new), "--format", "json", "-o", str(red)], capsys
    )
    assert code == 0, err
    changes = [
        (c["kind"], c["block"], c.get("field"), c["old_number"], c["new_number"])
        for c in json.loads(out)["changes"]
    ]
    assert changes == [
        ("modified", "cover", "issued", None, None),
        ("modified", "paragraph", None, "4", "4"),
        ("inserted", "paragraph", None, None, "6"),
        ("deleted", "paragraph", None, "7", None),
    ]
    assert deleted.split()[0] in " ".join(
        etree.fromstring(zipfile.ZipFile(red).read("word/document.xml")).xpath(
            "//w:del/w:r/w:delText/text()", namespaces=NS
        )
    )
