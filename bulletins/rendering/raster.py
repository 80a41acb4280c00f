"""Pages of a PDF as images, for reading an issue in the browser page by page."""

from __future__ import annotations

import io

import pypdfium2

# 1.5 × 72 dpi: an A4 page about 890 px wide, sharp enough to read 3号 text on screen.
SCALE = 1.5


def pdf_page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def pdf_page_png(pdf: bytes, number: int, *, scale: float = SCALE) -> bytes | None:
    """Page `number` (from 1) as PNG; None when the PDF has no such page."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= number <= len(document):
            return None
        image = document[number - 1].render(scale=scale).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
