"""Ordinary Word files, not built by wcodoc: paragraphs holding pictures, text boxes
(DrawingML with its VML fallback, as Word writes them, or VML alone), equations, charts and
SmartArt, written with python-docx and lxml.

A document is a list of *blocks*; a block is a paragraph (a list of pieces, or one string) or
a :class:`Table` (rows of cells, each cell a paragraph). A piece is a string (a run of
text) or one of :class:`Picture`, :class:`TextBox`, :class:`Equation`, :class:`Chart`,
:class:`SmartArt`::

    write_office(path, ["Intro.", ["See ", Picture("red"), " here."], Table([["a", [Picture("blue")]]])])
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree
from PIL import Image

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}
DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
EMU_PER_CM = 360_000


@dataclass(frozen=True)
class Picture:
    """An inline picture: a small PNG of one colour, ``width_cm`` wide."""

    colour: str
    width_cm: float = 2.0


@dataclass(frozen=True)
class TextBox:
    """A floating text box holding one paragraph per item of ``paragraphs``; ``vml_only``
    writes it as VML (``v:textbox``) alone, else as DrawingML (``wps:txbx``) with the VML
    copy as its fallback, as Word does."""

    paragraphs: tuple[str, ...]
    vml_only: bool = False


@dataclass(frozen=True)
class Equation:
    """An Office Math equation (``m:oMath``) of one run of ``text``."""

    text: str


@dataclass(frozen=True)
class Chart:
    """A bar chart of ``values`` (its part ``word/charts/chartN.xml``)."""

    values: tuple[float, ...]


@dataclass(frozen=True)
class SmartArt:
    """A SmartArt diagram of ``items`` (its data, layout, style and colours parts)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: rows of cells, each cell a paragraph (a string or a list of pieces)."""

    rows: tuple[tuple[object, ...], ...]


Piece = str | Picture | TextBox | Equation | Chart | SmartArt


def write_office(path: Path | str, blocks: list, *, styles: dict[int, str] | None = None) -> Path:
    """Write ``blocks`` (see the module's docstring) as a DOCX at ``path``; ``styles`` gives
    some blocks (by index) a paragraph style name (``Heading 1``)."""
    document = docx.Document()
    writer = _Writer(document)
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            writer.table(block)
            continue
        paragraph = document.add_paragraph(style=(styles or {}).get(index))
        writer.fill(paragraph._p, [block] if isinstance(block, str) else block)
    path = Path(path)
    document.save(str(path))
    return path


class _Writer:
    def __init__(self, document):
        self.document = document
        self.next_id = 100
        self.charts = 0
        self.diagrams = 0

    def table(self, table: Table) -> None:
        grid = self.document.add_table(rows=len(table.rows), cols=len(table.rows[0]))
        for row, cells in zip(grid.rows, table.rows, strict=True):
            for cell, content in zip(row.cells, cells, strict=True):
                self.fill(cell.paragraphs[0]._p, [content] if isinstance(content, str) else list(content))

    def fill(self, p: etree._Element, pieces: list) -> None:
        for piece in pieces:
            if isinstance(piece, str):
                p.append(_xml(f'<w:r><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>'))
            elif isinstance(piece, Picture):
                p.append(self.picture(piece))
            elif isinstance(piece, TextBox):
                p.append(self.textbox(piece))
            elif isinstance(piece, Equation):
                p.append(_xml(f"<m:oMath><m:r><m:t>{escape(piece.text)}</m:t></m:r></m:oMath>"))
            elif isinstance(piece, Chart):
                p.append(self.chart(piece))
            elif isinstance(piece, SmartArt):
                p.append(self.smartart(piece))
            else:
                raise TypeError(piece)

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def picture(self, picture: Picture) -> etree._Element:
        image = io.BytesIO()
        Image.new("RGB", (40, 30), picture.colour).save(image, "PNG")
        image.seek(0)
        paragraph = self.document.add_paragraph()  # python-docx adds pictures to runs only
        run = paragraph.add_run()
        run.add_picture(image, width=int(picture.width_cm * EMU_PER_CM))
        paragraph._p.getparent().remove(paragraph._p)
        return run._r

    def textbox(self, box: TextBox) -> etree._Element:
        content = "".join(
            f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>' for text in box.paragraphs
        )
        number = self._id()
        vml = (
            f'<w:pict><v:shape id="Text Box {number}" o:spid="_x0000_s{number}" type="#_x0000_t202" '
            'style="position:absolute;margin-left:0;margin-top:0;width:160pt;height:48pt;z-index:1">'
            f"<v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>"
        )
        if box.vml_only:
            return _xml(f"<w:r>{vml}</w:r>")
        drawing = (
            '<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
            'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
            '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
            '</wp:positionV><wp:extent cx="2032000" cy="609600"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="{number}" name="Text Box {number}"/>'
            "<wp:cNvGraphicFramePr/><a:graphic><a:graphicData "
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2032000" cy="609600"/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
            f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
            '<wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"><a:noAutofit/></wps:bodyPr>'
            "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        )
        return _xml(
            f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
        )

    def _relate(self, name: str, content_type: str, xml: str, kind: str) -> str:
        package = self.document.part.package
        part = Part(PackURI(name), content_type, xml.encode(), package)
        return self.document.part.relate_to(part, kind)

    def _graphic_frame(self, uri: str, inner: str, name: str) -> etree._Element:
        number = self._id()
        return _xml(
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            '<wp:extent cx="3600000" cy="2160000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{number}" name="{name} {number}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="{uri}">{inner}</a:graphicData></a:graphic>'
            "</wp:inline></w:drawing></w:r>"
        )

    def chart(self, chart: Chart) -> etree._Element:
        self.charts += 1
        points = "".join(f'<c:pt idx="{k}"><c:v>{value}</c:v></c:pt>' for k, value in enumerate(chart.values))
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace {DECLARATIONS}>'
            '<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/>'
            '<c:grouping val="clustered"/>'
            f'<c:ser><c:idx val="0"/><c:order val="0"/><c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache>'
            f'<c:ptCount val="{len(chart.values)}"/>{points}</c:numCache></c:numRef></c:val></c:ser>'
            '<c:axId val="1"/><c:axId val="2"/></c:barChart>'
            '<c:catAx><c:axId val="1"/><c:scaling/><c:axPos val="b"/><c:crossAx val="2"/></c:catAx>'
            '<c:valAx><c:axId val="2"/><c:scaling/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx>'
            "</c:plotArea></c:chart></c:chartSpace>"
        )
        rid = self._relate(
            f"/word/charts/chart{self.charts}.xml",
            "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
            xml,
            RT.CHART,
        )
        return self._graphic_frame(
            "http://schemas.openxmlformats.org/drawingml/2006/chart", f'<c:chart r:id="{rid}"/>', "Chart"
        )

    def smartart(self, art: SmartArt) -> etree._Element:
        self.diagrams += 1
        n = self.diagrams
        points = "".join(
            f'<dgm:pt modelId="{{0000000{k}-0000-0000-0000-000000000000}}"><dgm:prSet/><dgm:spPr/>'
            f"<dgm:t><a:bodyPr/><a:p><a:r><a:t>{escape(item)}</a:t></a:r></a:p></dgm:t></dgm:pt>"
            for k, item in enumerate(art.items, start=1)
        )
        data = f"<dgm:dataModel {DECLARATIONS}><dgm:ptLst>{points}</dgm:ptLst></dgm:dataModel>"
        parts = {
            "dm": ("data", "diagramData", data),
            "lo": ("layout", "diagramLayout", f'<dgm:layoutDef {DECLARATIONS} uniqueId="urn:list"/>'),
            "qs": ("quickStyle", "diagramStyle", f'<dgm:styleDef {DECLARATIONS} uniqueId="urn:simple"/>'),
            "cs": ("colors", "diagramColors", f'<dgm:colorsDef {DECLARATIONS} uniqueId="urn:accent1"/>'),
        }
        kinds = {
            "dm": RT.DIAGRAM_DATA,
            "lo": RT.DIAGRAM_LAYOUT,
            "qs": RT.DIAGRAM_QUICK_STYLE,
            "cs": RT.DIAGRAM_COLORS,
        }
        ids = {}
        for attr, (name, content, xml) in parts.items():
            ids[attr] = self._relate(
                f"/word/diagrams/{name}{n}.xml",
                f"application/vnd.openxmlformats-officedocument.drawingml.{content}+xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml,
                kinds[attr],
            )
        relations = " ".join(f'r:{attr}="{rid}"' for attr, rid in ids.items())
        uri = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
        return self._graphic_frame(uri, f"<dgm:relIds {relations}/>", "Diagram")


def _xml(text: str) -> etree._Element:
    """One element from its XML text, the prefixes of :data:`NAMESPACES` declared."""
    wrapper = etree.fromstring(f"<wrapper {DECLARATIONS}>{text}</wrapper>")
    return wrapper[0]
