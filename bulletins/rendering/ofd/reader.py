"""Reading the PDF with pdfminer.six: every character with its font, size, colour and glyph origin,
every painted path and every image."""

from __future__ import annotations

import io
from collections.abc import Iterator

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTComponent, LTFigure, LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.utils import apply_matrix_pt

# --- reading the PDF ------------------------------------------------------------------------

class PaintedPath(LTComponent):
    """A path as painted: its segments in page space, paint mode, colours and line width."""

    def __init__(self, segments, *, stroke: bool, fill: bool, evenodd: bool, line_width: float,
                 stroke_color, fill_color, dash) -> None:
        points = [pt for segment in segments for pt in segment[1:]]
        xs, ys = [p[0] for p in points] or [0], [p[1] for p in points] or [0]
        super().__init__((min(xs), min(ys), max(xs), max(ys)))
        self.segments = segments
        self.stroke, self.fill, self.evenodd = stroke, fill, evenodd
        self.line_width = line_width
        self.stroke_color, self.fill_color = stroke_color, fill_color
        self.dash = dash


class _Device(PDFPageAggregator):
    """pdfminer's aggregator without layout analysis, keeping paths whole and in paint order."""

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
        self.cur_item._objs[-1].pdf_font = font  # type: ignore[attr-defined]  # which font program drew it
        return advance

    def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:
        segments = []
        start = None
        for segment in path:
            op = segment[0]
            if op == "h":
                segments.append(("h",))
                continue
            values = [float(v) for v in segment[1:]]
            points = [apply_matrix_pt(self.ctm, (values[i], values[i + 1]))
                      for i in range(0, len(values), 2)]
            if op == "m":
                start = points[0]
            segments.append((op, *points))
        if not segments or start is None:
            return
        a, b, c, d, _, _ = self.ctm
        scale = ((abs(a * d - b * c)) ** 0.5) or 1.0  # line widths scale with the CTM
        self.cur_item.add(PaintedPath(
            segments, stroke=stroke, fill=fill, evenodd=evenodd,
            line_width=float(gstate.linewidth or 0) * scale,
            stroke_color=gstate.scolor, fill_color=gstate.ncolor, dash=gstate.dash))


def read_pdf(pdf: bytes) -> Iterator[LTPage]:
    """Yield each page of `pdf` as pdfminer objects in content-stream order."""
    parser = PDFParser(io.BytesIO(pdf))
    document = PDFDocument(parser)
    manager = PDFResourceManager(caching=True)
    device = _Device(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        yield device.get_result()


def _walk(item) -> Iterator:
    for child in item:
        if isinstance(child, LTFigure):
            yield from _walk(child)
        else:
            yield child


def rgb(color) -> tuple[int, int, int] | None:
    """A pdfminer colour (gray, RGB or CMYK components from 0 to 1) as 0–255 RGB."""
    if color is None:
        return None
    values = list(color) if isinstance(color, list | tuple) else [color]
    try:
        values = [float(v) for v in values]
    except (TypeError, ValueError):
        return None
    if len(values) == 1:
        values = values * 3
    elif len(values) == 4:
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(values) != 3:
        return None
    return tuple(max(0, min(255, round(v * 255))) for v in values)
