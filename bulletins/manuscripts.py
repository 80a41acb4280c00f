"""Word manuscripts (.docx, from Word or WPS) read into articles.

mammoth converts the document; before that, its document model is read the way an editor reads
the manuscript: the title is the first paragraph when it has a heading or title style or is
centred (offices set titles in 小标宋 without Word's heading styles), then an optional
subtitle beginning with ——, or a second centred title line, a byline line and a 编者按; the last
paragraph in brackets （…） is the source. In the body, headings are set from their numbering
text (一、 <h2>, （一） <h3>, 1./（1） <h4>; bulletins.headings), never from Word's style names,
since Word keeps Chinese fonts in w:eastAsia, which mammoth does not read, and offices mark
headings by font alone. Bold runs, lists and tables are kept; embedded images pass the checks
of editor uploads (bulletins.images) and are stored when the article is created
(bulletins.services.manuscripts). The body goes
through the same allow-list as everything else (bulletins.sanitize).
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.parsers.expat import ExpatError

import mammoth
from django.conf import settings
from lxml import etree
from mammoth import documents, transforms

from bulletins.article_parts import BYLINE_TAIL_RE, EDITOR_NOTE_RE, SOURCE_RE, TITLE_MAX
from bulletins.headings import HEADING_NUMBER, HEADING_TAGS, heading_level
from bulletins.images import ImageRefused, check_image
from bulletins.limits import UploadLimitError, check_zip
from bulletins.models import Article
from bulletins.sanitize import sanitize_html
from bulletins.text import han_count_html

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps and other pre-2007 Office files
ZIP_MAGIC = b"PK\x03\x04"
HEADING_STYLE_RE = re.compile(r"^(heading\s*\d|title|subtitle|标题\s*\d?|副标题)$", re.IGNORECASE)
SUBTITLE_RE = re.compile(r"^(?:—{1,2}|-{2}|－{2})")
BYLINE_PUNCTUATION = set("，。；！？,;!?“”")
BYLINE_MAX = 40
PENDING_PREFIX = "pending-image-"
PENDING_SRC_RE = re.compile(rf'src="{re.escape(settings.MEDIA_URL)}{PENDING_PREFIX}(\d+)"')
STYLE_MAP = "\n".join(
    f"p[style-name='bulletin-{tag}'] => {tag}:fresh" for tag in HEADING_TAGS.values())


def max_manuscript_bytes() -> int:
    return int(settings.MANUSCRIPT_MAX_FILE_SIZE_MB) * 1024 * 1024


class ManuscriptError(ValueError):
    """A manuscript that cannot be read; the message names the file and says why, in Chinese."""


@dataclass
class ManuscriptImage:
    number: int
    extension: str
    data: bytes

    @property
    def data_uri(self) -> str:
        mime = "image/png" if self.extension == "png" else "image/jpeg"
        return f"data:{mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass
class Manuscript:
    """What a .docx holds, read but not saved: the fields of an article and its images."""

    name: str
    title: str
    subtitle: str = ""
    byline: str = ""
    source: str = ""
    editor_note: str = ""
    body_html: str = ""  # sanitised; images point at pending-image-N until they are stored
    images: list[ManuscriptImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def han_count(self) -> int:
        return han_count_html(self.body_html)

    def preview_html(self) -> str:
        """The body with its images shown inline (data: URLs of the checked images)."""
        images = {image.number: image for image in self.images}
        return PENDING_SRC_RE.sub(lambda m: f'src="{images[int(m.group(1))].data_uri}"', self.body_html)


@dataclass
class ManuscriptResult:
    name: str
    manuscript: Manuscript | None = None
    article: Article | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


# ---- reading ------------------------------------------------------------------------------

def _text(element) -> str:
    if isinstance(element, documents.Text):
        return element.value
    if isinstance(element, documents.Tab):
        return " "
    if isinstance(element, documents.Break):
        return "\n"
    return "".join(_text(child) for child in getattr(element, "children", []))


def _plain(paragraph) -> str:
    return re.sub(r"\s+", " ", _text(paragraph)).strip()


def _has_image(element) -> bool:
    return any(isinstance(item, documents.Image) for item in transforms.get_descendants(element))


def _is_title_like(paragraph) -> bool:
    style = (paragraph.style_name or "").strip()
    return paragraph.alignment == "center" or bool(HEADING_STYLE_RE.match(style))


def _is_byline(paragraph, text: str) -> bool:
    return (len(text) <= BYLINE_MAX and not any(ch in BYLINE_PUNCTUATION for ch in text)
            and not heading_level(text) and not SOURCE_RE.match(text)
            and (paragraph.alignment in {"center", "right"} or bool(BYLINE_TAIL_RE.search(text))))


def _unbold(element):
    if isinstance(element, documents.Run):
        element = element.copy(is_bold=False)
    if isinstance(element, documents.HasChildren):
        element = element.copy(children=[_unbold(child) for child in element.children])
    return element


def _plain_style(paragraph):
    return paragraph.copy(style_id=None, style_name=None)


class _Reader:
    """Reads the article's parts from mammoth's document model, then lets mammoth write the body."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.manuscript = Manuscript(name=name, title="")
        self.refused_images: list[str] = []

    def transform(self, document):
        children = list(document.children)
        filled = [i for i, child in enumerate(children)
                  if isinstance(child, documents.Paragraph) and (_plain(child) or _has_image(child))
                  or not isinstance(child, documents.Paragraph)]
        consumed: set[int] = set()
        manuscript = self.manuscript

        def paragraph_at(position: int):
            index = filled[position] if position < len(filled) else None
            child = children[index] if index is not None else None
            return index, (child if isinstance(child, documents.Paragraph) else None)

        position = 0
        index, paragraph = paragraph_at(position)
        if paragraph is not None and _is_title_like(paragraph) and _plain(paragraph):
            manuscript.title = _plain(paragraph)
            consumed.add(index)
            position += 1
            index, paragraph = paragraph_at(position)
            text = _plain(paragraph) if paragraph is not None else ""
            if paragraph is not None and text and (
                    SUBTITLE_RE.match(text)
                    or (paragraph.alignment == "center" and not _is_byline(paragraph, text)
                        and not heading_level(text) and len(text) <= TITLE_MAX)):
                manuscript.subtitle = text
                consumed.add(index)
                position += 1
        # Byline and 编者按 may follow in either order.
        for _ in range(2):
            index, paragraph = paragraph_at(position)
            text = _plain(paragraph) if paragraph is not None else ""
            if not text:
                break
            if not manuscript.byline and _is_byline(paragraph, text):
                manuscript.byline = text
            elif not manuscript.editor_note and EDITOR_NOTE_RE.match(text):
                manuscript.editor_note = EDITOR_NOTE_RE.sub("", text).strip()
            else:
                break
            consumed.add(index)
            position += 1
        # The source line （…） closes the article.
        if filled:
            last = children[filled[-1]]
            if (isinstance(last, documents.Paragraph) and filled[-1] not in consumed
                    and SOURCE_RE.match(_plain(last))):
                manuscript.source = _plain(last)
                consumed.add(filled[-1])

        body = []
        for i, child in enumerate(children):
            if i in consumed:
                continue
            # Word's paragraph styles go: their heading levels are not ours.
            child = transforms.paragraph(_plain_style)(child)
            if isinstance(child, documents.Paragraph):
                level = heading_level(_plain(child)) if child.numbering is None else 0
                if level:
                    tag = HEADING_TAGS[level]
                    child = _unbold(child).copy(style_id=f"bulletin-{tag}", style_name=f"bulletin-{tag}")
            body.append(child)
        return document.copy(children=body)

    def convert_image(self, image) -> dict:
        with image.open() as stream:
            data = stream.read()
        number = len(self.manuscript.images) + len(self.refused_images) + 1
        label = f"第 {number} 张图片"
        try:
            extension = check_image(name=label, data=data)
        except ImageRefused as refused:
            self.refused_images.append(label)
            self.manuscript.warnings.append(f"{refused}该图片未导入。")
            return {}
        self.manuscript.images.append(ManuscriptImage(number=number, extension=extension, data=data))
        attributes = {"src": f"{settings.MEDIA_URL}{PENDING_PREFIX}{number}"}
        if image.alt_text:
            attributes["alt"] = image.alt_text
        return attributes


