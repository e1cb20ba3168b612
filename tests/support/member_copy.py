"""Member copies of a built DOCX: tracked changes by named authors, comments with replies,
untracked edits and ``lastModifiedBy``, written with lxml into ``word/document.xml``.

``MemberCopy(base)`` reads the package; its methods edit the body the way Word writes such
edits; ``save(path)`` writes the copy.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DATE = "2022-03-20T09:00:00Z"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
REL_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


class MemberCopy:
    """A copy of ``base`` being edited."""

    def __init__(self, base: Path) -> None:
        with zipfile.ZipFile(base) as zf:
            self.parts = {n: zf.read(n) for n in zf.namelist()}
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.root.find(w("body"))
        self.next_id = 9000
        self.comments: list[tuple[str, str, str, str | None]] = []  # id, author, text, parent id
        notes = self.parts.get("word/footnotes.xml")
        self.footnotes = etree.fromstring(notes) if notes is not None else None

    # --- finding text ----------------------------------------------------------------------------

    def paragraph(self, text: str, container: etree._Element | None = None) -> etree._Element:
        """The first body paragraph (or of ``container``) whose text contains ``text``."""
        for p in (self.body if container is None else container).iter(w("p")):
            if text in text_of(p):
                return p
        raise AssertionError(f"no paragraph holds {text!r}")

    def _split(self, p: etree._Element, old: str) -> tuple[etree._Element, etree._Element]:
        """Cut the run of ``p`` holding ``old`` into before / ``old`` / after runs; return the
        run holding ``old`` and the run after it."""
        for run in p.iter(w("r")):
            t = run.find(w("t"))
            if t is None or old not in (t.text or ""):
                continue
            before, after = t.text.split(old, 1)
            t.text = before
            t.set(XML_SPACE, "preserve")
            middle, tail = _clone(run, old), _clone(run, after)
            run.addnext(middle)
            middle.addnext(tail)
            return middle, tail
        raise AssertionError(f"{old!r} is not inside one run of {text_of(p)!r}")

    def _rev(self, tag: str, author: str) -> etree._Element:
        self.next_id += 1
        return etree.Element(w(tag), {w("id"): str(self.next_id), w("author"): author, w("date"): DATE})

    # --- edits ------------------------------------------------------------------------------------

    def replace(self, find: str, old: str, new: str, author: str, *, footnote: bool = False) -> None:
        """Track replacing ``old`` (inside the paragraph holding ``find``) by ``new``; in the
        footnotes part with ``footnote``."""
        container = self.footnotes if footnote else None
        middle, _ = self._split(self.paragraph(find, container), old)
        deletion = self._rev("del", author)
        middle.addprevious(deletion)
        deletion.append(middle)
        middle.find(w("t")).tag = w("delText")
        if new:
            insertion = self._rev("ins", author)
            deletion.addnext(insertion)
            insertion.append(_clone(middle, new, tag="t"))

    def insert_paragraph(self, after: str, text: str, author: str) -> None:
        """Track a new paragraph, like the one holding ``after``, just after it."""
        anchor = self.paragraph(after)
        p = etree.Element(w("p"))
        ppr = anchor.find(w("pPr"))
        if ppr is not None:
            p.append(_deep(ppr))
        rpr = p.find(w("pPr")).find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(p.find(w("pPr")), w("rPr"))
        rpr.append(self._rev("ins", author))
        insertion = self._rev("ins", author)
        run = etree.SubElement(insertion, w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = text
        p.append(insertion)
        anchor.addnext(p)

    def delete_paragraph(self, find: str, author: str) -> None:
        """Track deleting the paragraph holding ``find``, its mark included."""
        p = self.paragraph(find)
        deletion = self._rev("del", author)
        for run in p.findall(w("r")):
            for t in run.iter(w("t")):
                t.tag = w("delText")
            deletion.append(run)
        p.append(deletion)
        ppr = p.find(w("pPr"))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._rev("del", author))

    def untracked(self, find: str, old: str, new: str) -> None:
        """Replace ``old`` by ``new`` without tracking (as a Member editing with tracking off)."""
        middle, _ = self._split(self.paragraph(find), old)
        middle.find(w("t")).text = new

    def comment(
        self,
        find: str,
        author: str,
        text: str,
        replies: tuple[tuple[str, str], ...] = (),
        *,
        footnote: bool = False,
    ) -> None:
        """Comment on the paragraph holding ``find`` (in the footnotes part with ``footnote``);
        each reply (author, text) answers it, anchored at the same place, as Word writes a
        thread."""
        p = self.paragraph(find, self.footnotes if footnote else None)
        thread = [(author, text, None)]
        first = str(len(self.comments) + 1)
        thread += [(a, t, first) for a, t in replies]
        for k, (who, what, parent) in enumerate(thread):
            cid = str(int(first) + k)
            self.comments.append((cid, who, what, parent))
            start = etree.Element(w("commentRangeStart"), {w("id"): cid})
            ppr = p.find(w("pPr"))
            (ppr.addnext(start) if ppr is not None else p.insert(0, start))
            p.append(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
            ref = etree.SubElement(p, w("r"))
            etree.SubElement(ref, w("commentReference")).set(w("id"), cid)

    def saved_by(self, name: str) -> None:
        """Set ``cp:lastModifiedBy``, as Word and LibreOffice do on saving."""
        core = self.parts["docProps/core.xml"].decode()
        cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
        root = etree.fromstring(core.encode())
        found = root.find(f"{{{cp}}}lastModifiedBy")
        if found is None:
            found = etree.SubElement(root, f"{{{cp}}}lastModifiedBy")
        found.text = name
        self.parts["docProps/core.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    # --- writing ----------------------------------------------------------------------------------

    def _comment_parts(self) -> None:
        comments = etree.Element(w("comments"), nsmap={"w": W, "w14": W14})
        extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        for cid, author, text, parent in self.comments:
            c = etree.SubElement(comments, w("comment"), {w("id"): cid, w("author"): author, w("date"): DATE})
            p = etree.SubElement(c, w("p"), {f"{{{W14}}}paraId": f"0000{int(cid):04X}"})
            etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
            ex = etree.SubElement(
                extended, f"{{{W15}}}commentEx", {f"{{{W15}}}paraId": f"0000{int(cid):04X}"}
            )
            if parent is not None:
                ex.set(f"{{{W15}}}paraIdParent", f"0000{int(parent):04X}")
        self.parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8")
        self.parts["word/commentsExtended.xml"] = etree.tostring(
            extended, xml_declaration=True, encoding="UTF-8"
        )
        types = self.parts["[Content_Types].xml"].decode()
        for name, kind in (("comments", COMMENTS_TYPE), ("commentsExtended", EXTENDED_TYPE)):
            if f"/word/{name}.xml" not in types:
                types = types.replace(
                    "</Types>", f'<Override PartName="/word/{name}.xml" ContentType="{kind}"/></Types>'
                )
        self.parts["[Content_Types].xml"] = types.encode()
        rels = self.parts["word/_rels/document.xml.rels"].decode()
        for target, kind in (("comments.xml", REL), ("commentsExtended.xml", REL_EXTENDED)):
            if f'Target="{target}"' not in rels:
                rels = rels.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdReview{len(target)}" Type="{kind}" Target="{target}"/>'
                    "</Relationships>",
                )
        self.parts["word/_rels/document.xml.rels"] = rels.encode()

    def save(self, path: Path) -> Path:
        """Write the copy to ``path``."""
        if self.comments:
            self._comment_parts()
        self.parts["word/document.xml"] = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        if self.footnotes is not None:
            self.parts["word/footnotes.xml"] = etree.tostring(
                self.footnotes, xml_declaration=True, encoding="UTF-8"
            )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in self.parts.items():
                zf.writestr(name, data)
        return path


def _deep(el: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(el)


def _clone(run: etree._Element, text: str, tag: str | None = None) -> etree._Element:
    """A run like ``run`` (same formatting) holding ``text``."""
    new = etree.Element(w("r"))
    rpr = run.find(w("rPr"))
    if rpr is not None:
        new.append(_deep(rpr))
    t = etree.SubElement(new, w(tag or "t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return new
