"""Hardened DOCX reading: what ``wcodoc.ooxml.safe`` refuses, and what it still reads.

Each package is a few parts zipped in memory; a hostile one is made by patching the zip's
central directory (the sizes, flags and method every reader trusts) rather than by shipping
large files.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.support.synth import document_xml, sample_items
from wcodoc.errors import WcodocError
from wcodoc.ooxml import W_NS, safe
from wcodoc.ooxml.safe import DOCUMENT_PART, open_docx, parse_xml

DOC = (
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>'
).encode()

# Offsets inside a central directory entry (APPNOTE 4.3.12).
CD_SIGNATURE = b"PK\x01\x02"
CD_FLAGS, CD_METHOD, CD_CRC, CD_FILE_SIZE, CD_NAME_LENGTH, CD_NAME = 8, 10, 16, 24, 28, 46


def zip_bytes(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def central_entry(data: bytes | bytearray, name: str) -> int:
    """Offset of the central directory entry of part ``name``."""
    at = data.find(CD_SIGNATURE)
    while at != -1:
        (length,) = struct.unpack_from("<H", data, at + CD_NAME_LENGTH)
        if bytes(data[at + CD_NAME : at + CD_NAME + length]) == name.encode():
            return at
        at = data.find(CD_SIGNATURE, at + 4)
    raise AssertionError(f"no central directory entry for {name}")


def patched(data: bytes, name: str, **fields: int) -> bytes:
    """``data`` with fields of ``name``'s central directory entry overwritten."""
    out = bytearray(data)
    at = central_entry(out, name)
    layout = {
        "flags": (CD_FLAGS, "<H"),
        "method": (CD_METHOD, "<H"),
        "crc": (CD_CRC, "<I"),
        "file_size": (CD_FILE_SIZE, "<I"),
    }
    for key, value in fields.items():
        offset, fmt = layout[key]
        struct.pack_into(fmt, out, at + offset, value)
    return bytes(out)


@pytest.fixture
def docx(tmp_path):
    """Factory: write ``data`` (zip bytes) as a .docx under ``tmp_path`` and return its path."""

    def write(data: bytes, name: str = "draft.docx") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def refused(path: Path, match: str, part: str = DOCUMENT_PART) -> WcodocError:
    """Open ``path`` and read ``part``, expecting a refusal that names the file."""
    with pytest.raises(WcodocError, match=match) as info, open_docx(path) as package:
        package.read(part)
    assert info.value.path == path
    return info.value


# --- what a sound package gives ----------------------------------------------------------------


def test_sound_package_lists_reads_and_parses_its_parts(docx):
    path = docx(zip_bytes({DOCUMENT_PART: DOC, "word/styles.xml": b"<styles/>"}))
    with open_docx(str(path)) as package:
        assert package.path == path
        assert package.names == frozenset({DOCUMENT_PART, "word/styles.xml"})
        assert package.has("word/styles.xml") and not package.has("word/numbering.xml")
        assert package.read(DOCUMENT_PART) == DOC
        root = package.xml(DOCUMENT_PART)
        assert root.tag == f"{{{W_NS}}}document"
        assert root.findtext(f".//{{{W_NS}}}t") == "Hello"
        assert package.xml(DOCUMENT_PART) is root  # parsed once, then cached


def test_document_part_alone_is_enough(docx):
    """styles.xml and numbering.xml are optional: a package without them still opens."""
    with open_docx(docx(zip_bytes({DOCUMENT_PART: DOC}))) as package:
        assert not package.has("word/styles.xml")
        assert not package.has("word/numbering.xml")
        assert package.xml(DOCUMENT_PART).tag == f"{{{W_NS}}}document"


def test_leaving_the_with_block_closes_the_zip(docx):
    with open_docx(docx(zip_bytes({DOCUMENT_PART: DOC}))) as package:
        pass
    with pytest.raises(WcodocError, match="already closed"):
        package.read(DOCUMENT_PART)


def test_stored_parts_are_read_too(docx):
    path = docx(zip_bytes({DOCUMENT_PART: DOC}, method=zipfile.ZIP_STORED))
    with open_docx(path) as package:
        assert package.read(DOCUMENT_PART) == DOC


# --- not a DOCX at all -------------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "gone.docx"
    with pytest.raises(WcodocError) as info:
        open_docx(path)
    assert (info.value.message, info.value.path) == ("file not found", path)


