"""Open the Word and OFD editions of an issue and read back what they print, for the tests."""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404 - LibreOffice with fixed arguments
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

OFD = "{http://www.ofdspec.org/2016}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LICENSED = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}


# --- Word -----------------------------------------------------------------------------------

def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def _fonts_of(element) -> str | None:
    r_pr = element.find(qn("w:rPr")) if element is not None else None
    fonts = r_pr.find(qn("w:rFonts")) if r_pr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _style_east_asian(document, style_id: str | None) -> str | None:
    while style_id:
        style = document.styles.element.get_by_id(style_id)
        if style is None:
            break
        font = _fonts_of(style)
        if font:
            return font
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    return _fonts_of(defaults)


def east_asian_font(document, paragraph, run) -> str | None:
    """The East Asian font a run is set in: its own, its character style's, its paragraph
    style's (and the styles they are based on), then the document defaults."""
    own = _fonts_of(run._r)  # noqa: SLF001
    if own:
        return own
    r_style = run._r.find(qn("w:rPr"))  # noqa: SLF001
    r_style = r_style.find(qn("w:rStyle")) if r_style is not None else None
    if r_style is not None:
        font = _style_east_asian(document, r_style.get(qn("w:val")))
        if font:
            return font
    return _style_east_asian(document, paragraph.style.style_id)


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def libreoffice_to_pdf(files: list[Path], out_dir: Path) -> dict[str, bytes]:
    """Convert .docx files to PDF with LibreOffice in one run; {stem: pdf}."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by ./dev test (libreoffice-writer-nogui)"
    profile = out_dir / "profile"
    subprocess.run(  # noqa: S603
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), *map(str, files)],
        check=True, capture_output=True, timeout=600)
    return {f.stem: (out_dir / f"{f.stem}.pdf").read_bytes() for f in files}


# --- OFD ------------------------------------------------------------------------------------

@dataclass
class OFDChar:
    text: str
    x: float  # glyph origin, mm from the left
    baseline: float  # mm from the top
    size: float  # mm
    font: str


@dataclass
class OFDPackage:
    """An OFD file unzipped and parsed; every XML part must be well formed to get here."""

    data: bytes
    parts: dict[str, bytes] = field(init=False)
    xml: dict[str, etree._Element] = field(init=False)

    def __post_init__(self) -> None:
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            self.parts = {name: package.read(name) for name in package.namelist()}
        self.xml = {name: etree.fromstring(data) for name, data in self.parts.items()
                    if name.endswith(".xml")}

    @property
    def root(self):
        return self.xml["OFD.xml"]

    @property
    def doc_root(self) -> str:
        return self.root.find(f"{OFD}DocBody/{OFD}DocRoot").text

    @property
    def document(self):
        return self.xml[self.doc_root]

    @property
    def doc_dir(self) -> str:
        return self.doc_root.rsplit("/", 1)[0]

    def resolve(self, base: str, location: str) -> str:
        return f"{base}/{location}" if base else location

    @property
    def page_parts(self) -> list[str]:
        pages = self.document.find(f"{OFD}Pages")
        return [self.resolve(self.doc_dir, page.get("BaseLoc")) for page in pages]

    def res(self, kind: str):
        location = self.document.find(f"{OFD}CommonData/{OFD}{kind}").text
        return self.xml[self.resolve(self.doc_dir, location)]

    def res_file(self, kind: str, name: str) -> bytes:
        res = self.res(kind)
        base = self.resolve(self.doc_dir, res.get("BaseLoc"))
        return self.parts[self.resolve(base, name)]

    def fonts(self) -> dict[str, tuple[etree._Element, bytes]]:
        return {font.get("ID"): (font, self.res_file("PublicRes", font.find(f"{OFD}FontFile").text))
                for font in self.res("PublicRes").iter(f"{OFD}Font")}

    def chars(self, page_index: int) -> list[OFDChar]:
        """Every character of a page with its absolute position, in content order."""
        found = []
        for text_object in self.xml[self.page_parts[page_index]].iter(f"{OFD}TextObject"):
            bx, by, _, _ = (float(v) for v in text_object.get("Boundary").split())
            size = float(text_object.get("Size"))
            for code in text_object.iter(f"{OFD}TextCode"):
                deltas = expand_delta(code.get("DeltaX", ""))
                x, y = bx + float(code.get("X")), by + float(code.get("Y"))
                for index, character in enumerate(code.text or ""):
                    if index:
                        x += deltas[index - 1]
                    found.append(OFDChar(character, x, y, size, text_object.get("Font")))
        return found

    def text(self, page_index: int) -> str:
        return "".join(c.text for c in self.chars(page_index))


def expand_delta(value: str) -> list[float]:
    parts, out, i = value.split(), [], 0
    while i < len(parts):
        if parts[i] == "g":
            out += [float(parts[i + 2])] * int(parts[i + 1])
            i += 3
        else:
            out.append(float(parts[i]))
            i += 1
    return out
