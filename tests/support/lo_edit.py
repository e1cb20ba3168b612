"""Edit a DOCX in LibreOffice with change tracking on, as a Member returning a draft would.

A script for a Python that has LibreOffice's ``uno`` bridge (on Debian ``/usr/bin/python3``);
it imports only the standard library and ``uno``, never ``wcodoc``::

    /usr/bin/python3 lo_edit.py IN.docx OUT.docx AUTHOR EDITS.json

sets the user name of a private profile to ``AUTHOR`` (LibreOffice signs tracked changes and
comments with it), opens ``IN.docx``, turns on *Record Changes*, applies the edits and saves
as "MS Word 2007 XML". ``EDITS.json`` is a list of objects, each naming text to find:

- ``{"op": "replace", "find": "old words", "with": "new words"}`` (a tracked deletion and
  insertion; also inside table cells);
- ``{"op": "insert", "find": "words", "text": " added"}`` (inserted after the found text);
- ``{"op": "delete", "find": "words"}``;
- ``{"op": "delete_paragraph", "find": "text of the paragraph"}`` (text and paragraph mark);
- ``{"op": "picture", "find": "words", "path": "/abs/image.png"}`` (a picture inserted as a
  character after the found text);
- ``{"op": "insert_paragraph", "find": "words", "text": "A new paragraph."}`` (a paragraph
  break typed at the end of the paragraph holding the words, then the text);
- ``{"op": "type_after_table", "find": "words in a cell", "text": "A new paragraph."}`` (typed
  into the paragraph right after the table holding the words).

An edit with ``"track": false`` is made with *Record Changes* off (an untracked edit).

Comments are not made here: LibreOffice 7.4 headless crashes saving a document after a
``com.sun.star.text.textfield.Annotation`` is inserted through UNO (also through
``.uno:InsertAnnotation``), whatever the format; the tests write comments with lxml.

LibreOffice runs in its own process group and is killed when the script ends, whatever
happens.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lo_session import NoLibreOffice, file_url, libreoffice, props


def _set_author(context, author: str) -> None:
    """Make ``author`` the user name LibreOffice signs changes and comments with."""
    smgr = context.ServiceManager
    provider = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        props(nodepath="/org.openoffice.UserProfile/Data"),
    )
    given, _, family = author.partition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def _find(document, text: str):
    search = document.createSearchDescriptor()
    search.setSearchString(text)
    search.SearchCaseSensitive = True
    found = document.findFirst(search)
    if found is None:
        raise RuntimeError(f"text not found: {text!r}")
    return found


def _delete_paragraph(document, text: str) -> None:
    found = _find(document, text)
    cursor = found.getText().createTextCursorByRange(found.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    cursor.goRight(1, True)  # the paragraph mark: the next paragraph's start
    cursor.setString("")


def _insert_picture(context, document, text: str, path: str) -> None:
    """A picture from ``path`` (embedded, not linked), anchored as a character after ``text``,
    2 x 1.5 cm."""
    from com.sun.star.awt import Size
    from com.sun.star.text.TextContentAnchorType import AS_CHARACTER

    found = _find(document, text)
    smgr = context.ServiceManager
    provider = smgr.createInstanceWithContext("com.sun.star.graphic.GraphicProvider", context)
    graphic = document.createInstance("com.sun.star.text.TextGraphicObject")
    graphic.Graphic = provider.queryGraphic(props(URL=file_url(Path(path))))
    graphic.AnchorType = AS_CHARACTER
    graphic.Size = Size(2000, 1500)
    found.getText().insertTextContent(found.getEnd(), graphic, False)


def _insert_paragraph(document, find: str, text: str) -> None:
    from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

    found = _find(document, find)
    body = found.getText()
    cursor = body.createTextCursorByRange(found.getEnd())
    cursor.gotoEndOfParagraph(False)
    body.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    body.insertString(cursor, text, False)


def _type_after_table(document, find: str, text: str) -> None:
    table = _find(document, find).TextTable
    if table is None:
        raise RuntimeError(f"not in a table: {find!r}")
    paragraphs = document.getText().createEnumeration()
    while paragraphs.hasMoreElements():
        element = paragraphs.nextElement()
        if element.supportsService("com.sun.star.text.TextTable") and element.getName() == table.getName():
            following = paragraphs.nextElement()
            following.getText().insertString(following.getStart(), text, False)
            return
    raise RuntimeError(f"no paragraph after the table holding {find!r}")


def _edit(context, document, edit: dict) -> None:
    op = edit["op"]
    if op == "replace":
        _find(document, edit["find"]).setString(edit["with"])
    elif op == "insert":
        found = _find(document, edit["find"])
        found.getText().insertString(found.getEnd(), edit["text"], False)
    elif op == "delete":
        _find(document, edit["find"]).setString("")
    elif op == "delete_paragraph":
        _delete_paragraph(document, edit["find"])
    elif op == "picture":
        _insert_picture(context, document, edit["find"], edit["path"])
    elif op == "insert_paragraph":
        _insert_paragraph(document, edit["find"], edit["text"])
    elif op == "type_after_table":
        _type_after_table(document, edit["find"], edit["text"])
    else:
        raise RuntimeError(f"unknown edit {op!r}")


def _run(context, source: Path, target: Path, author: str, edits: list[dict]) -> None:
    _set_author(context, author)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(
        file_url(source), "_blank", 0, props(Hidden=True, MacroExecutionMode=0)
    )
    if document is None:
        raise RuntimeError(f"LibreOffice could not read {source}")
    try:
        document.RecordChanges = True
        for edit in edits:
            document.RecordChanges = edit.get("track", True)
            _edit(context, document, edit)
        document.storeToURL(file_url(target), props(FilterName="MS Word 2007 XML"))
    finally:
        document.close(True)


def main(argv: list[str]) -> int:
    """Apply the edits of ``argv[3]`` to ``argv[0]`` as ``argv[2]``; save to ``argv[1]``."""
    source, target = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    author, edits = argv[2], json.loads(Path(argv[3]).read_text(encoding="utf-8"))
    try:
        with libreoffice("wcodoc-lo-edit-") as context:
            _run(context, source, target, author, edits)
    except NoLibreOffice as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
