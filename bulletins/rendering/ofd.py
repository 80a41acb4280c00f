"""The issue as an OFD document (GB/T 33190-2016), derived page by page from its PDF.

The PDF is read with pdfminer.six: every character with its font, size, colour and the origin of
its glyph, every painted path (the red masthead rules, the 版记 rules, table borders) and every
image. Each becomes the OFD object that says the same thing: ``TextObject``/``TextCode`` with the
character positions (so the text can be searched and copied), ``PathObject`` with the path in
``AbbreviatedData``, ``ImageObject`` over an embedded image. The fonts embedded are the subset
font programs the PDF itself embeds (sfnt files with the glyphs and cmap of the characters used);
a PDF font without a usable one is matched by name to a configured face, which fontTools subsets
to the characters used. Positions
are converted from PDF points (origin bottom left) to OFD millimetres (origin top left) without
any other rounding than to 1/1000 mm.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont
from lxml import etree
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTComponent, LTFigure, LTImage, LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import apply_matrix_pt
from PIL import Image

from bulletins.models import Issue
from bulletins.rendering.fonts import FontFace, FontSet, current_fonts
from bulletins.rendering.html import PrintedIssue, document_metadata, printed_issue

OFD_NS = "http://www.ofdspec.org/2016"
OFD = f"{{{OFD_NS}}}"
NSMAP = {"ofd": OFD_NS}
OFD_CONTENT_TYPE = "application/ofd"
MM_PER_PT = 25.4 / 72
CREATOR = "简报编辑印发系统"


def mm(points: float) -> float:
    return points * MM_PER_PT


def fmt(value: float) -> str:
    """A length in millimetres with at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


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


# --- fonts ----------------------------------------------------------------------------------

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


def _key(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).lower() if ch.isalnum())


@functools.cache
def _face_keys(path: str, index: int) -> frozenset[str]:
    """The names a PDF writer may give this face: family (+ style), full and PostScript names."""
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        table = font["name"]
        names: dict[int, set[str]] = {}
        for record in table.names:
            try:
                names.setdefault(record.nameID, set()).add(record.toUnicode())
            except UnicodeDecodeError:
                continue
    finally:
        font.close()
    keys = set()
    for name_id in (1, 4, 6, 16, 21):
        keys |= {_key(n) for n in names.get(name_id, ())}
    for family_id, style_id in ((1, 2), (16, 17), (21, 22)):
        for family in names.get(family_id, ()):
            for style in names.get(style_id, ()):
                keys.add(_key(family + style))
                if _key(style) in {"regular", "book", "normal", "roman"}:
                    keys.add(_key(family))
    return frozenset(k for k in keys if k)


def match_face(pdf_font_name: str, fonts: FontSet) -> FontFace | None:
    """The configured face a PDF font was made from, recognised by its name."""
    key = _key(_SUBSET_PREFIX.sub("", pdf_font_name))
    for face in fonts.faces:
        # A reduced copy is known to the PDF by the CSS family it was given (…GB2312 W700).
        if key in _face_keys(face.path, face.index) or (face.name and key.startswith(_key(face.name))):
            return face
    return None


@dataclass
class EmbeddedFont:
    """A font program in the package: the PDF's own subset, or a configured face subset here."""

    id: int
    family: str
    name: str
    bold: bool
    program: bytes | None = None  # the subset font the PDF embeds (its glyphs, metrics and cmap)
    face: FontFace | None = None  # else the configured face, subset to `characters`
    characters: set[str] = field(default_factory=set)

    @functools.cached_property
    def metrics(self) -> tuple[float, float]:
        """hhea ascent and descent in em: the text boundary's extent above and below the baseline."""
        font = self._open()
        try:
            units = font["head"].unitsPerEm
            return font["hhea"].ascent / units, -font["hhea"].descent / units
        finally:
            font.close()

    @property
    def file_name(self) -> str:
        return f"font_{self.id}.{'otf' if self.is_cff else 'ttf'}"

    @functools.cached_property
    def is_cff(self) -> bool:
        font = self._open()
        try:
            return "CFF " in font or "CFF2" in font
        finally:
            font.close()

    def _open(self) -> TTFont:
        if self.program is not None:
            return TTFont(io.BytesIO(self.program), lazy=True)
        face = self._face()
        return TTFont(face.path, fontNumber=face.index, lazy=True)

    def data(self) -> bytes:
        return self.program if self.program is not None else self.subset()

    def _face(self) -> FontFace:
        if self.face is None:
            raise ValueError(f"font {self.id} has neither a program nor a configured face")
        return self.face

    def subset(self) -> bytes:
        """The face cut down to the characters this document prints (glyph outlines, metrics, cmap)."""
        face = self._face()
        font = TTFont(face.path, fontNumber=face.index, recalcBBoxes=False,
                      recalcTimestamp=False)
        options = ft_subset.Options()
        options.layout_features = []  # positions are explicit: no shaping needed
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.recalc_timestamp = False
        options.desubroutinize = True  # CFF: keep only the outlines of the glyphs kept
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(unicodes={ord(ch) for ch in self.characters})
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
        font.close()
        return out.getvalue()


