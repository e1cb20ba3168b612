"""Footnotes compared, reported by number and paragraph, marked in the redline and checked."""

from __future__ import annotations

import json
import zipfile

import pytest
from lxml import etree

from tests.support.synth import write_docx
from tests.support.system_python import has_uno, run_script, text_lines
from wcodoc.diff import compare_files, redline
from wcodoc.diff.redline import build_redline, check_redline
from wcodoc.diff.report import headline, render
from wcodoc.errors import WcodocError
from wcodoc.ooxml.revisions import accept_all, reject_all

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
OLD = [
    ("heading", "Introduction"),
    ("para", "Alpha beta gamma.^[Source: WCO 2021 report.]"),
    ("para", "Delta epsilon^[First note.] zeta eta theta.^[Second note here.]"),
    ("para", "A paragraph that moves, with its note.^[Moved note.]"),
    ("para", "Iota kappa lambda."),
    ("para", "Mu nu xi omicron."),
]
NEW = [
    ("heading", "Introduction"),
    ("para", "Alpha beta gamma.^[Source: WCO 2022 report.]"),
    ("para", "Delta epsilon zeta eta theta.^[Second note here.]"),
    ("para", "Iota kappa lambda."),
    ("para", "Mu nu xi omicron.^[Brand new note.]"),
    ("para", "A paragraph that moves, with its note.^[Moved note.]"),
]


@pytest.fixture
def comparison(tmp_path):
    return compare_files(write_docx(tmp_path / "old.docx", OLD), write_docx(tmp_path / "new.docx", NEW))


def test_footnote_changes_are_reported_by_number_and_paragraph(comparison):
    assert [headline(c) for c in comparison.alignment.changes] == [
        "footnote 1 of paragraph 1: modified",
        "footnote 2 of paragraph 2 (old numbering): deleted",
        "footnote 3 of paragraph 4: inserted",
        "paragraph 5 (was 3): moved",
    ]
    text = render("text", comparison.old, comparison.new, comparison.alignment)
    assert "Source: WCO [-2021-]{+2022+} report." in text


def test_footnote_change_in_json(comparison):
    data = json.loads(render("json", comparison.old, comparison.new, comparison.alignment))
    first = data["changes"][0]
    assert first == {
        "kind": "modified",
        "block": "footnote",
        "old_number": "1",
        "new_number": "1",
        "old_text": "Source: WCO 2021 report.",
        "new_text": "Source: WCO 2022 report.",
        "old_location": "footnote 1 of paragraph 1",
        "new_location": "footnote 1 of paragraph 1",
        "paragraph": "paragraph 1",
    }


def test_renumbered_footnote_is_no_change(tmp_path):
    old = [("para", "One.^[Note one.]"), ("para", "Two.^[Note two.]")]
    new = [("para", "Zero."), ("para", "One.^[Note one.]"), ("para", "Two.^[Note two.]")]
    comparison = compare_files(write_docx(tmp_path / "o.docx", old), write_docx(tmp_path / "n.docx", new))
    assert [c.kind for c in comparison.alignment.changes] == ["inserted"]


def _notes_of(root, notes_root, reject_from=None):
    """Note texts by paragraph after accepting (or rejecting from ``reject_from``) everything."""
    body = accept_all(root) if reject_from is None else reject_all(root, from_id=reject_from)
    part = accept_all(notes_root) if reject_from is None else reject_all(notes_root, from_id=reject_from)
    notes = {
        n.get(f"{{{NS['w']}}}id"): " ".join("".join(n.xpath(".//w:t/text()", namespaces=NS)).split())
        for n in part.xpath("//w:footnote[not(@w:type)]", namespaces=NS)
    }
    out = []
    for p in body.iter(f"{{{NS['w']}}}p"):
        refs = p.xpath(".//w:footnoteReference/@w:id", namespaces=NS)
        text = "".join(p.xpath(".//w:t/text()", namespaces=NS))
        out.append((text, [notes[r] for r in refs]))
    return out


