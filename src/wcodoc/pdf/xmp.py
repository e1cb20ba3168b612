"""The XMP metadata packet of a finished PDF, written whole from the document information.

LibreOffice 7.4's packet fails validators three ways once its dates are replaced: editing it
adds properties that declare their namespace on themselves, which PDF/A readers refuse (a
schema's namespace belongs on its ``rdf:Description``); it escapes an apostrophe in the title
twice (``L&amp;apos;avenir``) while the document information has it right; and it does not
claim PDF/UA. wcodoc therefore writes the packet itself: one ``rdf:Description`` per schema,
every value taken from the document information it must agree with, PDF/A-2b and PDF/UA-1
identification, and the PDF/A extension schema that declares ``pdfuaid`` (not one of PDF/A's
predefined schemas).
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAMESPACES = {
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
PACKET_START = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
PACKET_END = '\n<?xpacket end="w"?>'


def _rdf(name: str) -> str:
    return f"{{{RDF}}}{name}"


def _el(prefixed: str, text: str | None = None, **attrs: str) -> etree._Element:
    prefix, name = prefixed.split(":")
    uri = RDF if prefix == "rdf" else NAMESPACES[prefix]
    el = etree.Element(f"{{{uri}}}{name}", attrs)
    el.text = text
    return el


def _description(prefixes: tuple[str, ...], *children: etree._Element) -> etree._Element:
    """An ``rdf:Description`` that declares the namespaces of ``prefixes`` on itself."""
    nsmap = {"rdf": RDF, **{p: NAMESPACES[p] for p in prefixes}}
    description = etree.Element(_rdf("Description"), {_rdf("about"): ""}, nsmap=nsmap)
    description.extend(children)
    return description


def _container(prefixed: str, kind: str, item: etree._Element) -> etree._Element:
    outer = _el(prefixed)
    inner = etree.SubElement(outer, _rdf(kind))
    inner.append(item)
    return outer


def _alternative(prefixed: str, text: str) -> etree._Element:
    """A language alternative with its one default value (dc:title, dc:description)."""
    return _container(prefixed, "Alt", _el("rdf:li", text, **{XML_LANG: "x-default"}))


def _pdfuaid_declaration() -> etree._Element:
    """The PDF/A extension schema that declares ``pdfuaid:part`` (an integer, internal)."""
    resource = {_rdf("parseType"): "Resource"}
    prop = _el("rdf:li", **resource)
    prop.extend(
        [
            _el("pdfaProperty:name", "part"),
            _el("pdfaProperty:valueType", "Integer"),
            _el("pdfaProperty:category", "internal"),
            _el("pdfaProperty:description", "The part of ISO 14289 (PDF/UA) the file conforms to"),
        ]
    )
    schema = _el("rdf:li", **resource)
    schema.extend(
        [
            _el("pdfaSchema:schema", "PDF/UA identification"),
            _el("pdfaSchema:namespaceURI", NAMESPACES["pdfuaid"]),
            _el("pdfaSchema:prefix", "pdfuaid"),
            _container("pdfaSchema:property", "Seq", prop),
        ]
    )
    return _description(
        ("pdfaExtension", "pdfaSchema", "pdfaProperty"), _container("pdfaExtension:schemas", "Bag", schema)
    )


def metadata_packet(info: Mapping[str, str], moment: str) -> bytes:
    """The XMP packet of a PDF whose document information is ``info`` (``/Title`` …, the keys
    without their slash) and whose creation, modification and metadata dates are ``moment``
    (ISO 8601)."""
    dublin_core = [
        _alternative("dc:title", info["Title"]) if info.get("Title") else None,
        _container("dc:creator", "Seq", _el("rdf:li", info["Author"])) if info.get("Author") else None,
        _alternative("dc:description", info["Subject"]) if info.get("Subject") else None,
    ]
    descriptions = [
        _description(("pdfaid",), _el("pdfaid:part", "2"), _el("pdfaid:conformance", "B")),
        _description(("pdfuaid",), _el("pdfuaid:part", "1")),
        _description(("dc",), *(el for el in dublin_core if el is not None)),
        _description(
            ("pdf",),
            *(_el(f"pdf:{key}", info[key]) for key in ("Producer", "Keywords") if info.get(key)),
        ),
        _description(
            ("xmp",),
            *([_el("xmp:CreatorTool", info["Creator"])] if info.get("Creator") else []),
            _el("xmp:CreateDate", moment),
            _el("xmp:ModifyDate", moment),
            _el("xmp:MetadataDate", moment),
        ),
        _pdfuaid_declaration(),
    ]
    meta = etree.Element("{adobe:ns:meta/}xmpmeta", nsmap={"x": "adobe:ns:meta/"})
    rdf = etree.SubElement(meta, _rdf("RDF"), nsmap={"rdf": RDF})
    rdf.extend(descriptions)
    body = etree.tostring(meta, encoding="unicode", pretty_print=True)
    return (PACKET_START + body + PACKET_END).encode("utf-8")
