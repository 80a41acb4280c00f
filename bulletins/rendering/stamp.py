"""A reader's light watermark (访问者水印) laid over every page of a copy of the PDF of record.

The overlay is the text in light grey, three times across the page at an angle and once along the
bottom edge, in a subset of a TrueType Chinese face (LXGW WenKai by default, `BULLETIN_STAMP_FONT`)
embedded with a ToUnicode map, so that the text can be copied, searched and read back. The subset
is kept per set of characters (a reader's unit and name with the digits of any time), so a
reader's next download only merges pages. The record itself is only read: the stamped copy is a
new file, and nothing is rendered.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass

from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

FONT_NAME = "/StampFont"
STATE_NAME = "/StampGS"
OPACITY = 0.18
GREY = 0.45
ANGLE = 30  # degrees, bottom left to top right
DIAGONAL_SIZE = 16
FOOTER_SIZE = 7
# Always in the subset, so that a new time needs no new subset.
TIME_CHARACTERS = "0123456789-:. "


@dataclass(frozen=True)
class _Subset:
    program: bytes  # the TrueType subset
    glyphs: dict[str, int]  # character -> glyph id in the subset
    widths: dict[int, int]  # glyph id -> advance in thousandths of an em


def stamp_pdf(pdf: bytes, text: str) -> bytes:
    """Return a copy of `pdf` with `text` as a light watermark on every page."""
    face = _subset(settings.BULLETIN_STAMP_FONT, "".join(sorted(set(text + TIME_CHARACTERS))))
    text = "".join(ch for ch in text if ch in face.glyphs)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    font = _add(writer, _font(writer, face))
    overlays: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (float(box.width), float(box.height))
        if size not in overlays:
            overlays[size] = _overlay(writer, font, face, text, *size)
        page.merge_page(overlays[size], over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add(writer: PdfWriter, obj: PdfObject) -> IndirectObject:
    # pypdf has no public call for a new indirect object (streams must be indirect).
    return writer._add_object(obj)


@functools.lru_cache(maxsize=512)
def _subset(path: str, characters: str) -> _Subset:
    font = TTFont(path, lazy=True)
    if "glyf" not in font:
        raise ValueError(f"水印字体须为TrueType字体：{path}")
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = []
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    cmap = font.getBestCmap()
    scale = 1000 / font["head"].unitsPerEm
    glyphs = {ch: font.getGlyphID(cmap[ord(ch)]) for ch in characters if ord(ch) in cmap}
    widths = {gid: round(font["hmtx"][font.getGlyphName(gid)][0] * scale) for gid in glyphs.values()}
    return _Subset(program=out.getvalue(), glyphs=glyphs, widths=widths)


def _overlay(writer: PdfWriter, font: IndirectObject, face: _Subset, text: str,
             width: float, height: float) -> PageObject:
    page = PageObject.create_blank_page(width=width, height=height)
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject(FONT_NAME): font}),
        NameObject("/ExtGState"): DictionaryObject({NameObject(STATE_NAME): DictionaryObject({
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/ca"): FloatObject(OPACITY), NameObject("/CA"): FloatObject(OPACITY)})}),
    })
    content = DecodedStreamObject()
    content.set_data(_content(face, text, width, height).encode("ascii"))
    page[NameObject("/Contents")] = _add(writer, content)
    return page


def _content(face: _Subset, text: str, width: float, height: float) -> str:
    encoded = "".join(f"{face.glyphs[ch]:04X}" for ch in text)
    advance = sum(face.widths[face.glyphs[ch]] for ch in text) / 1000  # in ems
    cos, sin = math.cos(math.radians(ANGLE)), math.sin(math.radians(ANGLE))
    run = advance * DIAGONAL_SIZE
    ops = ["q", f"{STATE_NAME} gs", f"{GREY} g", "BT"]
    for fraction in (0.25, 0.5, 0.75):
        # Centre each run on a point of the page's vertical midline.
        x = width / 2 - cos * run / 2
        y = height * fraction - sin * run / 2
        ops += [f"{FONT_NAME} {DIAGONAL_SIZE} Tf",
                f"{cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.2f} {y:.2f} Tm", f"<{encoded}> Tj"]
    footer_x = max(10.0, (width - advance * FOOTER_SIZE) / 2)
    ops += [f"{FONT_NAME} {FOOTER_SIZE} Tf", f"1 0 0 1 {footer_x:.2f} 12 Tm", f"<{encoded}> Tj", "ET", "Q"]
    return "\n".join(ops)


def _font(writer: PdfWriter, face: _Subset) -> DictionaryObject:
    program = DecodedStreamObject()
    program.set_data(face.program)
    program[NameObject("/Length1")] = NumberObject(len(face.program))
    descriptor = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject("/STAMPA+Watermark"),
        NameObject("/Flags"): NumberObject(4),
        NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in (0, -200, 1000, 900)]),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): NumberObject(900),
        NameObject("/Descent"): NumberObject(-200),
        NameObject("/CapHeight"): NumberObject(700),
        NameObject("/StemV"): NumberObject(80),
        NameObject("/FontFile2"): _add(writer, program),
    })
    widths = ArrayObject()
    for gid in sorted(face.widths):
        widths += [NumberObject(gid), ArrayObject([NumberObject(face.widths[gid])])]
    descendant = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/STAMPA+Watermark"),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"),
            NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
        NameObject("/FontDescriptor"): _add(writer, descriptor),
        NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        NameObject("/DW"): NumberObject(1000),
        NameObject("/W"): widths,
    })
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/STAMPA+Watermark"),
        NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([_add(writer, descendant)]),
        NameObject("/ToUnicode"): _add(writer, _to_unicode(face)),
    })


def _to_unicode(face: _Subset) -> DecodedStreamObject:
    """Map each glyph id back to its character."""
    pairs = sorted((gid, f"{ord(ch):04X}") for ch, gid in face.glyphs.items())
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Stamp-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{code}>" for gid, code in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    stream = DecodedStreamObject()
    stream.set_data("\n".join(lines).encode("ascii"))
    return stream
