"""All raw WordprocessingML lives in this package, in helpers named after the elements.

``fields`` (REF/PAGE fields, bookmarks), ``package`` (reading and writing the DOCX zip
deterministically), ``safe`` (hardened parsing of untrusted DOCX parts), ``revisions``
(tracked changes: ``w:ins``, ``w:del``, …).
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}


def qn(tag: str) -> str:
    """Clark notation for a prefixed name: ``qn('w:p')`` → ``{…/main}p``."""
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def spacer_paragraph(height_pt: int = 6) -> str:
    """An empty paragraph ``height_pt`` points high, as raw OpenXML.

    Word and LibreOffice put no space below a table (only paragraphs have spacing), so the
    body's next paragraph would touch the table's last rule without one.
    """
    half_points = height_pt * 2
    return (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{height_pt * 20}" w:lineRule="exact"/>'
        f'<w:rPr><w:sz w:val="{half_points}"/></w:rPr></w:pPr></w:p>'
    )
