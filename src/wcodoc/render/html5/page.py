"""One self-contained HTML5 page: doctype, ``<html lang>``, title, the stylesheet, escaping.

Every HTML page wcodoc writes (``wcodoc diff --format html``, ``wcodoc review collect --format
html``, the HTML edition of ``wcodoc build --format html``) is made here, so they share one
template and one look: no external resource and no script, so the page opens the same from a
mail attachment as from a shared folder, and prints on A4.
"""

from __future__ import annotations

import html

DELETED_COLOUR, INSERTED_COLOUR = "C00000", "0050B0"
"""Deleted words struck through in red, inserted words underlined in blue (as in the DOCX
compilation)."""

_REPORTS = (
    "body{font-family:'Times New Roman',serif;margin:2em;color:#222;line-height:1.35}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #888;padding:.4em .6em;vertical-align:top;text-align:left;white-space:pre-wrap}"
    "th{background:#e8e8e8}"
    "td.par{font-weight:bold;white-space:nowrap}"
    "tr.title td{background:#f3f3f3;font-weight:bold}"
    # The two cells under a change's headline (the diff report): old text and new, side by side.
    "tr.title+tr td{width:50%}"
    f"del{{color:#{DELETED_COLOUR};text-decoration:line-through}}"
    f"ins{{color:#{INSERTED_COLOUR};text-decoration:underline}}"
    ".none{color:#777;font-style:italic}"
)
_EDITION = (
    # A line of about 75 characters, as on the A4 page of the DOCX.
    "body>header,body>nav,body>main,body>footer{max-width:42em;margin-left:auto;margin-right:auto}"
    "main th,main td{white-space:normal}"
    "main table{margin:.8em 0 1.2em}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
    "figure{margin:1em 0;text-align:center}"
    "figure img{max-width:100%;height:auto}"
    "figcaption{font-style:italic}"
    # The cover: letterhead centred, committee left and symbol right, title block centred.
    ".cover{margin-bottom:2em}"
    ".cover p{margin:.2em 0}"
    ".cover-letterhead{text-align:center;font-size:.9em}"
    ".cover-columns{display:flex;justify-content:space-between;gap:2em;margin:1.5em 0}"
    ".cover-column:last-child{text-align:right}"
    ".cover-committee{font-weight:bold}"
    ".cover-symbol{font-weight:bold;font-size:1.25em}"
    ".cover h1{font-size:1.15em;text-align:center;margin:1.5em 0 .3em}"
    ".cover-subtitle,.cover-agenda-item{text-align:center;font-weight:bold}"
    ".cover h2{font-size:1em;text-align:center;margin-top:1.5em}"
    ".cover h3{font-size:1em;margin:1em 0 .4em}"
    ".cover hr{width:3em;margin:1.5em auto;border:0;border-top:1px solid #888}"
    "nav.contents ul{list-style:none;padding-left:0}"
    "nav.contents ul ul{padding-left:1.5em}"
    "nav.contents h2,main h2{font-size:1.1em}"
    "main h3{font-size:1em}"
    "main h4{font-size:1em;font-style:italic}"
    # Numbered paragraphs: the number in a column of its own, as Word's hanging indent.
    ".numbered{display:grid;grid-template-columns:2.5em minmax(0,1fr);margin:.7em 0}"
    ".numbered>p{margin:0}"
    ".sub-item{margin-left:2.5em}"
    # A target's number is its link: plain until pointed at or focused, then shown as a link.
    "a.num{color:inherit;text-decoration:none}"
    f"a.num:hover,a.num:focus{{color:#{INSERTED_COLOUR};text-decoration:underline}}"
    'a.num:hover::after,a.num:focus::after{content:"\\00a0#";font-size:.8em}'
    "main :target{background:#fff7d6}"
    ".end-mark{text-align:center;break-inside:avoid}"
    ".annex-heading{text-align:right;font-weight:bold}"
    "h2.annex-title{text-align:center}"
    ".use-case-meta{font-style:italic}"
    ".footnotes{font-size:.9em}"
    "body>footer{font-size:.8em;color:#444;border-top:1px solid #888;margin-top:2em}"
    # Print: A4, the cover and the contents on pages of their own, each annex on a new page.
    "@page{size:A4;margin:20mm 20mm 22mm}"
    "@media print{"
    "body{margin:0;font-size:11pt}"
    "body>header,body>nav,body>main,body>footer{max-width:none}"
    "a{color:inherit;text-decoration:none}"
    "a.num:hover::after,a.num:focus::after{content:none}"
    "main :target{background:none}"
    ".cover,nav.contents{break-after:page}"
    "main .annex-heading{break-before:page}"
    "h2,h3,h4,caption{break-after:avoid}"
    "tr,figure,.numbered{break-inside:avoid}"
    "thead{display:table-header-group}"
    "}"
)
STYLESHEET = _REPORTS + _EDITION


def escape(text: str) -> str:
    """``text`` made safe inside an element or a quoted attribute value."""
    return html.escape(text)


def page(title: str, body: str, *, lang: str = "en", heading: bool = True) -> str:
    """The page: ``title`` (plain text) as its ``<title>``, then ``body`` (HTML).

    ``heading``: ``title`` is also the page's ``<h1>``, before ``body``; the edition, whose
    ``<title>`` is the symbol and whose cover holds the ``<h1>``, passes ``False``.
    """
    h1 = f"<h1>{escape(title)}</h1>" if heading else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLESHEET}</style></head><body>{h1}{body}</body></html>\n"
    )
