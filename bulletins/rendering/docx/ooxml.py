"""OOXML plumbing python-docx has no API for: properties in schema order, fonts on every script
slot, complex fields, bookmark names."""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Child order inside w:pPr and w:rPr (ECMA-376 §17.3.1.26, §17.3.2.28): Word refuses files whose
# properties come out of order.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange")
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
# The elements of w:settings that may precede w:mirrorMargins (§17.15.1.78).
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins")


def _put(parent, tag: str, order: tuple[str, ...], **attrs: str):
    """Replace the child `w:tag` of `parent`, inserted where the schema's sequence wants it."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    element = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    earlier = set(order[:order.index(tag) + 1])
    for index, child in enumerate(parent):
        if etree.QName(child).localname not in earlier:
            parent.insert(index, element)
            break
    else:
        parent.append(element)
    return element


def set_fonts(r_pr, name: str) -> None:
    """Name `name` for Latin, East Asian and complex script text, replacing theme fonts."""
    _put(r_pr, "rFonts", RPR_ORDER, ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


def _field(paragraph: Paragraph, instruction: str | list, result: str, style: str | None = None) -> None:
    """A complex field (PAGE, PAGEREF, IF …) with `result` shown until Word updates it.

    `instruction` is the field code, or a list of code text and (instruction, result) pairs
    for fields nested in it.
    """
    def run_with(child) -> None:
        run = paragraph.add_run(style=style)
        run._r.append(child)  # noqa: SLF001

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run_with(element)

    char("begin")
    for part in instruction if isinstance(instruction, list) else [f" {instruction} "]:
        if isinstance(part, tuple):
            code, shown = part
            _field(paragraph, code, shown, style=style)
            continue
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = part
        run_with(instr)
    char("separate")
    paragraph.add_run(result, style=style)
    char("end")


_SPACES = re.compile(r"[ \t\r\n]+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text)


def _bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits and underscores, at most 40 characters."""
    return "_" + anchor.replace("-", "_")[:39]
