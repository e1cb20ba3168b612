"""The whole pipeline on the sample document and on small projects: open the outputs."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from wcodoc import build as build_module
from wcodoc.build import ALL, FORMATS, build_project, formats_of
from wcodoc.errors import WcodocError
from wcodoc.kinds import KINDS
from wcodoc.kinds.working_document import WorkingDocument
from wcodoc.load.metadata import OUTPUT_FORMATS
from wcodoc.load.project import load_project
from wcodoc.pdf import inflight
from wcodoc.transform import pandocast

from .conftest import MINIMAL_YAML, NS, W, docx_xml, paragraphs, pdf_text


def styled(doc, style_id: str) -> list[str]:
    return [text for style, text in paragraphs(doc) if style == style_id]


def test_sample_shape(sample_build):
    doc = docx_xml(sample_build.outputs["docx"])
    assert len(styled(doc, "Heading1")) == 5
    assert len(styled(doc, "NumberedParagraph")) == 12
    assert len(styled(doc, "SubItem")) == 6
    assert len(styled(doc, "Bullet")) >= 1
    assert styled(doc, "CoverSymbol") == ["PC0685Ea"]
    assert styled(doc, "CoverIssued") == ["Brussels, 7 March 2022."]
    assert styled(doc, "CoverTitle") == ["FUTURE OF CUSTOMS"]
    assert styled(doc, "CoverAgendaItem") == ["(Item V. on the Agenda)"]


def test_numbering_comes_from_styles_below_pandocs_range(sample_build):
    styles = docx_xml(sample_build.outputs["docx"], "word/styles.xml")
    numbering = docx_xml(sample_build.outputs["docx"], "word/numbering.xml")
    num_ids = {}
    for style_id in ("Heading1", "NumberedParagraph", "SubItem"):
        num_pr = styles.find(f"w:style[@w:styleId='{style_id}']/w:pPr/w:numPr", NS)
        assert num_pr is not None, style_id
        num_ids[style_id] = (
            num_pr.find("w:numId", NS).get(f"{{{W}}}val"),
            num_pr.find("w:ilvl", NS).get(f"{{{W}}}val") if num_pr.find("w:ilvl", NS) is not None else "0",
        )
    assert num_ids["NumberedParagraph"][0] == num_ids["SubItem"][0]
    assert (num_ids["NumberedParagraph"][1], num_ids["SubItem"][1]) == ("0", "1")
    for num_id, ilvl in num_ids.values():
        assert int(num_id) < 1000
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        abstract_id = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
        assert int(abstract_id) < 990
        level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='{ilvl}']", NS)
        assert level is not None


def test_references_are_ref_fields_with_computed_numbers(sample_build):
    doc = docx_xml(sample_build.outputs["docx"])
    fields = []
    for instr in doc.iter(f"{{{W}}}instrText"):
        run = instr.getparent()
        # the cached result is the text run between "separate" and "end"
        result = run.getnext().getnext()
        fields.append((instr.text.split()[1], "".join(result.itertext())))
    refs = dict(f for f in fields if f[0].startswith(("par_", "sec_", "uc_")))
    assert refs["par_objective"] == "6"
    assert refs["par_updates"] == "9"
    assert refs["sec_objective"] == "II"
    bookmarks = {b.get(f"{{{W}}}name") for b in doc.iter(f"{{{W}}}bookmarkStart")}
    assert set(refs) <= bookmarks
    uc_refs = {k: v for k, v in refs.items() if k.startswith("uc_")}
    assert uc_refs and all(v.isdigit() for v in uc_refs.values())


def test_a_section_s_bookmark_is_on_its_heading_alone(sample_build):
    # A bookmark spanning the whole section is duplicated and moved by LibreOffice when a
    # Member saves the copy twice, and the references to it then print another number.
    doc = docx_xml(sample_build.outputs["docx"])
    start = doc.find(".//w:bookmarkStart[@w:name='sec_objective']", NS)
    end = doc.find(f".//w:bookmarkEnd[@w:id='{start.get(f'{{{W}}}id')}']", NS)
    heading = start.getparent()
    assert end.getparent() is heading and heading.tag == f"{{{W}}}p"
    assert heading.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Heading1"
    assert "".join(heading.itertext()) == "The objective of the update"


@pytest.mark.libreoffice
def test_a_section_reference_prints_the_section_s_numeral(sample_build):
    text = " ".join(pdf_text(sample_build.outputs["pdf"]).split())
    assert "In line with the objective described in Section II, the 2022 edition" in text


def test_header_and_first_page(sample_build):
    with zipfile.ZipFile(sample_build.outputs["docx"]) as z:
        headers = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"word/\w*[Hh]eader\w*\.xml", n)]
    assert any("PC0685E<" in h and "PAGE" in h for h in headers)
    assert len(headers) == 2 and not any("PC0685Ea" in h for h in headers)
    sect = docx_xml(sample_build.outputs["docx"]).find(".//w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    size = sect.find("w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("11906", "16838")  # A4


@pytest.mark.libreoffice
def test_pdf_reads_like_the_document(sample_build):
    text = pdf_text(sample_build.outputs["pdf"])
    pages = text.split("\f")
    # Later pages start with the header line "N.   PC0685E": leave it out of the body text.
    body = "\n".join([pages[0], *(p.split("\n", 1)[-1] for p in pages[1:])])
    numbers = [int(m) for m in re.findall(r"^\s*(\d+)\.\s{2,}\S", body, re.M)]
    body_numbers = [n for n in numbers if n <= 12]
    assert body_numbers[:12] == list(range(1, 13))
    numerals = re.findall(r"^\s*(I|II|III|IV|V)\.\s+\S", text, re.M)
    assert numerals == ["I", "II", "III", "IV", "V"]
    for line in (
        "PERMANENT TECHNICAL",
        "(HYBRID MEETING)",
        "25-29 April 2022",
        "PC0685Ea",
        "Brussels, 7 March 2022.",
        "FUTURE OF CUSTOMS",
        "(Item V. on the Agenda)",
        "SUMMARY",
    ):
        assert line in text, line
    assert "PC0685E" not in pages[0].replace("PC0685Ea", "")
    assert re.search(r"2\.\s+PC0685E\b", pages[1])
    assert re.search(r"^\s*a\.\s+The", text, re.M) and re.search(r"^\s*f\.\s+The", text, re.M)


def test_builds_are_byte_identical(make_project, tmp_path):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n\nTwo.\n"})
    first = build_project(root, tmp_path / "one", ("docx",)).outputs["docx"].read_bytes()
    second = build_project(root, tmp_path / "two", ("docx",), use_cache=False).outputs["docx"].read_bytes()
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    with zipfile.ZipFile(tmp_path / "one" / "PC0685Ea.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2022-03-07" in core


def test_minimal_project_elsewhere_uses_builtin_style(tmp_path):
    root = tmp_path / "elsewhere"
    (root / "chapters").mkdir(parents=True)
    (root / "document.yaml").write_text("reference: NC0160E2\ntitle: Short note\nissued: 2023-01-05\n")
    (root / "chapters" / "01.md").write_text("# Only section\n\nOnly paragraph.\n")
    result = build_project(root, formats=("docx",))
    assert result.outputs["docx"] == root / "build" / "NC0160E2.docx"
    doc = docx_xml(result.outputs["docx"])
    assert styled(doc, "NumberedParagraph") == ["Only paragraph."]
    assert styled(doc, "CoverSymbol") == ["NC0160E2"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wcodoc", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_unknown_reference_is_one_line_error_and_keeps_old_output(make_project):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    assert run_cli("build", "--format", "docx", cwd=root).returncode == 0
    old = (root / "build" / "PC0685Ea.docx").read_bytes()
    (root / "chapters" / "01.md").write_text("# A\n\nOne.\n\nSee @par:missing.\n")
    result = run_cli("build", "--format", "docx", cwd=root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["chapters/01.md:5: unknown reference '@par:missing' [xref]"]
    assert "Traceback" not in result.stderr
    assert (root / "build" / "PC0685Ea.docx").read_bytes() == old
    assert not list((root / "build").glob("*.tmp"))


def test_output_path_that_is_a_file(make_project):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    (root / "out").write_text("not a folder")
    result = run_cli("build", "-o", "out", "--format", "docx", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "out" in result.stderr and (root / "out").read_text() == "not a folder"


def test_library_error_lists_every_problem(make_project):
    root = make_project({"chapters/01.md": "# A\n\nSee @par:a and @sec:b.\n"})
    with pytest.raises(WcodocError) as info:
        build_project(root, formats=("docx",))
    assert [p.code for p in info.value.problems] == ["xref", "xref"]
    assert not (root / "build" / "PC0685Ea.docx").exists()


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
    "c0f01f0005000201a5d1f1d40000000049454e44ae426082"
)


def test_chapter_image_is_embedded(make_project):
    root = make_project(
        {"chapters/01.md": "# A\n\nOne.\n\n![A figure](img/dot.png)\n", "chapters/img/dot.png": PNG_1PX}
    )
    result = build_project(root, formats=("docx",))
    with zipfile.ZipFile(result.outputs["docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 1


@pytest.mark.parametrize(
    ("picture", "message"),
    [
        (bytes(range(256)) * 8, "is not a picture"),
        (PNG_1PX[:40], "is a damaged PNG file (cut short"),
    ],
    ids=["random-bytes", "cut-short"],
)
def test_a_file_that_is_no_picture_is_refused_with_its_line(make_project, picture, message):
    # pandoc embeds any bytes and LibreOffice leaves an empty space: it used to build (exit 0).
    chapter = "# A\n\nThe chart shows the trend.\n\n![Trend](../figures/trend.png)\n"
    root = make_project({"chapters/01.md": chapter, "figures/trend.png": picture})
    result = run_cli("build", "--format", "docx", cwd=root)
    assert result.returncode == 1, result.stderr
    assert f"chapters/01.md:5: image '../figures/trend.png' {message}" in result.stderr
    assert not (root / "build" / "PC0685Ea.docx").exists()


@pytest.mark.libreoffice
def test_pdf_is_reproducible_and_dated_by_issue(make_project, tmp_path):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    first = build_project(root, tmp_path / "one", ("pdf",)).outputs["pdf"]
    second = build_project(root, tmp_path / "two", ("pdf",)).outputs["pdf"]
    assert first.read_bytes() == second.read_bytes()
    # its DOCX was temporary; the record says what the build wrote
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [".wcodoc-outputs.json", "PC0685Ea.pdf"]
    info = subprocess.run(["pdfinfo", "-isodates", str(first)], capture_output=True, text=True).stdout
    assert re.search(r"CreationDate:\s+2022-03-07T12:00:00Z", info) and re.search(r"Tagged:\s+yes", info)


def test_space_below_a_table_in_the_body(make_project):
    root = make_project({"chapters/01.md": "# A\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nAfter the table.\n"})
    doc = docx_xml(build_project(root, formats=("docx",)).outputs["docx"])
    table = doc.findall(".//w:body/w:tbl", NS)[-1]  # the first one is the cover's layout
    spacer = table.getnext()
    assert spacer.tag == f"{{{W}}}p" and not "".join(spacer.itertext())
    assert spacer.find("w:pPr/w:spacing", NS).get(f"{{{W}}}line") == "120"
    assert styled(doc, "NumberedParagraph") == ["After the table."]


def test_a_format_no_writer_writes_is_refused(make_project):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    with pytest.raises(WcodocError, match=r"^unknown format 'odt'; expected docx, pdf, html or all$"):
        build_project(root, formats=("docx", "odt"))


def test_the_metadata_formats_are_those_the_writers_write():
    assert OUTPUT_FORMATS == FORMATS


def test_all_builds_the_formats_document_yaml_names(make_project):
    """``formats: [docx, html]``: ``wcodoc build`` (``--format all``) writes those two, no PDF."""
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"}, yaml=MINIMAL_YAML + "formats: [docx, html]\n")
    run = subprocess.run([sys.executable, "-m", "wcodoc", "build", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (root / "build").iterdir() if not p.name.startswith(".")) == [
        "PC0685Ea.docx",
        "PC0685Ea.html",
    ]
    assert "wrote" in run.stdout and "PC0685Ea.html" in run.stdout


def test_all_is_the_docx_and_the_pdf_unless_document_yaml_says_otherwise(make_project):
    project = load_project(make_project({"chapters/01.md": "# A\n\nOne.\n"}))
    assert formats_of(project, (ALL,)) == ("docx", "pdf")
    assert formats_of(project, ("html", ALL, "docx")) == ("html", "docx", "pdf")


def test_formats_naming_a_format_no_writer_writes_is_refused_at_its_line(make_project):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"}, yaml=MINIMAL_YAML + "formats: [docx, htlm]\n")
    run = subprocess.run([sys.executable, "-m", "wcodoc", "build", str(root)], capture_output=True, text=True)
    line = len(MINIMAL_YAML.splitlines()) + 1
    assert run.returncode == 1
    assert run.stderr.endswith(
        f"document.yaml:{line}: formats: unknown format 'htlm' (did you mean 'html'?); "
        "expected one of docx, pdf, html [meta]\n"
    )


class _Tallied(WorkingDocument):
    """A kind whose generated block prints what the numbering counted (as a report's items table will)."""

    def generated_blocks(self, body, meta, style):
        tally = f"The body's {body.paragraphs} paragraphs under {body.sections} items."
        return [pandocast.styled([pandocast.para(pandocast.text(tally))], "Body Text")]


def test_a_kinds_generated_blocks_come_after_the_cover_and_are_typeset(make_project, monkeypatch):
    monkeypatch.setitem(KINDS, "working-document", _Tallied())
    chapters = {
        "chapters/01.md": "# One\n\nFirst.\n\nSecond.\n",
        "chapters/02.md": "# Two\n\nThird.\n",
    }
    for use_cache in (False, True, True):  # cold, written to the cache, read from it
        result = build_project(make_project(chapters), formats=("docx",), use_cache=use_cache)
        found = paragraphs(docx_xml(result.outputs["docx"]))
        styles = [style for style, _ in found]
        tally = styles.index("BodyText")
        assert styles[tally - 1] == "CoverSeparator" and styles[tally + 1] == "Heading1"
        assert found[tally][1] == "The body’s 3 paragraphs under 2 items."


def _rename_into_place(path: Path, text: str) -> None:
    """Write ``path`` as wcodoc's commands do: a new file renamed over the old one."""
    staged = path.with_name(path.name + ".new")
    staged.write_text(text, encoding="utf-8")
    staged.replace(path)


def test_a_source_written_while_the_build_reads_is_read_again(make_project, monkeypatch):
    """A ``review apply`` renaming two chapters into place while a build reads them must not
    give a document with one old chapter and one new: the build reads the sources again."""
    root = make_project({"chapters/01.md": "# A\n\nOld one.\n", "chapters/02.md": "# B\n\nOld two.\n"})
    real = build_module.assemble_parts
    calls = []

    def assemble_then_apply(project, **kwargs):
        assembled = real(project, **kwargs)
        calls.append(project)
        if len(calls) == 1:  # the apply lands after the first chapter was read, before the end
            _rename_into_place(root / "chapters" / "01.md", "# A\n\nNew one.\n")
            _rename_into_place(root / "chapters" / "02.md", "# B\n\nNew two.\n")
        return assembled

    monkeypatch.setattr(build_module, "assemble_parts", assemble_then_apply)
    result = build_project(root, formats=["docx"])
    assert len(calls) == 2
    texts = [text for _, text in paragraphs(docx_xml(result.outputs["docx"]))]
    assert "New one." in texts and "New two." in texts
    assert not {"Old one.", "Old two."} & set(texts)


def test_sources_that_keep_changing_stop_the_build(make_project, monkeypatch):
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    real = build_module.assemble_parts
    edits = iter(range(100))

    def assemble_while_saved(project, **kwargs):
        assembled = real(project, **kwargs)
        (root / "chapters" / "01.md").write_text(f"# A\n\nOne, edit {next(edits)}.\n")  # in place
        return assembled

    monkeypatch.setattr(build_module, "assemble_parts", assemble_while_saved)
    with pytest.raises(WcodocError) as info:
        build_project(root, formats=["docx"])
    assert info.value.path == root / "chapters" / "01.md"
    assert "changed while the build read it" in str(info.value)
    assert not (root / "build" / "PC0685Ea.docx").exists()


def test_references_in_captions_cells_and_notes_are_resolved(make_project):
    # The build finds floats and citations in one walk, before the captions are numbered:
    # a reference inside a caption (rewritten by the numbering), a table cell or a note in a
    # cell must still come out as its number.
    root = make_project(
        {
            "chapters/01.md": (
                "# A {#sec:a}\n\n[]{#par:aim} The aim.\n\n"
                "| x | y |\n|---|---|\n| see @par:aim | note[^1] |\n\n"
                ": Figures of section @sec:a, after paragraph @par:aim {#tbl:t}\n\n"
                "![As in @tbl:t](pic.png){#fig:f}\n\n"
                "[^1]: Compare @fig:f.\n"
            ),
            "chapters/pic.png": PNG_1PX,
        }
    )
    doc = docx_xml(build_project(root, formats=("docx",)).outputs["docx"])
    text = "".join(doc.xpath("//w:t/text()", namespaces=NS))
    assert "@" not in text
    assert "Table 1: Figures of section I, after paragraph 1" in text
    assert "Figure 1: As in 1" in text
    assert "see 1" in text
    notes = docx_xml(root / "build" / "PC0685Ea.docx", "word/footnotes.xml")
    assert "Compare 1." in "".join(notes.xpath("//w:t/text()", namespaces=NS))


def _html_and_fake_pdf(monkeypatch, pdf, before_html):
    """The PDF writer replaced by ``pdf`` (no LibreOffice); ``before_html(job)`` runs first in
    the HTML writer."""
    real = build_module.WRITERS["html"]

    def html(job):
        before_html(job)
        real.write(job)

    monkeypatch.setitem(build_module.WRITERS, "pdf", build_module.Writer(pdf, made_from="docx"))
    monkeypatch.setitem(build_module.WRITERS, "html", replace(real, write=html))


def test_the_pdf_converts_while_the_html_is_written(make_project, monkeypatch):
    converting, html_started = threading.Event(), threading.Event()

    def pdf(job):
        converting.set()
        assert html_started.wait(10), "the HTML waited for the PDF"
        job.out.write_bytes(b"%PDF-1.7\n")

    def before_html(job):
        assert converting.wait(10), "the PDF waited for the HTML"
        html_started.set()

    _html_and_fake_pdf(monkeypatch, pdf, before_html)
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    result = build_project(root, formats=("docx", "pdf", "html"))
    assert [path.name for path in result.outputs.values()] == [
        "PC0685Ea.docx",
        "PC0685Ea.pdf",
        "PC0685Ea.html",
    ]
    assert all(path.is_file() for path in result.outputs.values())


def test_a_format_that_fails_stops_the_conversion_under_way(make_project, monkeypatch):
    converting, stopped = threading.Event(), threading.Event()

    def pdf(job):
        with inflight.stoppable(stopped.set, job.out):
            converting.set()
            stopped.wait(10)
        job.out.write_bytes(b"%PDF-1.7\n")

    def before_html(job):
        converting.wait(10)
        raise WcodocError("the HTML failed")

    _html_and_fake_pdf(monkeypatch, pdf, before_html)
    root = make_project({"chapters/01.md": "# A\n\nOne.\n"})
    with pytest.raises(WcodocError, match="the HTML failed"):
        build_project(root, formats=("docx", "pdf", "html"))
    assert stopped.is_set()
    assert not (root / "build" / "PC0685Ea.pdf").exists()


def test_a_citation_the_transform_left_stops_the_build(make_project, monkeypatch):
    # Never "@par:aim" printed in a document that built without a word.
    root = make_project({"chapters/01.md": "# A\n\n[]{#par:aim} The aim.\n\nSee @par:aim.\n"})
    monkeypatch.setattr(build_module, "resolve_citations", lambda *args, **kwargs: None)
    with pytest.raises(WcodocError, match="cross-reference was left unresolved"):
        build_project(root, formats=("docx",))
    assert not (root / "build" / "PC0685Ea.docx").exists()
