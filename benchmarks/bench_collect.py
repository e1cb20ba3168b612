"""Benchmark ``wcodoc review collect`` on a copy holding many comments (issue 27).

The repository's sample is built once; a Member's copy of it receives N comments spread over
its numbered paragraphs, every fourth one a reply to the comment before it (threads tied by
``commentsExtended.xml``, as Word writes them). Prints the time to collect each copy (best of
``--runs``) and the entries found, which must be one per thread.

Run: ``.venv/bin/python benchmarks/bench_collect.py [N ...] [--runs 1] [--reply-every 4]``
(default 2,000, 8,000 and 50,000 comments).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

from wcodoc.build import build_project
from wcodoc.review.collect import collect_review

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
PACKAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
REPLY_EVERY = 4
SIZES = (2_000, 8_000, 50_000)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _para_id(k: int) -> str:
    return f"{k + 1:08X}"


def _comment_parts(count: int, every: int) -> tuple[bytes, bytes]:
    """``comments.xml`` and ``commentsExtended.xml`` with ``count`` comments."""
    comments = etree.Element(_w("comments"), nsmap={"w": W, "w14": W14})
    extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
    for k in range(count):
        attrs = {_w("id"): str(k), _w("author"): f"Member {k % 7}", _w("date"): "2022-03-20T09:00:00Z"}
        comment = etree.SubElement(comments, _w("comment"), attrs)
        p = etree.SubElement(comment, _w("p"), {f"{{{W14}}}paraId": _para_id(k)})
        etree.SubElement(etree.SubElement(p, _w("r")), _w("t")).text = f"Comment number {k}."
        ex = etree.SubElement(extended, f"{{{W15}}}commentEx", {f"{{{W15}}}paraId": _para_id(k)})
        if k % every:
            ex.set(f"{{{W15}}}paraIdParent", _para_id(k - k % every))
    return _xml(comments), _xml(extended)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _anchor(document: etree._Element, count: int, every: int) -> None:
    """Anchor comment ``k`` on the ``k``-th numbered paragraph (round robin)."""
    paragraphs = [
        p
        for p in document.iter(_w("p"))
        if p.find(f"{_w('pPr')}/{_w('pStyle')}[@{_w('val')}='NumberedParagraph']") is not None
    ]
    for k in range(count):
        p = paragraphs[(k // every) % len(paragraphs)]
        start = etree.Element(_w("commentRangeStart"), {_w("id"): str(k)})
        p.insert(1, start)
        p.append(etree.Element(_w("commentRangeEnd"), {_w("id"): str(k)}))
        etree.SubElement(etree.SubElement(p, _w("r")), _w("commentReference"), {_w("id"): str(k)})


def _declare(parts: dict[str, bytes], name: str, *elements: str) -> None:
    """Add ``elements`` at the end of the root of part ``name``."""
    text = parts[name].decode()
    closing = text[text.rindex("</") :]
    parts[name] = text.replace(closing, "".join(elements) + closing).encode()


def commented_copy(base: Path, count: int, every: int, out: Path) -> Path:
    """A copy of ``base`` holding ``count`` comments, a thread starting at every ``every``-th."""
    with zipfile.ZipFile(base) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    document = etree.fromstring(parts["word/document.xml"])
    _anchor(document, count, every)
    parts["word/document.xml"] = _xml(document)
    parts["word/comments.xml"], parts["word/commentsExtended.xml"] = _comment_parts(count, every)
    _declare(
        parts,
        "[Content_Types].xml",
        f'<Override PartName="/word/comments.xml" ContentType="{CT}comments+xml"/>',
        f'<Override PartName="/word/commentsExtended.xml" ContentType="{CT}commentsExtended+xml"/>',
    )
    _declare(
        parts,
        "word/_rels/document.xml.rels",
        f'<Relationship Id="rIdBench1" Type="{PACKAGE_REL}" Target="comments.xml"/>',
        f'<Relationship Id="rIdBench2" Type="{EXTENDED_REL}" Target="commentsExtended.xml"/>',
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--reply-every", type=int, default=REPLY_EVERY)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wcodoc-bench-collect-") as tmp:
        folder = Path(tmp)
        base = Path(build_project(ROOT, folder / "build", ("docx",)).outputs["docx"])
        print(f"{'comments':>9} {'seconds':>9} {'entries':>8} {'threads':>8}")
        for size in args.sizes:
            copy = commented_copy(base, size, args.reply_every, folder / f"copy-{size}.docx")
            best, entries = float("inf"), 0
            for _ in range(args.runs):
                start = time.perf_counter()
                entries = len(collect_review(base, [copy]).entries)
                best = min(best, time.perf_counter() - start)
            threads = -(-size // args.reply_every)
            print(f"{size:>9,} {best:>9.2f} {entries:>8,} {threads:>8,}", flush=True)


if __name__ == "__main__":
    main()