def test_folder_named_like_a_docx(tmp_path):
    (tmp_path / "draft.docx").mkdir()
    with pytest.raises(WcodocError, match=r"expected a \.docx file, found a folder"):
        open_docx(tmp_path / "draft.docx")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"Dear delegates,\n", id="text"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), id="ole-doc-or-encrypted-docx"),
        pytest.param(zip_bytes({DOCUMENT_PART: DOC})[:60], id="truncated-zip"),
    ],
)
def test_non_zip_is_refused(docx, data):
    with pytest.raises(WcodocError) as info:
        open_docx(docx(data))
    assert info.value.message == "not a DOCX file (not a zip archive)"


@pytest.mark.parametrize(
    "name",
    [
        "document.xml",
        "word/Document.xml.bak",
        "../word/document.xml",
        "/word/document.xml",
        "word/../word/document.xml",
        "word\\document.xml",
    ],
)
def test_zip_without_the_exact_document_part_is_refused(docx, name):
    """Look-alike names (other folders, traversal, backslashes) do not count as the document."""
    path = docx(zip_bytes({name: DOC, "[Content_Types].xml": b"<Types/>"}))
    with pytest.raises(WcodocError, match=r"not a Word document: the zip has no word/document\.xml"):
        open_docx(path)


def test_a_refused_package_leaves_no_file_open(docx):
    path = docx(zip_bytes({"word/other.xml": DOC}))
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        with pytest.raises(WcodocError):
            open_docx(path)
    assert len(os.listdir("/proc/self/fd")) == before


def test_traversal_names_are_inert_part_names(docx, tmp_path):
    """Nothing is extracted: a part called ``../../evil.xml`` is only a name in the package."""
    path = docx(zip_bytes({"../../evil.xml": b"<evil/>", "/etc/cron.d/x": b"* * *", DOCUMENT_PART: DOC}))
    with open_docx(path) as package:
        assert package.names == frozenset({"../../evil.xml", "/etc/cron.d/x", DOCUMENT_PART})
        assert package.read("../../evil.xml") == b"<evil/>"
        assert package.read(DOCUMENT_PART) == DOC
    assert [p.name for p in tmp_path.iterdir()] == ["draft.docx"]


# --- zip bombs and lying directories -------------------------------------------------------------


def test_highly_compressed_big_part_is_refused_before_inflating(docx):
    bomb = b"<a>" + b" " * 2_000_000 + b"</a>"  # ~1000:1 with deflate
    path = docx(zip_bytes({DOCUMENT_PART: bomb}))
    with pytest.raises(WcodocError, match=r"part word/document\.xml is compressed [\d,]+:1, like a zip bomb"):
        open_docx(path)


def test_highly_compressed_small_part_is_accepted(docx):
    """Below ``RATIO_FLOOR`` the ratio does not matter: a short run of spaces is no bomb."""
    padding = b"<a>" + b" " * 900_000 + b"</a>"
    with open_docx(docx(zip_bytes({DOCUMENT_PART: padding}))) as package:
        assert len(package.read(DOCUMENT_PART)) == 900_007


def test_big_ordinary_document_is_accepted(docx):
    """A real draft's document.xml (above the ratio floor, ratio well under 200) opens."""
    xml = document_xml(sample_items(2500)).encode()
    assert len(xml) > safe.RATIO_FLOOR
    with open_docx(docx(zip_bytes({DOCUMENT_PART: xml}))) as package:
        assert package.read(DOCUMENT_PART) == xml


def test_part_declared_too_big_is_refused_from_the_directory(docx):
    data = patched(zip_bytes({DOCUMENT_PART: DOC}), DOCUMENT_PART, file_size=250_000_000)
    with pytest.raises(WcodocError, match=r"part word/document\.xml would inflate to 250,000,000 bytes"):
        open_docx(docx(data))


def test_parts_too_big_together_are_refused(docx, monkeypatch):
    monkeypatch.setattr(safe, "MAX_TOTAL_BYTES", 1_000)
    part = b"<a>" + b"x" * 594 + b"</a>"  # 601 bytes
    with open_docx(docx(zip_bytes({DOCUMENT_PART: part}), "one.docx")):
        pass
    two = docx(zip_bytes({DOCUMENT_PART: part, "word/styles.xml": part}), "two.docx")
    with pytest.raises(WcodocError, match="package would inflate to 1,202 bytes"):
        open_docx(two)


