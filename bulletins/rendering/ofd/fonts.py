"""The fonts of the OFD package: the subset programs the PDF embeds, or, for a PDF font without a
usable one, the configured face matched by name."""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont
from pdfminer.pdftypes import resolve1

from bulletins.rendering.fonts import FontFace, FontSet

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
