"""Build realistic issues for the print tests and measure the PDFs they produce."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber
import pypdf

from bulletins.models import IssueRecipient, Organisation, Role
from bulletins.services import article_create
from tests.factories import ColumnFactory, IssueFactory, PublicationFactory

PT_PER_MM = 72 / 25.4
BLOCK_TOP_MM = 37
BLOCK_LEFT_MM = 28
BLOCK_BOTTOM_MM = 262  # 37 + 225
BODY_SIZE_PT = 156 / 28 * PT_PER_MM

PARAGRAPHS = [
    "11月20日，江苏省委常委会议召开，学习习近平总书记致2023两岸企业家峰会10周年年会重要贺信和近期"
    "重要讲话重要指示精神，研究贯彻落实举措；传达学习中央主题教育领导小组第7次会议精神，听取中央第六巡回"
    "督导组调研反馈意见有关情况汇报，进一步抓好我省主题教育各项工作。省委书记信长星主持会议并讲话。",
    "会议指出，江苏是两岸企业家峰会发源地和大陆年会永久举办地。要认真学习贯彻习近平总书记重要贺信精神，"
    "按照王沪宁主席讲话要求，更好地为苏台合作创造机遇、提供平台、集聚资源、优化环境，努力在推动两岸关系"
    "和平发展、深化两岸各领域融合发展中走在前列。",
    "会议强调，当前，第二批主题教育正是船到中流、人到半山的关键时候。理论学习要突出针对性实效性，调查研究"
    "要贴近群众，推动发展要强化担当作为，检视整改要坚持真查实改，两批次整改整治要前后贯通、衔接联动。全省"
    "各级领导干部要落实好“四下基层”要求，察实情、找问题、谋良策、促发展。",
]

TITLES = [
    "江苏省委常委会议召开 信长星主持并讲话",
    "信长星在全省宣传思想文化工作会议上强调 坚持以习近平文化思想为引领 在建设中华民族现代文明上探索新经验",
    "镇江市：强化示范带动 规范学习管理 持续推动中心组学习不断走深走实",
    "苏州、盐城、扬州市委理论学习中心组开展交流学习研讨",
    "激发新就业群体“红色动能”",
]


def body_html(paragraphs: int, *, headings: bool = True) -> str:
    parts = []
    for i in range(paragraphs):
        if headings and i % 4 == 0:
            numeral = "一二三四五六七八九十"[i // 4 % 10]
            parts.append(f"<h2>{numeral}、强化示范带动，提升“关键少数”参与度</h2>")
        parts.append(f"<p>{PARAGRAPHS[i % len(PARAGRAPHS)]}</p>")
    return "".join(parts)


def build_issue(*, articles: int = 5, paragraphs: int = 6, distribution: bool = True,
                publication=None, **publication_fields):
    """An issue like the seeds: three columns, several articles, a 报/送/发 distribution."""
    publication = publication or PublicationFactory(**publication_fields)
    issue = IssueFactory(publication=publication, year=2023, number=454, total_number=453,
                         print_run=2000)
    columns = [ColumnFactory(publication=publication, name=name)
               for name in ("上情下达", "经验交流", "学习动态")]
    for i in range(articles):
        article_create(issue=issue, column=columns[min(i * 3 // max(articles, 1), 2)],
                       title=TITLES[i % len(TITLES)], body=body_html(paragraphs),
                       byline="临西县委常委、组织部部长 卫建豪" if i == 4 else "",
                       source="（徐州市委宣传部）" if i == 2 else "")
    if distribution:
        for role, names in ((Role.REPORT, ["中央协调办", "中宣部理论局", "中组部干部局"]),
                            (Role.SEND, ["省协调小组成员单位", "省级机关各部委办厅局", "各设区市委宣传部",
                                         "各设区市委组织部", "省委党校", "省社科院"]),
                            (Role.ISSUE, ["各设区市委宣传部、组织部"])):
            for name in names:
                organisation, _ = Organisation.objects.get_or_create(name=name)
                IssueRecipient.objects.create(issue=issue, role=role, organisation=organisation)
    return issue


def mm(points: float) -> float:
    return points / PT_PER_MM


@dataclass
class Measured:
    """A PDF opened with pdfplumber (geometry) and pypdf (structure)."""

    data: bytes

    def __post_init__(self) -> None:
        self.plumber = pdfplumber.open(io.BytesIO(self.data))
        self.reader = pypdf.PdfReader(io.BytesIO(self.data))
        self.pages = self.plumber.pages

    def chars(self, page_number: int) -> list[dict]:
        return self.pages[page_number - 1].chars

    def block_chars(self, page_number: int) -> list[dict]:
        """Characters inside the text block (not the page number below it)."""
        return [c for c in self.chars(page_number) if mm(c["bottom"]) < BLOCK_BOTTOM_MM + 2]

    def body_chars(self, page_number: int) -> list[dict]:
        return [c for c in self.block_chars(page_number) if abs(c["size"] - BODY_SIZE_PT) < 0.2]

    @staticmethod
    def em_top_mm(char: dict, page_height: float) -> float:
        """Top of a CJK character's em box (0.88 em above its baseline), from the page top."""
        return mm(page_height - char["matrix"][5] - 0.88 * char["size"])

    def folio(self, page_number: int) -> tuple[str, float] | None:
        """The page number's text and horizontal centre in mm, if the page has one."""
        chars = [c for c in self.chars(page_number) if mm(c["top"]) > BLOCK_BOTTOM_MM + 2]
        if not chars:
            return None
        text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
        return text, mm((min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2)

    def text(self, page_number: int) -> str:
        return "".join(c["text"] for c in self.chars(page_number))

    def titles_by_page(self, size_pt: float = 22) -> dict[int, str]:
        return {n: "".join(c["text"] for c in self.chars(n) if abs(c["size"] - size_pt) < 0.3)
                for n in range(1, len(self.pages) + 1)}

    def red_chars(self, page_number: int) -> list[dict]:
        def is_red(color) -> bool:
            return bool(color) and len(color) == 3 and color[0] > 0.8 and color[1] < 0.2
        return [c for c in self.chars(page_number) if is_red(c.get("non_stroking_color"))]

    def rules(self, page_number: int) -> list[tuple[float, float, float]]:
        """Horizontal rules as (top mm, bottom mm, width mm), drawn as thin rectangles or lines."""
        page = self.pages[page_number - 1]
        found = [(mm(r["top"]), mm(r["bottom"]), mm(r["width"])) for r in page.rects
                 if r["height"] < 2 * PT_PER_MM and r["width"] > 100 * PT_PER_MM]
        found += [(mm(ln["top"]), mm(ln["bottom"]), mm(ln["width"])) for ln in page.lines
                  if abs(ln["top"] - ln["bottom"]) < 2 * PT_PER_MM and ln["width"] > 100 * PT_PER_MM]
        return sorted(found)


def check_grid(pdf: Measured) -> None:
    """Text block 28 mm from the left and 37 mm from the top on every page after the first."""
    for number in range(2, len(pdf.pages) + 1):
        chars = pdf.block_chars(number)
        if not pdf.body_chars(number):
            continue
        left = min(mm(c["x0"]) for c in chars)
        first = min(chars, key=lambda c: c["top"])
        assert abs(left - BLOCK_LEFT_MM) <= 1, f"page {number}: text starts {left:.1f} mm from the left"
        top = pdf.em_top_mm(first, pdf.pages[0].height)
        assert abs(top - BLOCK_TOP_MM) <= 1, f"page {number}: first line {top:.1f} mm from the top"


def check_folios(pdf: Measured, *, numbered_tail: bool = True) -> None:
    """"— N —" on every page, right on odd pages and left on even ones."""
    for number in range(1, len(pdf.pages) + 1):
        folio = pdf.folio(number)
        if folio is None:
            assert number == len(pdf.pages) and not numbered_tail, f"page {number} has no number"
            continue
        text, centre = folio
        assert text.replace(" ", "") == f"—{number}—"
        assert (centre > 145) if number % 2 else (centre < 65), f"page {number} number at {centre:.0f} mm"


def check_tail(pdf: Measured, lines: list[str]) -> None:
    """The tail's lines on the last page only, its last rule on the block bottom, no text below."""
    last = len(pdf.pages)
    for number in range(1, last):
        text = pdf.text(number)
        assert not any(line in text for line in lines), f"tail text on page {number}"
    text = pdf.text(last)
    for line in lines:
        assert line in text, line
    rules = pdf.rules(last)
    assert rules, "the tail has rules"
    assert abs(rules[-1][1] - BLOCK_BOTTOM_MM) <= 2, f"last rule at {rules[-1][1]:.1f} mm"
    assert not [c for c in pdf.body_chars(last) if mm(c["top"]) > rules[0][0]]


def check_fonts_embedded(pdf: Measured) -> None:
    for page in pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            assert "+" in str(font["/BaseFont"]), "subset"


def check_toc_pages(pdf: Measured, titles: list[str]) -> None:
    """Each printed TOC page number is the page on which that article's title stands."""
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    printed = [int(line[-2:]) for line in lines if line[-2:].isdigit() and ".." in line]
    assert len(printed) == len(titles)
    title_pages = pdf.titles_by_page()
    for title, number in zip(titles, printed, strict=True):
        start = title.split(" ")[0][:12]
        actual = next(n for n, text in title_pages.items() if start in text)
        assert number == actual, f"{title}: TOC says {number}, title on page {actual}"


def forget_rendering(issue) -> None:
    """Drop the issue's cached PDF and render state (never the whole cache: it may be a shared Redis)."""
    from bulletins.rendering.background import RenderJob
    from bulletins.rendering.cache import pdf_cache

    key = RenderJob.for_issue(issue).key
    pdf_cache().delete_many([key, f"{key}:state"])
