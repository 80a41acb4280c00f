"""Issues of random shape (article lengths, headings, tables, images) and what their layout
leaves on each page: used by the layout test and by benchmarks/page_fill.py."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox, TableBox, TableRowBox, TextBox

from bulletins.models import Issue
from bulletins.services import article_create
from tests.factories import ColumnFactory, IssueFactory, PublicationFactory
from tests.printing import PARAGRAPHS

TEXT = "".join(PARAGRAPHS)
TITLE_WORDS = [
    "坚持以习近平文化思想为引领", "在建设中华民族现代文明上探索新经验", "强化示范带动", "规范学习管理",
    "持续推动中心组学习不断走深走实", "激发新就业群体“红色动能”", "2023年度", "“四下基层”", "扎实推进",
    "主题教育", "全省宣传思想文化工作会议召开", "以高质量党建引领基层治理效能提升", "市委理论学习中心组",
    "开展交流学习研讨", "奋力谱写新篇章", "服务群众“最后一公里”", "提质增效",
]
# Titles whose quotation marks, set full width, push one character onto a line of its own
# when they are counted as half.
QUOTED_TITLES = [
    "服务群众“最后一公里”主题教育强化示范带动", "以“四下基层”推动主题教育走深走实见行见效",
    "激发新就业群体“红色动能” 打通服务群众“最后一公里”",
]
COLUMNS = ("上情下达", "经验交流", "学习动态", "基层风采")


def random_title(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(QUOTED_TITLES)
    words = rng.sample(TITLE_WORDS, rng.choice((1, 2, 2, 3, 3, 4)))
    return (" " if rng.random() < 0.3 else "").join(words)


def random_paragraph(rng: random.Random) -> str:
    length = rng.choice((rng.randint(20, 80), rng.randint(80, 250), rng.randint(250, 600)))
    start = rng.randrange(len(TEXT))
    return f"<p>{(TEXT[start:] + TEXT)[:length]}</p>"


def random_table(rng: random.Random) -> str:
    columns = rng.randint(2, 5)
    head = "".join(f"<th>项目{i + 1}</th>" for i in range(columns))
    rows = "".join("<tr>" + "".join(f"<td>{TEXT[(r * 7 + c * 13) % 300:][:rng.randint(2, 30)]}</td>"
                                    for c in range(columns)) + "</tr>"
                   for r in range(rng.choice((rng.randint(2, 6), rng.randint(10, 40)))))
    # Tables from CKEditor carry their header in <thead>; pasted ones often as a first row of <th>.
    table = (f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody>" if rng.random() < 0.5
             else f"<tbody><tr>{head}</tr>{rows}</tbody>")
    return f'<figure class="table"><table>{table}</table></figure>'


def random_image(rng: random.Random, media_root: Path) -> str:
    folder = media_root / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    width, height = rng.choice(((1200, 600), (800, 800), (900, 1200), (1600, 500)))
    name = f"generated-{width}x{height}.png"
    if not (folder / name).exists():
        Image.new("RGB", (width, height), (30, 90, 200)).save(folder / name)
    caption = "<figcaption>图为活动现场</figcaption>" if rng.random() < 0.6 else ""
    return f'<figure class="image"><img src="/media/uploads/{name}">{caption}</figure>'


def random_body(rng: random.Random, media_root: Path) -> str:
    blocks = []
    for i in range(rng.choice((rng.randint(1, 3), rng.randint(3, 6), rng.randint(6, 10)))):
        roll = rng.random()
        if roll < 0.12 and i:
            blocks.append(f"<h2>{'一二三四五六七八'[i % 8]}、{rng.choice(TITLE_WORDS)}</h2>")
        elif roll < 0.2:
            blocks.append(random_table(rng))
        elif roll < 0.28:
            blocks.append(random_image(rng, media_root))
        blocks.append(random_paragraph(rng))
    return "".join(blocks)


def generate_issue(seed: int, media_root: Path) -> Issue:
    """An issue of 2-7 articles of random shape, reproducible from `seed`."""
    rng = random.Random(seed)
    publication = PublicationFactory(prints_toc=rng.random() < 0.5)
    issue = IssueFactory(publication=publication, year=2024, number=seed + 1)
    columns = [ColumnFactory(publication=publication, name=name) for name in COLUMNS]
    for _ in range(rng.randint(2, 7)):
        article_create(issue=issue, column=rng.choice(columns), title=random_title(rng),
                       body=random_body(rng, media_root),
                       byline="临西县委常委、组织部部长 卫建豪" if rng.random() < 0.15 else "",
                       source="（徐州市委宣传部）" if rng.random() < 0.3 else "")
    return issue


def _classes(box) -> set[str]:
    element = box.element
    return set((element.get("class") or "").split()) if element is not None else set()


def _bottom(box) -> float:
    return box.position_y + box.margin_height()


@dataclass
class PageLayout:
    number: int
    block_top: float
    block_height: float
    content_bottom: float  # bottom of the last line, image or table row on the page
    starts_article: bool  # the page's first content is a column heading or an article title
    tail_only: bool
    table_rows: list[tuple[int, bool]] = field(default_factory=list)  # (table id, is a header row)
    title_last_lines: list[str] = field(default_factory=list)
    # Where the page starts an article: the height its head takes in the middle of a page: the
    # space above, column heading, title, subtitle, byline, the space below and two lines.
    head_height: float = 0

    @property
    def empty_share(self) -> float:
        return (self.block_top + self.block_height - self.content_bottom) / self.block_height


def _is_header_row(row) -> bool:
    cells = [cell for cell in row.children if cell.element is not None]
    return bool(cells) and all(cell.element.tag == "th" for cell in cells)


HEAD_CLASSES = {"column-heading", "article-title", "subtitle", "byline"}
# The line pitch of the grid in CSS pixels.
PITCH_PX = 225 / 22 / 25.4 * 96


def _walk(box, inherited: frozenset = frozenset(), table=None):
    """Each box with the classes of its ancestors and its own, and the table it is in."""
    classes = inherited | _classes(box)
    if isinstance(box, TableBox):
        table = box.element
    yield box, classes, table
    for child in getattr(box, "children", ()):
        yield from _walk(child, classes, table)


def _title_line_text(line) -> str:
    return "".join(box.text for box, _, _ in _walk(line) if isinstance(box, TextBox))


def page_layouts(document) -> list[PageLayout]:
    """What each page of a laid-out issue (`weasyprint.Document`) holds, from its boxes."""
    pages = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box  # noqa: SLF001 - the box tree has no public accessor
        top = page_box.content_box_y()
        bottom, first_classes, tail_only, rows, titles = top, None, True, [], []
        head_bottom, head_done = top, False
        for box, classes, table in _walk(page_box.children[0]):
            if isinstance(box, LineBox | ReplacedBox | TableRowBox) and "tail" not in classes:
                tail_only = False
                bottom = max(bottom, _bottom(box))
                if first_classes is None:
                    first_classes = classes
                if not HEAD_CLASSES & classes:
                    head_done = True
                elif not head_done:
                    head_bottom = _bottom(box)
            if isinstance(box, TableRowBox):
                rows.append((id(table), _is_header_row(box)))
            if "article-title" in _classes(box):
                lines = [child for child in box.children if isinstance(child, LineBox)]
                if lines:
                    titles.append(_title_line_text(lines[-1]))
        starts = bool(first_classes and {"article-title", "column-heading"} & first_classes)
        pages.append(PageLayout(number=number, block_top=top, block_height=page_box.height,
                                content_bottom=bottom, starts_article=starts, tail_only=tail_only,
                                table_rows=rows, title_last_lines=titles,
                                head_height=(head_bottom - top + 4 * PITCH_PX) if starts else 0))
    return pages


@dataclass(frozen=True)
class PushedOver:
    page: int
    empty_share: float  # of the text block, left empty at the foot of the page
    head_share: float  # what the next article's head needs, as a share of the text block

    @property
    def head_would_fit(self) -> bool:
        return self.empty_share >= self.head_share


def pushed_over_pages(pages: list[PageLayout]) -> list[PushedOver]:
    """Each page followed by a page that starts with an article."""
    return [PushedOver(page.number, page.empty_share, following.head_height / page.block_height)
            for page, following in zip(pages, pages[1:], strict=False)
            if following.starts_article and not page.tail_only]
