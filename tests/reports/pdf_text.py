"""Read a PDF back with pypdf: its text and how many filled shapes each page draws."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ContentStream

FILLS = {b"f", b"f*", b"B", b"B*", b"b", b"b*"}


def pdf_text(body: bytes) -> str:
    """Every page's text, pages joined by newlines."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def filled_shapes(body: bytes) -> list[int]:
    """Per page, the number of fill operators in its content stream (vector drawings: the
    map's districts and the charts' bars)."""
    reader = PdfReader(io.BytesIO(body))
    counts = []
    for page in reader.pages:
        ops = ContentStream(page.get_contents(), reader).operations
        counts.append(sum(1 for _, op in ops if op in FILLS))
    return counts