def embedded_program(pdf_font) -> bytes | None:
    """The font file a PDF font embeds (FontFile2 TrueType or FontFile3 OpenType), if it can be
    used as it is: an sfnt with a cmap, as WeasyPrint writes them."""
    descriptor = getattr(pdf_font, "descriptor", None) or {}
    for key in ("FontFile2", "FontFile3"):
        stream = resolve1(descriptor.get(key))
        if stream is None:
            continue
        try:
            data = stream.get_data()
            font = TTFont(io.BytesIO(data), lazy=True)
            usable = "cmap" in font and bool(font.getBestCmap())
            font.close()
        except Exception:  # noqa: BLE001 - a bare CFF or Type 1 program: subset the face instead
            return None
        return data if usable else None
    return None


def font_names(program: bytes) -> tuple[str, str, bool]:
    """Family name, PostScript name and boldness from the font's own tables."""
    font = TTFont(io.BytesIO(program), lazy=True)
    try:
        table = font["name"]
        family = str(table.getDebugName(16) or table.getDebugName(1) or "")
        postscript = str(table.getDebugName(6) or family)
        bold = "OS/2" in font and font["OS/2"].usWeightClass >= 600
    finally:
        font.close()
    return family, postscript, bold


# --- writing OFD ----------------------------------------------------------------------------

