"""Accept or reject every tracked change of a DOCX in LibreOffice itself; save the text.

A script for a Python that has LibreOffice's ``uno`` bridge (on Debian ``/usr/bin/python3``):
it imports only the standard library and ``uno``, never ``wcodoc``, which that Python usually
cannot import. Used by the tests to prove that what wcodoc checks in memory is also what
LibreOffice does::

    /usr/bin/python3 lo_revisions.py REDLINE.docx OUT_FOLDER

writes ``OUT_FOLDER/accepted.txt`` (after ``.uno:AcceptAllTrackedChanges``) and
``OUT_FOLDER/rejected.txt`` (after ``.uno:RejectAllTrackedChanges``), UTF-8, one paragraph
a line, beside each ``accepted-styles.txt`` / ``rejected-styles.txt`` (the paragraph style of
each paragraph outside tables, a tab, its text), and the documents themselves as
``accepted.docx`` and ``rejected.docx`` (for what text cannot show: pictures, text boxes,
charts). LibreOffice runs with a private profile in its own process group and is killed when
the script ends, whatever happens.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lo_session import NoLibreOffice, file_url, libreoffice, props

COMMANDS = {"accepted": ".uno:AcceptAllTrackedChanges", "rejected": ".uno:RejectAllTrackedChanges"}


def _apply(context, docx: Path, command: str, target: Path) -> None:
    smgr = context.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    document = desktop.loadComponentFromURL(
        file_url(docx),
        "_blank",
        0,
        props(Hidden=True, MacroExecutionMode=0, UpdateDocMode=0),
    )
    if document is None:
        raise RuntimeError(f"LibreOffice could not read {docx}")
    try:
        frame = document.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, command, "", 0, ())
        document.storeToURL(
            file_url(target),
            props(FilterName="Text (encoded)", FilterOptions="UTF8,LF"),
        )
        styles = target.with_name(f"{target.stem}-styles.txt")
        styles.write_text("".join(f"{name}\t{text}\n" for name, text in _styles(document)), encoding="utf-8")
        document.storeToURL(file_url(target.with_suffix(".docx")), props(FilterName="MS Word 2007 XML"))
    finally:
        document.close(True)


def _styles(document) -> list[tuple[str, str]]:
    """The paragraph style and the text of each paragraph of the body outside tables."""
    out = []
    paragraphs = document.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph"):
            out.append((paragraph.ParaStyleName, paragraph.getString()))
    return out


def main(argv: list[str]) -> int:
    """Write accepted.txt and rejected.txt for the DOCX named in ``argv``."""
    docx, out = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    try:
        with libreoffice("wcodoc-lo-revisions-") as context:
            for name, command in COMMANDS.items():
                _apply(context, docx, command, out / f"{name}.txt")
    except NoLibreOffice as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
