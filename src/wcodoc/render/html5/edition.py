"""The HTML edition (``wcodoc build --format html``): ``SYMBOL.html`` and ``SYMBOL_files/``.

One HTML5 page on the shared template (:mod:`wcodoc.render.html5.page`), no script: the cover
as text (the kind's, whatever it holds), a table of contents, the body and the annexes with
every number printed as text and linked to its stable anchor, cross-references as links,
footnotes linked both ways, the kind's first-page notices at the foot.

pandoc writes it, from the neutral document lowered for HTML (:mod:`.lower`): its HTML writer
already does footnotes with back-links, tables with header rows and captions, figures with
alt text, math as MathML, and escaping; what is ours (numbers, anchors, the cover's headings)
is in the lowering, as the DOCX writer's is in its own.
"""

from __future__ import annotations

from pathlib import Path

from wcodoc.fsutil import atomic_write_bytes
from wcodoc.kinds import kind_of
from wcodoc.parse.pandoc import dump_json, json_to_html
from wcodoc.render import Job
from wcodoc.render.html5.lower import Heading, Lowered, lower_edition, titled
from wcodoc.render.html5.media import Pictures
from wcodoc.render.html5.page import escape, page
from wcodoc.transform import pandocast
from wcodoc.transform.pandocast import Node

CONTENTS_ID = "contents"
_CUT = "<!-- wcodoc: next region -->"
"""Between the regions of the page in pandoc's input and output: one pandoc call numbers the
footnotes of all of them, then the page places each region in its element."""


def pictures_folder(page: Path) -> Path:
    """The folder of the pictures of the edition ``page`` (``PC0685Ea_files`` beside it)."""
    return page.with_name(f"{page.stem}_files")


def write_html(job: Job) -> None:
    """Write the edition of ``job``'s document to ``job.out``, its pictures beside it."""
    meta, style = job.project.meta, job.project.style
    kind = kind_of(meta)
    terms = style.terms(meta.locale)
    folder = pictures_folder(job.out)
    with job.stage("lower for HTML"):
        lowered = lower_edition(job.parts)
        lowered.cover = titled(lowered.cover, kind.title(meta, style))
        pictures = Pictures(folder.name)
        regions = [
            pictures.relinked(lowered.cover),
            contents(lowered, str(terms["contents"])),
            pictures.relinked(lowered.body),
        ]
    with job.stage("write HTML (pandoc)"):
        cover, toc, body = _written(regions, job.api_version)
    notices = "".join(f"<p>{escape(line)}</p>" for line in kind.page_text(meta, style).footer_notice)
    text = page(
        str(meta.symbol),
        f'<header class="cover">{cover}</header>'
        f'<nav class="contents" aria-labelledby="{CONTENTS_ID}">{toc}</nav>'
        f"<main>{body}</main><footer>{notices}</footer>",
        lang=meta.locale,
        heading=False,
    )
    pictures.write(folder)
    atomic_write_bytes(job.out, text.encode("utf-8"))


def _written(regions: list[list[Node]], api_version: list[int]) -> list[str]:
    """Each region of the page as HTML, from one pandoc call."""
    cut: Node = {"t": "RawBlock", "c": ["html", _CUT]}
    blocks = [block for k, region in enumerate(regions) for block in ([cut] if k else []) + region]
    html = json_to_html(dump_json(pandocast.document(blocks, api_version)))
    return [piece.strip("\n") for piece in html.split(_CUT)]


def contents(lowered: Lowered, heading: str) -> list[Node]:
    """The table of contents: each section, each annex and, under it, its use cases."""
    entries: list[list[Node]] = []
    for item in lowered.headings:
        entry = pandocast.plain([_link(item)])
        if item.level > 2 and entries:
            nested = entries[-1]
            if nested[-1]["t"] != "BulletList":
                nested.append({"t": "BulletList", "c": []})
            nested[-1]["c"].append([entry])
        else:
            entries.append([entry])
    title = pandocast.header(2, pandocast.text(heading), identifier=CONTENTS_ID)
    return [title, {"t": "BulletList", "c": entries}] if entries else [title]


def _link(heading: Heading) -> Node:
    """A link to ``heading`` showing its text (its number as text, its notes left out)."""
    text = pandocast.stringify(heading.inlines)
    return {"t": "Link", "c": [["", [], []], pandocast.text(text), ["#" + heading.anchor, ""]]}
