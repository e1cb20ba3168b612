"""The same two drafts give the same redline, byte for byte: its revisions carry the new
draft's own date (docProps/core.xml), not the time of the comparison."""

from __future__ import annotations

import re
import zipfile

from tests.support.synth import write_docx
from wcodoc.diff import compare_files, redline

OLD = [("heading", "Introduction"), ("para", "Members agreed on the pilot."), ("para", "Gone soon.")]
NEW = [("heading", "Introduction"), ("para", "Members agreed on the new pilot."), ("para", "Added.")]
CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2022-03-01T08:00:00Z</dcterms:created>'
    "{modified}</cp:coreProperties>"
)
MODIFIED = '<dcterms:modified xsi:type="dcterms:W3CDTF">{}</dcterms:modified>'


def _dates(docx) -> set[str]:
    with zipfile.ZipFile(docx) as z:
        return set(re.findall(r'w:date="([^"]*)"', z.read("word/document.xml").decode()))


def _drafts(tmp_path, core: str | None):
    old, new = write_docx(tmp_path / "old.docx", OLD), write_docx(tmp_path / "new.docx", NEW)
    if core is not None:
        with zipfile.ZipFile(new, "a") as z:
            z.writestr("docProps/core.xml", core)
    return compare_files(old, new)


def test_revisions_carry_the_new_drafts_date_and_the_bytes_repeat(tmp_path):
    comparison = _drafts(tmp_path, CORE.format(modified=MODIFIED.format("2022-03-14T10:30:00+01:00")))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    redline(comparison, first)
    redline(comparison, second)
    assert _dates(first) == {"2022-03-14T09:30:00Z"}  # UTC, to the second, as Word writes it
    assert first.read_bytes() == second.read_bytes()


def test_created_date_when_the_draft_was_never_modified(tmp_path):
    comparison = _drafts(tmp_path, CORE.format(modified=""))
    redline(comparison, tmp_path / "red.docx")
    assert _dates(tmp_path / "red.docx") == {"2022-03-01T08:00:00Z"}


def test_undated_draft_gives_undated_revisions(tmp_path):
    """A draft that does not say when it was made: the revisions carry no date (``w:date`` is
    optional), rather than one that would change at every run."""
    comparison = _drafts(tmp_path, None)
    redline(comparison, tmp_path / "red.docx")
    with zipfile.ZipFile(tmp_path / "red.docx") as z:
        document = z.read("word/document.xml").decode()
    assert "<w:ins " in document and "w:date" not in document
