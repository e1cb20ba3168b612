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
