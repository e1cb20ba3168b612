"""Finish LibreOffice's PDF: reproducible (same DOCX, same PDF bytes), PDF/A-2b and PDF/UA-1.

LibreOffice stamps the time of conversion into the document information, the XMP metadata,
the colour profile of the PDF/A output intent and the trailer ``/ID``. wcodoc replaces each
with the document's issue date (the same rule as for the DOCX) and lets qpdf derive the
``/ID`` from the content, so drafts can be compared and cached byte for byte. The XMP packet
is written whole (:mod:`wcodoc.pdf.xmp`) and the tagging corrected for PDF/UA
(:mod:`wcodoc.pdf.tagging`).
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from wcodoc.errors import WcodocError
from wcodoc.fsutil import atomic_output
from wcodoc.pdf.xmp import metadata_packet

if TYPE_CHECKING:
    import pikepdf

_ICC_DATE = slice(24, 36)  # ICC header: dateTimeNumber, six big-endian uint16


def _moment(issued: dt.date) -> dt.datetime:
    return dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC)


def _fix_output_profile(pdf: pikepdf.Pdf, moment: dt.datetime) -> None:
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            continue
        data = bytearray(profile.read_bytes())
        if len(data) >= _ICC_DATE.stop:
            data[_ICC_DATE] = struct.pack(
                ">6H", moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
            )
            profile.write(bytes(data))


def finish_pdf(src: Path, dst: Path, issued: dt.date) -> None:
    """Copy LibreOffice's PDF ``src`` to ``dst`` with every date set to ``issued``."""
    import pikepdf  # here, not above: a DOCX-only build never needs its ~25 ms

    from wcodoc.pdf import tagging

    moment = _moment(issued)
    stamp = moment.strftime("D:%Y%m%d%H%M%SZ")
    try:
        with pikepdf.open(src) as pdf:
            pdf.docinfo["/CreationDate"] = stamp
            pdf.docinfo["/ModDate"] = stamp
            info = {str(key)[1:]: str(value) for key, value in pdf.docinfo.items()}
            packet = metadata_packet(info, moment.isoformat().replace("+00:00", "Z"))
            pdf.Root.Metadata = pdf.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
            tagging.correct(pdf)
            _fix_output_profile(pdf, moment)
            # The old /ID and LibreOffice's /DocChecksum hash the conversion time; qpdf derives
            # a new /ID from the content instead.
            for key in ("/ID", "/DocChecksum"):
                if key in pdf.trailer:
                    del pdf.trailer[key]
            with atomic_output(dst) as tmp:
                pdf.save(tmp, deterministic_id=True)
    except pikepdf.PdfError as exc:
        raise WcodocError(f"LibreOffice wrote a PDF that cannot be read: {exc}", dst) from None