def _check_container(name: str, content: bytes) -> None:
    suffix = PurePath(name).suffix.lower()
    limit = max_manuscript_bytes()
    if content.startswith(OLE2_MAGIC) or suffix in {".doc", ".wps", ".dot"}:
        raise ManuscriptError(f"“{name}”是旧版 Word/WPS 格式，无法读取。请在 Word 或 WPS 中"
                              "“另存为” .docx 文件后再导入。")
    if suffix not in {".docx", ""} and not content.startswith(ZIP_MAGIC):
        raise ManuscriptError(f"“{name}”不是 Word 文档（.docx），无法导入。")
    if len(content) > limit:
        raise ManuscriptError(f"“{name}”有 {len(content) / 1024 / 1024:.1f} MB，超过了 "
                              f"{limit // 1024 // 1024} MB 的上限。请压缩其中的图片后再导入。")
    if not content:
        raise ManuscriptError(f"“{name}”是空文件。")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise ManuscriptError(f"“{name}”已损坏或不是 Word 文档（.docx），无法读取。") from error
    if "word/document.xml" not in names:
        raise ManuscriptError(f"“{name}”已损坏或不是 Word 文档（.docx），无法读取。")
    # A .docx is a zip: refuse one that would unpack to too much (a "zip bomb").
    try:
        check_zip(name=name, source=content)
    except UploadLimitError as error:
        raise ManuscriptError(str(error)) from error


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
CHINESE_DIGITS = "零一二三四五六七八九"
HEADING_NUMBER_RE = re.compile(rf"^{HEADING_NUMBER}$")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _chinese_number(value: int) -> str:
    if value <= 0 or value >= 100:
        return str(value)
    tens, ones = divmod(value, 10)
    text = ("" if tens <= 1 else CHINESE_DIGITS[tens]) + ("十" if tens else "")
    return text + (CHINESE_DIGITS[ones] if ones else "")