def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, OFD + tag, {k: str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def delta_x(values: list[float]) -> str:
    """DeltaX with runs of equal advances written as "g N value" (GB/T 33190 §11.3)."""
    parts: list[str] = []
    i = 0
    texts = [fmt(v) for v in values]
    while i < len(texts):
        j = i
        while j + 1 < len(texts) and texts[j + 1] == texts[i]:
            j += 1
        count = j - i + 1
        parts.append(f"g {count} {texts[i]}" if count > 2 else " ".join(texts[i:j + 1]))
        i = j + 1
    return " ".join(parts)


@dataclass
class _Run:
    """Characters of one font, size and colour on one baseline, left to right."""

    font: EmbeddedFont
    size: float  # pt
    color: tuple[int, int, int]
    baseline: float  # pt from the top of the page
    xs: list[float] = field(default_factory=list)  # glyph origins, pt
    text: list[str] = field(default_factory=list)
    end: float = 0.0  # right edge of the last glyph, pt

    def accepts(self, char: LTChar, font: EmbeddedFont, size: float, color, baseline: float,
                x: float) -> bool:
        return (font is self.font and abs(size - self.size) < 0.01 and color == self.color
                and abs(baseline - self.baseline) < 0.01 and x >= self.end - 0.5 * size
                and x - self.end < 3 * size)


class OFDWriter:
    """Collects the pages of one document and writes the package."""

    def __init__(self, *, fonts: FontSet) -> None:
        self.fonts = fonts
        self.next_id = 0
        self.embedded: dict[str, EmbeddedFont] = {}
        self.by_pdf_name: dict[str, EmbeddedFont] = {}
        self.media: list[tuple[int, str, str, bytes]] = []  # id, type, file, data
        self.pages: list[tuple[int, bytes]] = []
        self.page_ids: list[int] = []

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def font_for(self, char: LTChar) -> EmbeddedFont:
        pdf_font = getattr(char, "pdf_font", None)
        key = char.fontname
        font = self.by_pdf_name.get(key)
        if font is not None:
            return font
        program = embedded_program(pdf_font) if pdf_font is not None else None
        if program is not None:
            family, postscript, bold = font_names(program)
            font = EmbeddedFont(id=self.new_id(), family=family, name=postscript, bold=bold,
                                program=program)
            self.embedded[key] = font
        else:
            face = match_face(key, self.fonts) or self.fonts.face("body")
            if face is None:
                raise ValueError(f"PDF font {key} matches no configured font")
            font = self.embedded.get(face.spec)
            if font is None:
                font = self.embedded[face.spec] = EmbeddedFont(
                    id=self.new_id(), family=face.family, name=_postscript_name(face) or face.family,
                    bold=face.weight >= 600, face=face)
        self.by_pdf_name[key] = font
        return font

    # pages

    def add_page(self, page: LTPage) -> None:
        page_id = self.new_id()
        self.page_ids.append(page_id)
        width_pt, height_pt = page.width, page.height
        root = etree.Element(OFD + "Page", nsmap=NSMAP)
        area = _el(root, "Area")
        _el(area, "PhysicalBox", f"0 0 {fmt(mm(width_pt))} {fmt(mm(height_pt))}")
        content = _el(root, "Content")
        layer = _el(content, "Layer", ID=self.new_id(), Type="Body")
        run: _Run | None = None
        last_path = None
        for item in _walk(page):
            if isinstance(item, LTChar):
                text = item.get_text()
                if not text:
                    continue
                a, b, c, d, e, f = item.matrix
                if abs(b) > 1e-6 or abs(c) > 1e-6:
                    continue  # WeasyPrint sets no rotated text; nothing of ours to lose
                font = self.font_for(item)
                size = item.size  # the font size in page space (pdfminer: the em box height)
                color = rgb(item.graphicstate.ncolor) or (0, 0, 0)
                baseline = height_pt - f
                if run is None or not run.accepts(item, font, size, color, baseline, e):
                    if text.isspace():
                        continue  # a space only counts between the characters of a run
                    if run is not None:
                        self._text_object(layer, run)
                    run = _Run(font=font, size=size, color=color, baseline=baseline)
                # A glyph standing for several characters (WeasyPrint's "——" ligature): one
                # TextCode character each, sharing the glyph's advance.
                share = (item.x1 - item.x0) / len(text)
                for offset, character in enumerate(text):
                    run.xs.append(e + offset * share)
                    run.text.append(character)
                run.end = item.x1
                font.characters.update(text)
                last_path = None
                continue
            if run is not None:
                self._text_object(layer, run)
                run = None
            if isinstance(item, PaintedPath):
                element = self._path_object(layer, item, height_pt)
                if element is None:
                    continue  # a clipping path ("W n"): paints nothing
                signature = _signature(element)
                if signature == last_path:
                    # WeasyPrint fills a border's ring once per side (clipped to that side);
                    # with one colour all round, the same ring once is the same picture.
                    layer.remove(element)
                last_path = signature
                continue
            if isinstance(item, LTImage):
                self._image_object(layer, item, height_pt)
                last_path = None
        if run is not None:
            self._text_object(layer, run)
        self.pages.append((page_id, _xml(root)))

    def _text_object(self, layer, run: _Run) -> None:
        size = run.size
        ascent, descent = run.font.metrics
        top = run.baseline - ascent * size
        height = (ascent + descent) * size
        left = run.xs[0]
        width = max(run.end - left, size)
        text_object = _el(layer, "TextObject", ID=self.new_id(),
                          Boundary=" ".join(fmt(v) for v in (mm(left), mm(top), mm(width), mm(height))),
                          Font=run.font.id, Size=fmt(mm(size)))
        if run.color != (0, 0, 0):
            _el(text_object, "FillColor", Value=" ".join(map(str, run.color)))
        code = _el(text_object, "TextCode", "".join(run.text), X="0",
                   Y=fmt(mm(run.baseline - top)))
        # One advance per character after the first (a character may be two UTF-16 units, but
        # TextCode counts characters).
        deltas = [mm(b - a) for a, b in zip(run.xs, run.xs[1:], strict=False)]
        if deltas:
            code.set("DeltaX", delta_x(deltas))

    def _path_object(self, layer, path: PaintedPath, height_pt: float):
        if not (path.stroke or path.fill):
            return None
        if path.fill and path.evenodd and not path.stroke and (bands := ring_bands(path.segments)):
            # A border ring (a rectangle with a nested one cut out by the even-odd rule) as the
            # rectangles it leaves: the same area, and readers need not know the rule.
            path.segments = [segment for band in bands for segment in _rectangle(band)]
            path.evenodd = False
        pad = path.line_width / 2 if path.stroke else 0
        x0, y0 = path.x0 - pad, height_pt - path.y1 - pad
        width, height = path.width + 2 * pad, path.height + 2 * pad

        def point(p) -> str:
            return f"{fmt(mm(p[0] - x0))} {fmt(mm(height_pt - p[1] - y0))}"

        commands = []
        current = (0.0, 0.0)
        for segment in path.segments:
            op = segment[0]
            if op == "m":
                commands.append(f"M {point(segment[1])}")
            elif op == "l":
                commands.append(f"L {point(segment[1])}")
            elif op in {"c", "v", "y"}:
                points = segment[1:]
                if op == "v":  # first control point is the current point
                    points = (current, *points)
                elif op == "y":  # second control point is the end point
                    points = (*points, points[-1])
                commands.append("B " + " ".join(point(p) for p in points))
            elif op == "h":
                commands.append("C")
            if op != "h":
                current = segment[-1]
        path_object = _el(layer, "PathObject", ID=self.new_id(),
                          Boundary=" ".join(fmt(mm(v)) for v in (x0, y0, max(width, 0.01),
                                                                  max(height, 0.01))),
                          LineWidth=fmt(mm(path.line_width)) if path.stroke else None,
                          Stroke="true" if path.stroke else "false",
                          Fill="true" if path.fill else "false",
                          Rule="Even-Odd" if path.fill and path.evenodd else None)
        if path.stroke:
            _el(path_object, "StrokeColor", Value=" ".join(map(str, rgb(path.stroke_color) or (0, 0, 0))))
        if path.fill:
            _el(path_object, "FillColor", Value=" ".join(map(str, rgb(path.fill_color) or (0, 0, 0))))
        _el(path_object, "AbbreviatedData", " ".join(commands))
        return path_object

    def _image_object(self, layer, image: LTImage, height_pt: float) -> None:
        encoded = _image_bytes(image)
        if encoded is None:
            return
        kind, data = encoded
        media_id = self.new_id()
        self.media.append((media_id, kind, f"image_{media_id}.{kind.lower()}", data))
        w, h = mm(image.width), mm(image.height)
        _el(layer, "ImageObject", ID=self.new_id(),
            Boundary=" ".join(fmt(v) for v in (mm(image.x0), mm(height_pt - image.y1), w, h)),
            CTM=f"{fmt(w)} 0 0 {fmt(h)} 0 0", ResourceID=media_id)

    # the package

    def write(self, *, title: str, author: str, subject: str, keywords: list[str],
              created: str, outline: list[tuple[int, str, int]]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("OFD.xml", self._ofd_xml(title=title, author=author, subject=subject,
                                                      keywords=keywords, created=created))
            package.writestr("Doc_0/Document.xml", self._document_xml(outline))
            package.writestr("Doc_0/PublicRes.xml", self._public_res())
            package.writestr("Doc_0/DocumentRes.xml", self._document_res())
            for number, (_, content) in enumerate(self.pages):
                package.writestr(f"Doc_0/Pages/Page_{number}/Content.xml", content)
            for font in self.embedded.values():
                package.writestr(f"Doc_0/Res/{font.file_name}", font.data())
            for _, _, file_name, data in self.media:
                package.writestr(f"Doc_0/Res/{file_name}", data)
        return out.getvalue()

    def _ofd_xml(self, *, title, author, subject, keywords, created) -> bytes:
        root = etree.Element(OFD + "OFD", nsmap=NSMAP, Version="1.0", DocType="OFD")
        body = _el(root, "DocBody")
        info = _el(body, "DocInfo")
        _el(info, "DocID", uuid.uuid5(uuid.NAMESPACE_URL, f"bulletin:{title}").hex)
        _el(info, "Title", title)
        _el(info, "Author", author)
        _el(info, "Subject", subject)
        _el(info, "CreationDate", created)
        if keywords:
            words = _el(info, "Keywords")
            for word in keywords:
                _el(words, "Keyword", word)
        _el(info, "Creator", CREATOR)
        _el(info, "CreatorVersion", "1.0")
        _el(body, "DocRoot", "Doc_0/Document.xml")
        return _xml(root)

    def _document_xml(self, outline: list[tuple[int, str, int]]) -> bytes:
        root = etree.Element(OFD + "Document", nsmap=NSMAP)
        common = _el(root, "CommonData")
        # Every ID used so far, plus the outline's actions' none (IDs are only on objects).
        _el(common, "MaxUnitID", str(self.next_id))
        area = _el(common, "PageArea")
        _el(area, "PhysicalBox", "0 0 210 297")
        _el(common, "PublicRes", "PublicRes.xml")
        _el(common, "DocumentRes", "DocumentRes.xml")
        pages = _el(root, "Pages")
        for number, page_id in enumerate(self.page_ids):
            _el(pages, "Page", ID=page_id, BaseLoc=f"Pages/Page_{number}/Content.xml")
        if outline:
            outlines = _el(root, "Outlines")
            parents: dict[int, etree._Element] = {0: outlines}
            for level, text, page in outline:
                if not 1 <= page <= len(self.page_ids):
                    continue
                parent = parents.get(level - 1, outlines)
                element = _el(parent, "OutlineElem", Title=text)
                actions = _el(element, "Actions")
                action = _el(actions, "Action", Event="CLICK")
                goto = _el(action, "Goto")
                _el(goto, "Dest", Type="XYZ", PageID=self.page_ids[page - 1], Left="0", Top="0")
                parents[level] = element
        return _xml(root)

    def _public_res(self) -> bytes:
        root = etree.Element(OFD + "Res", nsmap=NSMAP, BaseLoc="Res")
        if self.embedded:
            fonts = _el(root, "Fonts")
            for font in self.embedded.values():
                element = _el(fonts, "Font", ID=font.id, FontName=font.name, FamilyName=font.family,
                              Bold="true" if font.bold else None)
                _el(element, "FontFile", font.file_name)
        return _xml(root)

    def _document_res(self) -> bytes:
        root = etree.Element(OFD + "Res", nsmap=NSMAP, BaseLoc="Res")
        if self.media:
            medias = _el(root, "MultiMedias")
            for media_id, kind, file_name, _ in self.media:
                element = _el(medias, "MultiMedia", ID=media_id, Type="Image", Format=kind)
                _el(element, "MediaFile", file_name)
        return _xml(root)


def _rectangles(segments) -> list[tuple[float, float, float, float]] | None:
    """The axis-aligned rectangles (x0, y0, x1, y1) a path is made of, or None if it is not."""
    subpaths: list[list] = []
    for segment in segments:
        if segment[0] == "m":
            subpaths.append([segment[1]])
        elif segment[0] == "l" and subpaths:
            subpaths[-1].append(segment[1])
        elif segment[0] != "h":
            return None
    found = []
    for points in subpaths:
        if len(points) == 5 and points[4] == points[0]:
            points = points[:4]
        xs = sorted({round(p[0], 3) for p in points})
        ys = sorted({round(p[1], 3) for p in points})
        if len(points) != 4 or len(xs) != 2 or len(ys) != 2:
            return None
        found.append((xs[0], ys[0], xs[1], ys[1]))
    return found


def ring_bands(segments) -> list[tuple[float, float, float, float]] | None:
    """For a rectangle with a rectangle inside it, the up to four bands between the two."""
    rects = _rectangles(segments)
    if not rects or len(rects) != 2:
        return None
    outer, inner = sorted(rects, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
    if not (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]):
        return None
    bands = [(outer[0], inner[3], outer[2], outer[3]),  # top (PDF y grows upwards)
             (outer[0], outer[1], outer[2], inner[1]),  # bottom
             (outer[0], inner[1], inner[0], inner[3]),  # left
             (inner[2], inner[1], outer[2], inner[3])]  # right
    return [b for b in bands if b[2] - b[0] > 1e-6 and b[3] - b[1] > 1e-6]


def _rectangle(box):
    x0, y0, x1, y1 = box
    return [("m", (x0, y0)), ("l", (x1, y0)), ("l", (x1, y1)), ("l", (x0, y1)), ("h",)]


def _signature(element) -> bytes | None:
    if element is None:
        return None
    attributes = {k: v for k, v in element.attrib.items() if k != "ID"}
    return repr(attributes).encode() + b"".join(etree.tostring(child) for child in element)


@functools.cache
def _postscript_name(face: FontFace) -> str:
    font = TTFont(face.path, fontNumber=face.index, lazy=True)
    try:
        return str(font["name"].getDebugName(6) or "")
    finally:
        font.close()


def _image_bytes(image: LTImage) -> tuple[str, bytes] | None:
    """The image as JPEG (passed through) or PNG (decoded from the PDF's samples)."""
    stream = image.stream
    filters = [name for name, _ in stream.get_filters()] if hasattr(stream, "get_filters") else []
    filter_names = [getattr(f, "name", str(f)) for f in filters]
    if filter_names and filter_names[-1] == "DCTDecode" and (raw := stream.get_rawdata()) is not None:
        return "JPEG", raw
    width, height = (int(v) for v in image.srcsize)
    bits = int(image.bits or 8)
    space = getattr(image.colorspace[0], "name", str(image.colorspace[0])) if image.colorspace else ""
    try:
        data = stream.get_data()
    except Exception:  # noqa: BLE001 - an undecodable image is left out, like an unknown filter
        return None
    mode = {"DeviceRGB": "RGB", "DeviceGray": "L", "DeviceCMYK": "CMYK"}.get(space)
    if mode is None or bits != 8 or len(data) < width * height * len(mode):
        return None
    picture = Image.frombytes(mode, (width, height), data[: width * height * len(mode)])
    if mode == "CMYK":
        picture = picture.convert("RGB")
    mask = stream.get("SMask")
    if mask is not None:
        mask = resolve1(mask)
        try:
            alpha = Image.frombytes("L", (width, height), mask.get_data()[: width * height])
            picture = picture.convert("RGBA")
            picture.putalpha(alpha)
        except (ValueError, AttributeError):
            pass
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=False)
    return "PNG", out.getvalue()


def pdf_to_ofd(pdf: bytes, *, fonts: FontSet | None = None, title: str = "", author: str = "",
               subject: str = "", keywords: list[str] | None = None, created: str = "") -> bytes:
    """An OFD package with the pages, text, rules and images of `pdf`."""
    from bulletins.rendering.outline import outline_pages

    writer = OFDWriter(fonts=fonts or current_fonts())
    for page in read_pdf(pdf):
        writer.add_page(page)
    return writer.write(title=title, author=author, subject=subject, keywords=keywords or [],
                        created=created, outline=outline_pages(pdf))


def render_printed_issue_ofd(printed: PrintedIssue, pdf: bytes, *, fonts: FontSet | None = None) -> bytes:
    metadata = document_metadata(printed)
    return pdf_to_ofd(pdf, fonts=fonts, title=printed.title, author=metadata.author,
                      subject=metadata.subject, keywords=list(metadata.keywords),
                      created=printed.issue.date.isoformat())


# Part of the cache key: bump it when the OFD written for the same PDF changes.
OFD_VERSION = "1"


def render_issue_ofd(issue: Issue, *, use_cache: bool = True) -> bytes:
    """The OFD edition of an issue, from the cache when nothing it prints has changed.

    It is keyed like the PDF (the issue's HTML, the font files, the PDF options), so it is
    rebuilt exactly when the PDF is.
    """
    from bulletins.rendering.cache import cache_key, get_cached_pdf, set_cached_pdf
    from bulletins.rendering.html import render_issue_html
    from bulletins.rendering.pdf import render_issue_pdf

    fonts = current_fonts()
    printed = printed_issue(issue)
    key = f"{cache_key(render_issue_html(printed, fonts=fonts), fonts)}:ofd:{OFD_VERSION}"
    if use_cache and (ofd := get_cached_pdf(key)) is not None:
        return ofd
    ofd = render_printed_issue_ofd(printed, render_issue_pdf(issue, use_cache=use_cache, printed=printed),
                                   fonts=fonts)
    if use_cache:
        set_cached_pdf(key, ofd)
    return ofd


def issue_ofd_filename(issue: Issue) -> str:
    from bulletins.rendering.pdf import issue_pdf_filename

    return issue_pdf_filename(issue).removesuffix(".pdf") + ".ofd"


def issue_ofd_display_name(issue: Issue) -> str:
    from bulletins.rendering.pdf import issue_pdf_display_name

    return issue_pdf_display_name(issue).removesuffix(".pdf") + ".ofd"
