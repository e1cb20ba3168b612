"""The DOCX written in parts: the same bytes whatever the path (cold, parallel, incremental,
uncached), the content of one single pandoc call, and a one-chapter edit rewrites one part."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import NS, ROOT, W, docx_xml, paragraphs
from tests.test_build import PNG_1PX
from tests.test_corpus import run_wcodoc
from wcodoc import build
from wcodoc.build import CACHE_ROOT, assemble_parts, build_project
from wcodoc.errors import WcodocError
from wcodoc.load.project import load_project
from wcodoc.parse.pandoc import ast_to_docx
from wcodoc.render.docx import PARTS_CACHE, source_date_epoch
from wcodoc.render.docx import lower as lower_module
from wcodoc.render.docx import parts as parts_module
from wcodoc.render.docx.lower import Lowering
from wcodoc.render.docx.parts import LABELS_ENTRY
from wcodoc.transform import pandocast
from wcodoc.transform.typography import typeset

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

USE_CASE = """\
---
id: {id}
title: Case {id}
member: Korea
region: asia-pacific
technologies: [blockchain]
status: pilot
year: 2021
---
## Background

Background of {id}, see paragraph @par:goal.

## Solution

A solution.[^s]

[^s]: A note in the annex, with [a link](https://example.org/{id}).

## Benefits

Benefits.

## Challenges and lessons learnt

Lessons.
"""

RICH = {
    "chapters/01-intro.md": """\
        # Introduction

        []{#par:goal} The goal, with a note.[^a] See also [the WCO](https://www.wcoomd.org).

        ![A dot](img/dot.png)

        A second paragraph refers to use case @uc:beta and section @sec:later.[^b]

        [^a]: First note, [linked](https://example.org/a).
        [^b]: Second note.
        """,
    "chapters/02-middle.md": """\
        # Middle part

        | Item | Value |
        |------|-------|
        | one  | 1     |
        | two  | 2[^t] |

        : Figures of the year {#tbl:figures}

        [^t]: A note in a table.

        a. first sub-item
        b. second sub-item, back to paragraph @par:goal

        - a bullet
        - another bullet

        ![Another dot](img/dot.png)
        """,
    "chapters/03-later.md": """\
        # Later {#sec:later}

        []{#par:late} Table @tbl:figures and paragraph @par:goal, with a third note.[^c]

        ## A sub-heading

        More text with [a link](https://example.org/later).

        [^c]: Third note.
        """,
    "chapters/img/dot.png": PNG_1PX,
    "annexes/use-cases/01-alpha.md": USE_CASE.format(id="alpha"),
    "annexes/use-cases/02-beta.md": USE_CASE.format(id="beta"),
}


def _copy_sample(dest: Path) -> Path:
    """The repository's own document (its sources only: the tests folder holds device links)."""
    dest.mkdir(parents=True)
    for folder in ("chapters", "annexes", "templates", "images"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, dest / folder)
    shutil.copy(ROOT / "document.yaml", dest / "document.yaml")
    return dest


@pytest.fixture
def rich_project(make_project):
    return make_project(RICH)


def _build(root: Path, out: Path, **options) -> bytes:
    return build_project(root, out, ("docx",), **options).outputs["docx"].read_bytes()


def _every_path(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The DOCX of ``root`` built every way a build can go."""
    shutil.rmtree(root / "build", ignore_errors=True)
    return {
        "uncached": _build(root, tmp_path / "a", use_cache=False),
        "uncached, one pandoc call": _build(root, tmp_path / "b", use_cache=False, jobs=1),
        "uncached, one call per part": _build(root, tmp_path / "c", use_cache=False, jobs=32),
        "cold with cache": _build(root, tmp_path / "d"),
        "from the cache": _build(root, tmp_path / "e"),
        "from the cache, parallel": _build(root, tmp_path / "f", jobs=3),
    }


@pytest.mark.parametrize("project", ["rich", "sample"])
def test_same_bytes_whatever_the_path(project, rich_project, tmp_path):
    root = rich_project if project == "rich" else _copy_sample(tmp_path / "sample")
    outputs = _every_path(root, tmp_path)
    assert len(set(outputs.values())) == 1, {name: hash(data) for name, data in outputs.items()}


@pytest.mark.parametrize("chapter", ["chapters/01-intro.md", "chapters/02-middle.md", "chapters/03-later.md"])
def test_incremental_rebuild_is_byte_identical_to_a_cold_one(chapter, rich_project, tmp_path):
    _build(rich_project, tmp_path / "first")
    path = rich_project / chapter
    # A paragraph inserted first renumbers every later paragraph: references elsewhere change.
    heading, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
    path.write_text(
        f"{heading}\n\nAn inserted paragraph.[^new]\n\n[^new]: A new note.\n\n{rest}", encoding="utf-8"
    )
    incremental = _build(rich_project, tmp_path / "second")
    uncached = _build(rich_project, tmp_path / "third", use_cache=False)
    assert incremental == uncached


def test_one_chapter_edit_rewrites_that_part_only(rich_project, tmp_path):
    cache = rich_project / "build" / CACHE_ROOT / PARTS_CACHE
    _build(rich_project, tmp_path / "first")
    before = {p.name for p in cache.glob("*.zip")}
    path = rich_project / "chapters" / "03-later.md"  # nothing refers to its paragraphs
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    _build(rich_project, tmp_path / "second")
    after = {p.name for p in cache.glob("*.zip")}
    assert len(after - before) == 1 and len(before - after) == 1  # the old version is pruned


def test_a_transform_that_adds_blocks_keeps_the_parts_apart(rich_project, tmp_path, monkeypatch):
    """The parts keep their bounds whatever a transform adds: a one-chapter edit still rewrites
    one part (the cut no longer relies on the length of the block list)."""

    def typeset_and_add(blocks: list, *, french: bool) -> list:
        def add_after_section(node: dict) -> list | None:
            return [node, pandocast.para(pandocast.text("Added."))] if node["c"][0] == 1 else None

        return typeset(pandocast.walk(blocks, add_after_section, only=("Header",)), french=french)

    monkeypatch.setattr(build, "typeset", typeset_and_add)
    cache = rich_project / "build" / CACHE_ROOT / PARTS_CACHE
    first = build_project(rich_project, tmp_path / "first", ("docx",)).outputs["docx"]
    assert [text for _style, text in paragraphs(docx_xml(first))].count("Added.") == 3
    before = {p.name for p in cache.glob("*.zip")}
    assert len(before) == 1 + 5  # the shell; the cover, each of 3 sections, the annex
    path = rich_project / "chapters" / "03-later.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    _build(rich_project, tmp_path / "second")
    after = {p.name for p in cache.glob("*.zip")}
    assert len(after - before) == 1 and len(before - after) == 1


def test_a_damaged_cached_part_is_written_again(rich_project, tmp_path):
    first = _build(rich_project, tmp_path / "first")
    for entry in (rich_project / "build" / CACHE_ROOT / PARTS_CACHE).glob("*.zip"):
        entry.write_bytes(entry.read_bytes()[:100])
    assert _build(rich_project, tmp_path / "second") == first


def _ids(doc: etree._Element, tag: str, attr: str) -> list[str]:
    return [el.get(attr) for el in doc.iter(tag)]


def test_spliced_ids_are_unique_and_resolve(rich_project):
    docx = build_project(rich_project, formats=("docx",), use_cache=False).outputs["docx"]
    doc = docx_xml(docx)
    starts = _ids(doc, f"{{{W}}}bookmarkStart", f"{{{W}}}id")
    assert len(starts) == len(set(starts)) and sorted(starts) == sorted(
        _ids(doc, f"{{{W}}}bookmarkEnd", f"{{{W}}}id")
    )
    drawings = _ids(doc, f"{{{WP}}}docPr", "id")
    assert len(drawings) == 2 and len(set(drawings)) == 2
    notes = _ids(doc, f"{{{W}}}footnoteReference", f"{{{W}}}id")
    footnotes = docx_xml(docx, "word/footnotes.xml")
    defined = [
        n.get(f"{{{W}}}id") for n in footnotes.findall("w:footnote", NS) if n.get(f"{{{W}}}type") is None
    ]
    assert len(notes) == 6 and len(set(notes)) == 6 and sorted(notes) == sorted(defined)
    rels = docx_xml(docx, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    used = [v for el in doc.iter() for k, v in el.attrib.items() if k.startswith(f"{{{R}}}")]
    assert used and all(rid in targets for rid in used)
    note_rels = docx_xml(docx, "word/_rels/footnotes.xml.rels")
    note_targets = {rel.get("Id"): rel.get("Target") for rel in note_rels}
    note_links = [v for el in footnotes.iter() for k, v in el.attrib.items() if k.startswith(f"{{{R}}}")]
    assert len(note_links) == 3 and all(
        note_targets[rid].startswith("https://example.org/") for rid in note_links
    )
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
    images = [targets[rid] for rid in used if targets[rid].startswith("media/")]
    assert len(images) == 2 and all(f"word/{image}" in names for image in images)
    assert all(f'PartName="/word/{image}"' in types for image in images)


def test_content_is_that_of_one_pandoc_call(rich_project, tmp_path):
    """Text, styles and the printed numbers of cross-references are those of a single call."""
    project = load_project(rich_project)
    assembled = assemble_parts(project, use_cache=False)
    assembled.problems.raise_if_errors()
    lowering = Lowering()
    blocks = [pandocast.div(lowering.part(part)) for part in assembled.parts]
    single = tmp_path / "single.docx"
    ast_to_docx(
        pandocast.document(blocks, assembled.document["pandoc-api-version"]),
        single,
        reference_docx=project.style.reference_docx,
        epoch=source_date_epoch(project.meta.issued),
    )
    parts = build_project(rich_project, tmp_path / "parts", ("docx",), use_cache=False).outputs["docx"]
    assert paragraphs(docx_xml(single)) == paragraphs(docx_xml(parts))

    def note_texts(path: Path) -> Counter:
        notes = docx_xml(path, "word/footnotes.xml")
        return Counter(
            "".join(t.text or "" for t in n.iter(f"{{{W}}}t")) for n in notes.findall("w:footnote", NS)
        )

    assert note_texts(single) == note_texts(parts)


def _entries_holding(cache: Path, needle: bytes) -> list[Path]:
    return [path for path in cache.glob("*.zip") if needle in path.read_bytes()]


def test_swapped_cached_parts_are_written_again(rich_project, tmp_path):
    first = _build(rich_project, tmp_path / "first")
    cache = rich_project / "build" / CACHE_ROOT / PARTS_CACHE
    (intro,) = _entries_holding(cache, b"The goal, with a note.")
    (later,) = _entries_holding(cache, b"A sub-heading")
    one, two = intro.read_bytes(), later.read_bytes()
    intro.write_bytes(two)
    later.write_bytes(one)
    result = run_wcodoc(["build", "--format", "docx"], rich_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (rich_project / "build" / "PC0685Ea.docx").read_bytes() == first


def _patched_headers(data: bytes, *, flags: int = 0, method: int | None = None) -> bytes:
    """``data`` (a zip) with each entry's general-purpose flags or-ed with ``flags`` and its
    compression method set to ``method``, in the local headers and the central directory."""
    out = bytearray(data)
    for signature, at_flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = out.find(signature)
        while start >= 0:
            field = start + at_flags
            old = int.from_bytes(out[field : field + 2], "little")
            out[field : field + 2] = (old | flags).to_bytes(2, "little")
            if method is not None:
                out[field + 2 : field + 4] = method.to_bytes(2, "little")
            start = out.find(signature, start + 4)
    return bytes(out)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param({"flags": 0x1}, id="encrypted flag"),
        pytest.param({"method": zipfile.ZIP_DEFLATED}, id="bad deflate data"),
        pytest.param({"method": 99}, id="unknown method"),
    ],
)
def test_a_damaged_cached_zip_is_a_miss(rich_project, tmp_path, damage):
    first = _build(rich_project, tmp_path / "first")
    for entry in (rich_project / "build" / CACHE_ROOT / PARTS_CACHE).glob("*.zip"):
        entry.write_bytes(_patched_headers(entry.read_bytes(), **damage))
    for _ in range(2):  # written again the first time, read from the cache the second
        result = run_wcodoc(["build", "--format", "docx"], rich_project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert (rich_project / "build" / "PC0685Ea.docx").read_bytes() == first


def test_a_named_pipe_among_the_cached_parts_is_a_miss(rich_project, tmp_path):
    first = _build(rich_project, tmp_path / "first")
    for entry in (rich_project / "build" / CACHE_ROOT / PARTS_CACHE).glob("*.zip"):
        entry.unlink()
        os.mkfifo(entry)
    result = run_wcodoc(["build", "--format", "docx"], rich_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (rich_project / "build" / "PC0685Ea.docx").read_bytes() == first


def _rewrite_cached(root: Path, change) -> None:
    """Rewrite every cached part's entries with ``change(entries)`` (not the shell's)."""
    from wcodoc.ooxml.package import read_package, write_package

    for path in (root / "build" / CACHE_ROOT / PARTS_CACHE).glob("*.zip"):
        if path.name.startswith("shell"):
            continue
        entries = read_package(path)
        with path.open("wb") as out:
            write_package(change(entries), out, compress=False)


def test_a_part_from_the_cache_is_not_lowered_again_but_its_labels_still_checked(
    rich_project, tmp_path, monkeypatch
):
    """A part found in the cache is keyed on the neutral part and the lowering code; the labels
    it bookmarks are kept with it, so a new label clashing with one of them is still refused."""
    first = _build(rich_project, tmp_path / "first")
    lowered: list[int] = []
    real_part = Lowering.part
    monkeypatch.setattr(Lowering, "part", lambda self, blocks: lowered.append(1) or real_part(self, blocks))
    real_name = lower_module.bookmark_name
    clash = {"par:new": real_name("par:goal")}  # as a too long or oddly written label could
    monkeypatch.setattr(lower_module, "bookmark_name", lambda key: clash.get(key) or real_name(key))
    later = rich_project / "chapters" / "03-later.md"
    later.write_text(later.read_text(encoding="utf-8") + "\n\n[]{#par:new} One more.\n", encoding="utf-8")
    with pytest.raises(WcodocError, match="labels 'par:goal' and 'par:new' give the same Word bookmark"):
        _build(rich_project, tmp_path / "second")
    assert len(lowered) == 1  # the edited part alone: the others were checked from the cache
    later.write_text(later.read_text(encoding="utf-8").replace("[]{#par:new} ", ""), encoding="utf-8")
    lowered.clear()
    assert _build(rich_project, tmp_path / "third") != first  # one more sentence
    assert len(lowered) == 1


def test_a_cached_part_without_its_labels_is_lowered_and_written_again(rich_project, tmp_path):
    first = _build(rich_project, tmp_path / "first")
    _rewrite_cached(rich_project, lambda entries: {k: v for k, v in entries.items() if k != LABELS_ENTRY})
    assert _build(rich_project, tmp_path / "second") == first
    _rewrite_cached(rich_project, lambda entries: {**entries, LABELS_ENTRY: b'{"not": "a list"}'})
    assert _build(rich_project, tmp_path / "third") == first


def test_parts_cached_by_other_lowering_code_are_not_used(rich_project, tmp_path, monkeypatch):
    first = _build(rich_project, tmp_path / "first")
    cache = rich_project / "build" / CACHE_ROOT / PARTS_CACHE
    before = {p.name for p in cache.glob("*.zip")}
    monkeypatch.setattr(parts_module, "lowering_digest", lambda: b"other code")
    assert _build(rich_project, tmp_path / "second") == first
    after = {p.name for p in cache.glob("*.zip")}
    assert len(after & before) == 1  # the shell alone: every part was written again
