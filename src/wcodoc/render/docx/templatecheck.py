"""Is the Word template usable: a safe DOCX that defines every style the build assigns?

A project may bring its own ``templates/reference.docx``. pandoc takes the styles and
numbering from it, so a template that lacks a house style would give, say, unnumbered
paragraphs without a word; a file that is not a DOCX would give a Haskell error. ``build``
and ``check`` both run :func:`check_template` (through ``build.assemble``), so they agree.
"""

from __future__ import annotations

from pathlib import Path

from wcodoc.errors import Problems, WcodocError
from wcodoc.ooxml.safe import open_docx
from wcodoc.ooxml.styles import STYLES_PART, read_styles
from wcodoc.render.docx.template import STYLES

CODE = "style"
SHOWN = 6
"""Missing styles named in the message; a foreign template lacks them all."""


def check_template(reference: Path, problems: Problems) -> None:
    """Add a problem when ``reference`` is not a DOCX pandoc can use with the house styles."""
    try:
        with open_docx(reference) as package:
            if not package.has(STYLES_PART):
                problems.error(f"Word template has no {STYLES_PART}", reference, code=CODE)
                return
            # pandoc reads every XML part of the template: none may carry a DTD.
            for name in sorted(package.names):
                if name.endswith((".xml", ".rels")):
                    package.xml(name)
            defined = read_styles(package.xml(STYLES_PART)).ids
    except WcodocError as exc:
        problems.error(f"Word template cannot be used: {exc.message}", reference, code=CODE)
        return
    missing = [style.name for style in STYLES if style.name not in defined]
    if missing:
        shown = ", ".join(missing[:SHOWN]) + (
            f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        )
        problems.error(
            f"Word template lacks the styles {shown}: start from wcodoc's own templates/reference.docx",
            reference,
            code=CODE,
        )
