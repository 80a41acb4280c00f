"""Plain typed structures for one archived issue, shared by the parsers, the importer and services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ArchiveFormatError(Exception):
    """A file cannot be read as a bulletin; `line` is 1-based where known."""

    def __init__(self, message: str, *, line: int | None = None, page: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.page = page

    @property
    def where(self) -> str:
        return where(line=self.line, page=self.page)


def where(*, line: int | None, page: int | None) -> str:
    """第 3 页第 12 行 for a PDF, 第 12 行 for a text file, or nothing when unknown."""
    page_part = f"第 {page} 页" if page else ""
    line_part = f"第 {line} 行" if line else ""
    return page_part + line_part


@dataclass
class SkippedLine:
    """A line left out on purpose: a rule, a page number, a label the layout reprints."""

    line: int
    text: str
    reason: str
    page: int | None = None

    @property
    def where(self) -> str:
        return where(line=self.line, page=self.page)


@dataclass
class ArchiveArticle:
    title: str
    toc_title: str = ""
    subtitle: str = ""
    byline: str = ""
    source: str = ""
    editor_note: str = ""
    body_html: str = ""
    toc_page: int | None = None
    line: int | None = None


@dataclass
class ArchiveColumn:
    name: str
    articles: list[ArchiveArticle] = field(default_factory=list)


@dataclass
class PublicationSettings:
    """What a new publication is created with when an import names one we do not know yet."""

    numbering: str = "per_year"
    has_total_number: bool = False
    total_number_offset: int = 0
    prints_toc: bool = True
    toc_shows_pages: bool = False
    column_decoration: str = "brackets"
    slug: str = ""
    short_name: str = ""
    default_print_run: int | None = None
    print_run_reserve: int = 0
    double_sided: bool = True
    number_first_page: bool = True
    number_tail_page: bool = True


@dataclass
class ArchiveIssue:
    publication: str
    publication_prefix: str
    year: int
    number: int
    date: datetime.date
    marking: str = ""
    total_number: int | None = None
    special: bool = False
    issuing_office: list[str] = field(default_factory=list)
    print_run: int | None = None
    editor_note: str = ""
    columns: list[ArchiveColumn] = field(default_factory=list)
    distribution: list[tuple[str, str]] = field(default_factory=list)
    editorial_block: str = ""
    settings: PublicationSettings = field(default_factory=PublicationSettings)
    tail_office: list[str] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Doubts about the structure (an article of the TOC not found, a title twice, text left
    # out): the issue is imported only when the editor confirms it has been read right.
    doubts: list[str] = field(default_factory=list)
    # Read from a PDF or hard-wrapped text, where the structure is inferred from the layout.
    read_from_layout: bool = False

    @property
    def articles(self) -> list[ArchiveArticle]:
        return [article for column in self.columns for article in column.articles]

    @property
    def characters(self) -> int:
        """What the issue prints, text and markup, as ISSUE_MAX_CHARACTERS counts it."""
        fields = ("title", "subtitle", "byline", "source", "editor_note", "body_html")
        return len(self.editor_note) + sum(len(getattr(article, field)) for article in self.articles
                                           for field in fields)

    @property
    def label(self) -> str:
        name = f"{self.publication_prefix} {self.publication}".strip()
        special = "增刊" if self.special else ""
        total = f"（总第{self.total_number}期）" if self.total_number else ""
        return f"{name} {self.year}年{special}第{self.number}期{total}"