def test_inflated_bytes_never_exceed_the_declared_size(docx):
    """A directory that understates a part's size (with a matching CRC) gets exactly that many bytes."""
    data = zip_bytes({DOCUMENT_PART: DOC})
    path = docx(patched(data, DOCUMENT_PART, file_size=40, crc=zlib.crc32(DOC[:40])))
    with open_docx(path) as package:
        assert package.read(DOCUMENT_PART) == DOC[:40]
        with pytest.raises(WcodocError, match=r"word/document\.xml is not well-formed XML"):
            package.xml(DOCUMENT_PART)


def test_understated_size_without_matching_crc_is_damage(docx):
    path = docx(patched(zip_bytes({DOCUMENT_PART: DOC}), DOCUMENT_PART, file_size=40))
    refused(path, r"damaged DOCX: cannot read word/document\.xml \(Bad CRC-32")


def test_corrupt_deflate_stream_is_damage(docx):
    data = bytearray(zip_bytes({DOCUMENT_PART: DOC * 50}))
    start = 30 + len(DOCUMENT_PART)  # local header, then the name, then the compressed bytes
    for k in range(start, start + 20):
        data[k] ^= 0xFF
    refused(docx(bytes(data)), r"damaged DOCX: cannot read word/document\.xml")


def test_unknown_compression_method_is_damage(docx):
    path = docx(patched(zip_bytes({DOCUMENT_PART: DOC}), DOCUMENT_PART, method=97))
    refused(path, r"damaged DOCX: cannot read word/document\.xml \(.*compression method")


def test_encrypted_part_is_refused_with_a_hint(docx):
    path = docx(patched(zip_bytes({DOCUMENT_PART: DOC}), DOCUMENT_PART, flags=0x1))
    refused(path, "word/document.xml is encrypted; save the draft again without a password")


# --- the XML inside ------------------------------------------------------------------------------


def test_well_formed_part_keeps_character_and_predefined_entities():
    root = parse_xml(b"<a>&amp; &#169; &lt;b&gt;</a>")
    assert root.text == "& \u00a9 <b>"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<lolz>&lol3;</lolz>"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(BILLION_LAUGHS, "contains a DTD or entity declarations", id="billion-laughs"),
        pytest.param(b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', "contains a DTD", id="external-dtd"),
        pytest.param(
            b"<a><!-- " + b"x" * 5000 + b' --><b/></a><!ENTITY e "x">',
            "contains a DTD or entity declarations",
            id="entity-declaration-late-in-the-part",
        ),
        pytest.param(
            b"<?xml version='1.0'?><!-- "
            + b"x" * 5000
            + b' --><!DOCTYPE a SYSTEM "http://127.0.0.1:9/x"><a/>',
            "contains a DTD, which DOCX forbids",
            id="doctype-after-4kb",
        ),
        pytest.param(
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>'.encode(
                "utf-16"
            ),
            "contains a DTD, which DOCX forbids",
            id="dtd-in-utf16",
        ),
    ],
)
def test_dtds_and_entities_are_refused(data, message):
    with pytest.raises(WcodocError, match=message) as info:
        parse_xml(data, Path("old.docx"), "word/document.xml")
    assert str(info.value).startswith("old.docx: word/document.xml ")


def test_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]><x>&e;</x>'.encode()
    with pytest.raises(WcodocError) as info:
        parse_xml(xml)
    assert "TOP SECRET" not in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"<w:document><w:body>", id="cut-short"),
        pytest.param(b"<a><b></a></b>", id="crossed-tags"),
        pytest.param(b"<a>&nbsp;</a>", id="undeclared-entity"),
        pytest.param(b"<a>\xff\xfe</a>", id="not-utf8"),
        pytest.param(b"<a>" * 300 + b"</a>" * 300, id="nested-300-deep"),
    ],
)
def test_malformed_xml_is_refused_with_the_part_and_file(data):
    with pytest.raises(WcodocError) as info:
        parse_xml(data, "new.docx", "word/styles.xml")
    assert re.fullmatch(r"word/styles\.xml is not well-formed XML \(.+\)", info.value.message)
    assert info.value.path == "new.docx"


def test_malformed_part_in_a_package_names_the_package(docx):
    path = docx(zip_bytes({DOCUMENT_PART: b"<w:document><w:body>"}))
    with open_docx(path) as package, pytest.raises(WcodocError) as info:
        package.xml(DOCUMENT_PART)
    assert str(info.value).startswith(f"{path}: word/document.xml is not well-formed XML")
