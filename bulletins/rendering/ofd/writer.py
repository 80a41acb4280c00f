"""Writing the OFD package (GB/T 33190-2016): pages, text, paths and images, fonts and media."""

from __future__ import annotations

import functools
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from fontTools.ttLib import TTFont
from lxml import etree
from pdfminer.layout import LTChar, LTImage, LTPage
from pdfminer.pdftypes import resolve1
from PIL import Image

from bulletins.rendering.fonts import FontFace, FontSet
from bulletins.rendering.ofd.fonts import EmbeddedFont, embedded_program, font_names, match_face
from bulletins.rendering.ofd.reader import PaintedPath, _walk, rgb

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

    def __init__(self, *, fonts: FontSet,
                 program_of: Callable[[object], bytes | None] = embedded_program) -> None:
        self.fonts = fonts
        self.program_of = program_of
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
        program = self.program_of(pdf_font) if pdf_font is not None else None
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