def _format_number(value: int, number_format: str) -> str | None:
    if number_format in {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified"}:
        return _chinese_number(value)
    if number_format in {"decimal", "decimalZero"}:
        return str(value)
    if number_format == "decimalFullWidth":
        return str(value).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    return None


def _val(element, child: str, default: str) -> str:
    found = element.find(_w(child)) if element is not None else None
    return found.get(_w("val"), default) if found is not None else default


def _level_definition(level) -> tuple[int, tuple[str, str, int]]:
    """A numbering level: its index and (number format, text such as "%1、", start)."""
    start = _val(level, "start", "1")
    return int(level.get(_w("ilvl"), "0")), (
        _val(level, "numFmt", "decimal"), _val(level, "lvlText", ""), int(start) if start.isdigit() else 1)


def _materialise_heading_numbers(content: bytes) -> bytes:
    """Write Word's automatic heading numbers (一、 （一） 1. （1） made by a numbering definition)
    into the text, so that the text decides the heading level as for typed numbers; mammoth would
    turn them into a list and print 1. 2. instead. Other lists are left to mammoth."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if "word/numbering.xml" not in archive.namelist():
            return content
        numbering = etree.fromstring(archive.read("word/numbering.xml"), XML_PARSER)
        document = etree.fromstring(archive.read("word/document.xml"), XML_PARSER)
        levels = {abstract.get(_w("abstractNumId")): dict(map(_level_definition, abstract.iter(_w("lvl"))))
                  for abstract in numbering.iter(_w("abstractNum"))}
        abstract_of = {num.get(_w("numId")): _val(num, "abstractNumId", "")
                       for num in numbering.iter(_w("num"))}
        counters: dict[str, dict[int, int]] = {}
        changed = False
        for paragraph in document.iter(_w("p")):
            properties = paragraph.find(_w("pPr"))
            number = properties.find(_w("numPr")) if properties is not None else None
            if number is None:
                continue
            num_id = _val(number, "numId", "0")
            ilvl = _val(number, "ilvl", "0")
            level_index = int(ilvl) if ilvl.isdigit() else 0
            abstract = levels.get(abstract_of.get(num_id, ""), {})
            if level_index not in abstract:
                continue
            count = counters.setdefault(abstract_of[num_id], {})
            count[level_index] = count.get(level_index, abstract[level_index][2] - 1) + 1
            for deeper in [index for index in count if index > level_index]:
                del count[deeper]
            parts = []
            for piece in re.split(r"(%\d)", abstract[level_index][1]):
                if re.fullmatch(r"%\d", piece):
                    index = int(piece[1]) - 1
                    value = count.get(index, abstract.get(index, ("decimal", "", 1))[2])
                    parts.append(_format_number(value, abstract.get(index, ("decimal",))[0]))
                else:
                    parts.append(piece)
            text = None if None in parts else "".join(parts)
            if not text or not HEADING_NUMBER_RE.match(text):
                continue
            properties.remove(number)
            run = etree.Element(_w("r"))
            etree.SubElement(run, _w("t")).text = text
            properties.addnext(run)
            changed = True
        if not changed:
            return content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
                target.writestr(info, data)
        return out.getvalue()


def read_manuscript(*, name: str, content: bytes) -> Manuscript:
    """Read a .docx into a Manuscript without saving anything; raise ManuscriptError if it cannot."""
    name = PurePath(name).name
    _check_container(name, content)
    reader = _Reader(name)
    try:
        content = _materialise_heading_numbers(content)
        result = mammoth.convert_to_html(
            io.BytesIO(content), style_map=STYLE_MAP,
            transform_document=reader.transform,
            convert_image=mammoth.images.img_element(reader.convert_image),
            external_file_access=False)
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, ExpatError, etree.XMLSyntaxError) as error:
        # A part missing, a relationship pointing nowhere, XML cut off: the file is damaged.
        raise ManuscriptError(f"“{name}”已损坏，无法读取其中的内容。") from error
    manuscript = reader.manuscript
    manuscript.body_html = _tidy(sanitize_html(result.value))
    if not manuscript.title and not manuscript.body_html and not manuscript.images:
        raise ManuscriptError(f"“{name}”中没有文字，无法导入。")
    if not manuscript.title:
        manuscript.title = PurePath(name).stem.strip() or name
        manuscript.warnings.append("文档开头没有居中或标题样式的标题段落，已用文件名作标题，请核对。")
    if len(manuscript.title) > TITLE_MAX:
        raise ManuscriptError(f"“{name}”的标题超过 {TITLE_MAX} 字，请检查第一段是否为标题。")
    if not manuscript.body_html:
        manuscript.warnings.append("正文为空。")
    return manuscript


EMPTY_P_RE = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
CELL_P_RE = re.compile(r"<(td|th)([^>]*)><p>((?:(?!</?p>).)*)</p></\1>", re.DOTALL)
TABLE_RE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
LONE_IMAGE_RE = re.compile(r"<p>(<img [^>]*>)</p>")
# Spaces typed to indent a paragraph (　　今年以来) or after a heading's number (一、　提高): the
# printed layout indents by itself and sets the number close to its heading.
LEADING_SPACE_RE = re.compile(r"<(p|h2|h3|h4|li|td|th)>(?:[ \t\u3000\u00a0]|&nbsp;)+")
NUMBER_SPACE_RE = re.compile(
    rf"<(h2|h3|h4)>({HEADING_NUMBER})"
    r"(?:[ \t\u3000\u00a0]|&nbsp;)+")


def _tidy(html: str) -> str:
    """Mammoth's HTML in the shape the editor writes: no spaces typed for indentation, no empty
    paragraphs, tables in
    <figure class="table"> with <tbody>, one-paragraph cells without the <p>, an image on its
    own line in <figure class="image">."""
    html = LEADING_SPACE_RE.sub(r"<\1>", html)
    html = NUMBER_SPACE_RE.sub(r"<\1>\2", html)
    html = EMPTY_P_RE.sub("", html)
    html = CELL_P_RE.sub(r"<\1\2>\3</\1>", html)
    html = LONE_IMAGE_RE.sub(r'<figure class="image">\1</figure>', html)

    def wrap(match: re.Match) -> str:
        inner = match.group(1)
        if "<tbody>" not in inner and "<thead>" not in inner:
            inner = f"<tbody>{inner}</tbody>"
        return f'<figure class="table"><table>{inner}</table></figure>'

    return TABLE_RE.sub(wrap, html)