def test_redline_marks_footnotes_and_both_sides_keep_theirs(tmp_path, comparison):
    red = tmp_path / "red.docx"
    redline(comparison, red)
    with zipfile.ZipFile(red) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
    assert notes.xpath("//w:del//w:delText/text()", namespaces=NS)[0] == "2021"
    assert notes.xpath("//w:ins//w:t/text()", namespaces=NS)[0] == "2022"
    accepted = [(t, n) for t, n in _notes_of(root, notes) if n]
    assert accepted == [
        ("Alpha beta gamma.", ["Source: WCO 2022 report."]),
        ("Delta epsilon zeta eta theta.", ["Second note here."]),
        ("Mu nu xi omicron.", ["Brand new note."]),
        ("A paragraph that moves, with its note.", ["Moved note."]),
    ]
    first_id = min(
        int(i) for part in (root, notes) for i in part.xpath("//*[@w:author]/@w:id", namespaces=NS)
    )
    rejected = [(t, n) for t, n in _notes_of(root, notes, first_id) if n]
    # The moved paragraph is back at its old place, its footnote reference with it.
    assert rejected == [
        ("Alpha beta gamma.", ["Source: WCO 2021 report."]),
        ("Delta epsilon zeta eta theta.", ["First note.", "Second note here."]),
        ("A paragraph that moves, with its note.", ["Moved note."]),
    ]


def test_check_refuses_a_redline_whose_footnote_is_not_marked(comparison):
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    notes = result.notes["footnote"]
    for mark in notes.xpath("//w:ins | //w:del", namespaces=NS):
        mark.getparent().remove(mark)
    with pytest.raises(WcodocError, match="no redline written"):
        check_redline(comparison.old, comparison.new, result.root, first_id=1, notes=result.notes)


