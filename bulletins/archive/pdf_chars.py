"""The characters of a PDF's pages and the rows they print, as the PDF reader takes them:
pdfminer.six gives each character with its font, size, colour and position."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from bulletins.archive.types import ArchiveFormatError
from bulletins.text import fold_radicals

BOLD_FONT_RE = re.compile(r"bold|heavy|black|semibold|demibold|hei|w[6-9]\b", re.IGNORECASE)
# In units of the characters' size.
SEGMENT_GAP_EM = 2.0  # a wider gap on one row separates two things printed side by side
SPACE_GAP_EM = 1.0  # a gap this wide between two characters shows a space

DAMAGED = "PDF 文件已损坏或不完整，无法读取：请重新导出或复制原文件后再上传。"
ENCRYPTED = "PDF 文件已加密，无法读取其中的文字：请提供未加密的 PDF。"


@dataclass
class PdfPage:
    number: int  # 1-based
    chars: list[dict]
    images: int


def is_bold(char: dict) -> bool:
    return bool(BOLD_FONT_RE.search(char.get("fontname") or ""))


def is_red(color) -> bool:
    if not isinstance(color, list | tuple):
        return False
    values = [float(v) for v in color if isinstance(v, int | float)]
    if len(values) == 3:
        r, g, b = values
        return r > 0.5 and g < 0.35 and b < 0.35
    if len(values) == 4:
        c, m, y, k = values
        return c < 0.3 and m > 0.6 and y > 0.5 and k < 0.4
    return False


def page_chars(content: bytes) -> list[PdfPage]:
    """Every page's characters with font, size, colour and position (pdfminer.six, top-down
    coordinates as pdfplumber gives them), and how many images it shows.

    pdfminer is driven directly, without its layout analysis and without pdfplumber's
    conversion of every object, which more than halves the time of a 22-page issue."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException

    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[PdfPage] = []
    try:
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(content)), start=1):
            interpreter.process_page(page)
            layout = device.get_result()
            chars: list[dict] = []
            images = _collect(layout, layout.y1, chars)
            pages.append(PdfPage(number=number, chars=chars, images=images))
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise ArchiveFormatError(ENCRYPTED) from exc
    except (PDFException, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, OverflowError, ZeroDivisionError) as exc:
        if "encrypt" in str(exc).lower():
            raise ArchiveFormatError(ENCRYPTED) from exc
        raise ArchiveFormatError(DAMAGED) from exc
    return pages


def _collect(container, page_top: float, chars: list[dict]) -> int:
    from pdfminer.layout import LTChar, LTContainer, LTImage

    images = 0
    for item in container:
        if isinstance(item, LTChar):
            chars.append({
                # (Chromium's PDFs map some ideographs to radicals of the same shape.)
                "text": fold_radicals(item.get_text()), "x0": item.x0, "x1": item.x1,
                "top": page_top - item.y1,
                "bottom": page_top - item.y0, "size": item.size, "fontname": item.fontname,
                "non_stroking_color": item.graphicstate.ncolor, "upright": item.upright,
            })
        elif isinstance(item, LTImage):
            images += 1
        elif isinstance(item, LTContainer):
            images += _collect(item, page_top, chars)
    return images


def rows(chars: list[dict]) -> list[list[dict]]:
    """Group characters into rows by their vertical middle; a small bullet joins its text's row."""
    rows: list[list[dict]] = []
    middles: list[float] = []
    for char in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        middle = (char["top"] + char["bottom"]) / 2
        if rows and middle - middles[-1] <= 0.4 * max(char["size"], rows[-1][0]["size"]):
            rows[-1].append(char)
        else:
            rows.append([char])
            middles.append(middle)
    return [sorted(row, key=lambda c: c["x0"]) for row in rows]


def row_segments(row: list[dict]) -> list[list[dict]]:
    """The things printed side by side on a row, apart by a wide gap; a narrower visible gap
    (a tab before a TOC entry's page number) is a space."""
    segments: list[list[dict]] = [[row[0]]]
    for char in row[1:]:
        previous = segments[-1][-1]
        size = max(char["size"], previous["size"])
        gap = char["x0"] - previous["x1"]
        if gap > SEGMENT_GAP_EM * size:
            segments.append([char])
            continue
        if gap > SPACE_GAP_EM * size and previous["text"].strip() and char["text"].strip():
            segments[-1].append(previous | {"text": " ", "x0": previous["x1"], "x1": char["x0"]})
        segments[-1].append(char)
    return segments


def strip_blank(chars: list[dict]) -> list[dict]:
    start, end = 0, len(chars)
    while start < end and not chars[start]["text"].strip():
        start += 1
    while end > start and not chars[end - 1]["text"].strip():
        end -= 1
    return chars[start:end]
