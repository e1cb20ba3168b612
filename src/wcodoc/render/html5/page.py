"""One self-contained HTML5 page: doctype, ``<html lang>``, title, the stylesheet, escaping.

Every HTML page wcodoc writes (``wcodoc diff --format html``, ``wcodoc review collect --format
html``) is made here, so they share one template and one look: no external resource and no
script, so the page opens the same from a mail attachment as from a shared folder.
"""

from __future__ import annotations

import html

DELETED_COLOUR, INSERTED_COLOUR = "C00000", "0050B0"
"""Deleted words struck through in red, inserted words underlined in blue (as in the DOCX
compilation)."""

STYLESHEET = (
    "body{font-family:'Times New Roman',serif;margin:2em;color:#222}"
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


def escape(text: str) -> str:
    """``text`` made safe inside an element or a quoted attribute value."""
    return html.escape(text)


def page(title: str, body: str, *, lang: str = "en") -> str:
    """The page: ``title`` (plain text) as its ``<title>`` and ``<h1>``, then ``body`` (HTML)."""
    heading = escape(title)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8"><title>{heading}</title>'
        f"<style>{STYLESHEET}</style></head><body><h1>{heading}</h1>{body}</body></html>\n"
    )