def test_deleted_paragraph_keeps_its_footnote_when_rejected(tmp_path):
    old = [("para", "Stays here."), ("para", "Goes away with a note.^[Gone note.]"), ("para", "Stays too.")]
    new = [("para", "Stays here.^[Kept note.]"), ("para", "Stays too.")]
    comparison = compare_files(write_docx(tmp_path / "o.docx", old), write_docx(tmp_path / "n.docx", new))
    assert [(c.kind, c.block.label) for c in comparison.alignment.changes] == [
        ("inserted", "footnote 1 of paragraph 1"),
        ("deleted", "paragraph 2"),
    ]
    red = tmp_path / "red.docx"
    redline(comparison, red)  # the self-check reads the deleted paragraph's footnote back
    with zipfile.ZipFile(red) as zf:
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
    assert notes.xpath("//w:footnote/w:p/w:del//w:delText/text()", namespaces=NS) == [" Gone note."]


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno")
def test_libreoffice_accepts_and_rejects_footnote_references(tmp_path, comparison):
    """LibreOffice prints a footnote's number where its reference is: accepting keeps the new
    references, rejecting brings back the deleted one and the moved paragraph's."""
    red = tmp_path / "red.docx"
    redline(comparison, red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert text_lines(tmp_path / "accepted.txt") == [
        "Introduction",
        "Alpha beta gamma.1",
        "Delta epsilon zeta eta theta.2",
        "Iota kappa lambda.",
        "Mu nu xi omicron.3",
        "A paragraph that moves, with its note.4",
    ]
    assert text_lines(tmp_path / "rejected.txt")[:6] == [
        "Introduction",
        "Alpha beta gamma.1",
        "Delta epsilon2 zeta eta theta.3",
        "A paragraph that moves, with its note.4",
        "Iota kappa lambda.",
        "Mu nu xi omicron.",
    ]


def test_tracked_change_inside_a_members_footnote_is_compared_accepted(tmp_path):
    old = write_docx(tmp_path / "old.docx", OLD)
    new = write_docx(tmp_path / "new.docx", OLD)
    with zipfile.ZipFile(new) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    notes = etree.fromstring(parts["word/footnotes.xml"])
    first = notes.xpath("//w:footnote[@w:id='1']/w:p", namespaces=NS)[0]
    insertion = etree.SubElement(
        first, f"{{{NS['w']}}}ins", {f"{{{NS['w']}}}id": "90", f"{{{NS['w']}}}author": "Korea Customs"}
    )
    etree.SubElement(etree.SubElement(insertion, f"{{{NS['w']}}}r"), f"{{{NS['w']}}}t").text = " Updated."
    parts["word/footnotes.xml"] = etree.tostring(notes)
    with zipfile.ZipFile(new, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    comparison = compare_files(old, new)
    assert comparison.new.pending.authors == ("Korea Customs",)
    assert [headline(c) for c in comparison.alignment.changes] == ["footnote 1 of paragraph 1: modified"]
    redline(comparison, tmp_path / "red.docx")


def _with_endnote(tmp_path, name: str, note: str):
    w = NS["w"]
    body = (
        '<w:p><w:pPr><w:pStyle w:val="NumberedParagraph"/></w:pPr><w:r><w:t>Text with an endnote.</w:t></w:r>'
        '<w:r><w:endnoteReference w:id="2"/></w:r></w:p>'
    )
    path = write_docx(
        tmp_path / name, [], document=f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    )
    endnotes = (
        f'<w:endnotes xmlns:w="{w}"><w:endnote w:type="separator" w:id="0"><w:p/></w:endnote>'
        f'<w:endnote w:id="2"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t>'
        "</w:r></w:p></w:endnote></w:endnotes>"
    )
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("word/endnotes.xml", endnotes)
    return path


def test_endnotes_are_compared_and_marked(tmp_path):
    old = _with_endnote(tmp_path, "old.docx", "See the 2021 report.")
    new = _with_endnote(tmp_path, "new.docx", "See the 2022 report.")
    comparison = compare_files(old, new)
    assert [headline(c) for c in comparison.alignment.changes] == ["endnote 1 of paragraph 1: modified"]
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    assert result.notes["endnote"].xpath("//w:ins//w:t/text()", namespaces=NS) == ["2022"]


# --- notes in reference order, paired by content, a part created, empty notes ------------------


def _references_and_notes(docx) -> tuple[list[str], list[str]]:
    """The ids of the footnote references in document order, and of the notes in the part."""
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
    references = root.xpath("//w:footnoteReference/@w:id", namespaces=NS)
    return references, notes.xpath("//w:footnote[not(@w:type)]/@w:id", namespaces=NS)


def _kept_after_deleted(tmp_path):
    """A paragraph with a footnote deleted before one whose footnote stays."""
    kept = ("para", "Stays too.^[Kept note.]")
    old = [("para", "Stays here."), ("para", "Goes away with a note.^[Gone note.]"), kept]
    return write_docx(tmp_path / "o.docx", old), write_docx(
        tmp_path / "n.docx", [("para", "Stays here."), kept]
    )


def test_note_ids_follow_the_references_as_word_writes_them(tmp_path):
    old, new = _kept_after_deleted(tmp_path)
    red = tmp_path / "red.docx"
    redline(compare_files(old, new), red)
    references, notes = _references_and_notes(red)
    assert references == notes == sorted(notes, key=int)  # the deleted note first, as it is placed


def test_check_refuses_notes_out_of_reference_order(tmp_path):
    old, new = _kept_after_deleted(tmp_path)
    comparison = compare_files(old, new)
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    part = result.notes["footnote"]
    normal = part.xpath("//w:footnote[not(@w:type)]", namespaces=NS)
    part.remove(normal[0])
    part.append(normal[0])  # LibreOffice would pair each reference with the other note
    with pytest.raises(WcodocError, match="notes"):
        check_redline(comparison.old, comparison.new, result.root, first_id=1, notes=result.notes)


def test_a_note_inserted_before_an_edited_one_is_paired_by_content(tmp_path):
    existing = "Existing note about the trade talks"
    old = [("para", f"Trade talks went on^[{existing}.] for days.")]
    new = [("para", f"Trade^[A brand new note.] talks went on^[{existing}, amended.] for days.")]
    comparison = compare_files(write_docx(tmp_path / "o.docx", old), write_docx(tmp_path / "n.docx", new))
    assert [headline(c) for c in comparison.alignment.changes] == [
        "footnote 1 of paragraph 1: inserted",
        "footnote 2 of paragraph 1 (was 1): modified",
    ]
    result = build_redline(comparison.old, comparison.new, comparison.alignment, author="w")
    first_id = min(int(i) for i in result.root.xpath("//*[@w:author]/@w:id", namespaces=NS))
    rejected = _notes_of(result.root, result.notes["footnote"], first_id)
    assert rejected == [("Trade talks went on for days.", ["Existing note about the trade talks."])]


def test_a_deleted_note_is_marked_when_the_new_draft_has_no_notes(tmp_path, capsys):
    from wcodoc.cli import main

    old = write_docx(tmp_path / "o.docx", [("para", "Stays here."), ("para", "Has a note.^[The note.]")])
    new = write_docx(tmp_path / "n.docx", [("para", "Stays here."), ("para", "Has a note.")])
    red = tmp_path / "red.docx"
    with pytest.raises(SystemExit) as info:
        main(["diff", str(old), str(new), "-o", str(red)])
    assert info.value.code == 0
    assert "(0 tracked changes)" not in capsys.readouterr().err
    with zipfile.ZipFile(red) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
        assert "footnotes.xml" in zf.read("word/_rels/document.xml.rels").decode()
        assert "footnotes+xml" in zf.read("[Content_Types].xml").decode()
    first_id = min(
        int(i) for part in (root, notes) for i in part.xpath("//*[@w:author]/@w:id", namespaces=NS)
    )
    assert _notes_of(root, notes, first_id)[1] == ("Has a note.", ["The note."])
    assert _notes_of(root, notes)[1] == ("Has a note.", [])


def test_an_empty_note_does_not_crash_the_redline(tmp_path):
    old = write_docx(tmp_path / "o.docx", [("para", "Alpha beta.^[Old note text.]")])
    new = write_docx(tmp_path / "n.docx", [("para", "Alpha beta.^[New note text.]")])
    with zipfile.ZipFile(new) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    notes = etree.fromstring(parts["word/footnotes.xml"])
    emptied = notes.xpath("//w:footnote[@w:id='1']", namespaces=NS)[0]
    for child in list(emptied):
        emptied.remove(child)
    parts["word/footnotes.xml"] = etree.tostring(notes)
    with zipfile.ZipFile(new, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    comparison = compare_files(old, new)
    assert [headline(c) for c in comparison.alignment.changes] == ["footnote 1 of paragraph 1: modified"]
    red = tmp_path / "red.docx"
    redline(comparison, red)
    with zipfile.ZipFile(red) as zf:
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
    assert notes.xpath("//w:del//w:delText/text()", namespaces=NS) == [" Old note text."]


@pytest.mark.libreoffice
@pytest.mark.skipif(not has_uno(), reason="needs the system Python with uno")
def test_libreoffice_pairs_each_reference_with_its_own_note(tmp_path):
    """LibreOffice pairs references and notes by their order: after Accept All the kept
    paragraph must show its own note, after Reject All the deleted one its own."""
    old, new = _kept_after_deleted(tmp_path)
    red = tmp_path / "red.docx"
    redline(compare_files(old, new), red)
    run_script("lo_revisions.py", str(red), str(tmp_path))
    assert _shown_notes(tmp_path / "accepted.docx") == [("Stays too.", ["Kept note."])]
    assert _shown_notes(tmp_path / "rejected.docx") == [
        ("Goes away with a note.", ["Gone note."]),
        ("Stays too.", ["Kept note."]),
    ]


def _shown_notes(docx) -> list[tuple[str, list[str]]]:
    """Each paragraph with footnotes, and their texts, as the file pairs them."""
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
    return [(t, n) for t, n in _notes_of(root, notes) if n]
