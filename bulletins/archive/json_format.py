"""The versioned archive format: every issue as JSON, to export, keep and import again.

    {"format": "bulletin-archive", "version": 1, "publications": [...], "issues": [...]}

Each issue names its publication and carries its masthead, columns with articles (body as
sanitised HTML) and the 版记 lines exactly as printed. `null` stands for what an issue does
not have. README.md documents the fields.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from bulletins.archive.types import (
    ArchiveArticle,
    ArchiveColumn,
    ArchiveFormatError,
    ArchiveIssue,
    PublicationSettings,
)
from bulletins.models import Article, Issue, Publication
from bulletins.sanitize import sanitize_html

FORMAT = "bulletin-archive"
VERSION = 1

PUBLICATION_SETTINGS = [
    "slug", "short_name", "numbering", "has_total_number", "total_number_offset", "prints_toc",
    "toc_shows_pages", "column_decoration", "default_print_run", "print_run_reserve",
    "double_sided", "number_first_page", "number_tail_page",
]


def _none_if_blank(value: str | None) -> str | None:
    return value if value else None


def _article_dict(article: ArchiveArticle | Article, body_html: str) -> dict[str, Any]:
    return {
        "title": article.title,
        "toc_title": _none_if_blank(article.toc_title),
        "subtitle": _none_if_blank(article.subtitle),
        "byline": _none_if_blank(article.byline),
        "source": _none_if_blank(article.source),
        "editor_note": _none_if_blank(article.editor_note),
        "body_html": body_html,
    }


def issue_content_dict(issue: ArchiveIssue) -> dict[str, Any]:
    """The part of an issue that belongs to the issue itself (not to its publication)."""
    return {
        "year": issue.year,
        "number": issue.number,
        "total_number": issue.total_number,
        "special": issue.special,
        "date": issue.date.isoformat(),
        "print_run": issue.print_run,
        "editor_note": _none_if_blank(issue.editor_note),
        "columns": [
            {"name": column.name,
             "articles": [_article_dict(a, sanitize_html(a.body_html)) for a in column.articles]}
            for column in issue.columns
        ],
        "distribution": [{"role": role, "text": text} for role, text in issue.distribution],
    }


def archive_issue_from_model(issue: Issue, articles: Iterable[Article]) -> ArchiveIssue:
    """Return the issue as stored, in the shape the parsers produce."""
    publication = issue.publication
    columns: list[ArchiveColumn] = []
    for article in articles:
        # Consecutive articles of one column form one column block, in article order.
        if not columns or columns[-1].name != article.column.name:
            columns.append(ArchiveColumn(name=article.column.name))
        columns[-1].articles.append(ArchiveArticle(
            title=article.title, toc_title=article.toc_title, subtitle=article.subtitle,
            byline=article.byline, source=article.source, editor_note=article.editor_note,
            body_html=article.body,
        ))
    return ArchiveIssue(
        publication=publication.name,
        publication_prefix=publication.name_prefix,
        marking=publication.marking,
        year=issue.year,
        number=issue.number,
        total_number=issue.total_number,
        special=issue.is_special,
        date=issue.date,
        issuing_office=publication.issuing_office_lines,
        print_run=issue.print_run,
        editor_note=issue.editor_note,
        columns=columns,
        distribution=[(line.role, line.text) for line in issue.distribution_lines()],
        editorial_block=publication.editorial_block,
    )


def issue_dict(issue: ArchiveIssue) -> dict[str, Any]:
    content = issue_content_dict(issue)
    return {
        "publication": issue.publication,
        "publication_prefix": _none_if_blank(issue.publication_prefix),
        "marking": _none_if_blank(issue.marking),
        "year": content["year"],
        "number": content["number"],
        "total_number": content["total_number"],
        "special": content["special"],
        "date": content["date"],
        "issuing_office": issue.issuing_office,
        "print_run": content["print_run"],
        "editor_note": content["editor_note"],
        "columns": content["columns"],
        "distribution": content["distribution"],
        "editorial_block": _none_if_blank(issue.editorial_block),
    }


def publication_dict(publication: Publication) -> dict[str, Any]:
    data: dict[str, Any] = {"publication": publication.name,
                            "publication_prefix": _none_if_blank(publication.name_prefix)}
    for name in PUBLICATION_SETTINGS:
        data[name] = getattr(publication, name)
    return data


def archive_export(issues: Iterable[Issue]) -> dict[str, Any]:
    """Build the archive document for `issues` (with publication and articles prefetched)."""
    issue_list = list(issues)
    publications: dict[int, Publication] = {}
    for issue in issue_list:
        publications.setdefault(issue.publication_id, issue.publication)
    return {
        "format": FORMAT,
        "version": VERSION,
        "publications": [publication_dict(p) for p in publications.values()],
        "issues": [issue_dict(archive_issue_from_model(issue, issue.articles.all()))
                   for issue in issue_list],
    }


# ---- reading ---------------------------------------------------------------------------
def _require(data: dict, key: str, kind: type | tuple[type, ...], where: str, *, nullable: bool = False):
    if key not in data:
        raise ArchiveFormatError(f"{where}缺少字段“{key}”。")
    value = data[key]
    if value is None and nullable:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ArchiveFormatError(f"{where}字段“{key}”的类型不对。")
    return value


def _optional_text(data: dict, key: str, where: str) -> str:
    if data.get(key) is None:
        return ""
    if not isinstance(data[key], str):
        raise ArchiveFormatError(f"{where}字段“{key}”应为文字或 null。")
    return data[key]


def _settings(data: dict | None) -> PublicationSettings:
    settings = PublicationSettings()
    if data:
        for name in PUBLICATION_SETTINGS:
            if name in data and data[name] is not None:
                setattr(settings, name, data[name])
    return settings


def archive_parse(data: Any) -> list[ArchiveIssue]:
    """Read an archive document; raise ArchiveFormatError naming what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveFormatError(f"不是简报归档文件：应有 \"format\": \"{FORMAT}\"。")
    if data.get("version") != VERSION:
        raise ArchiveFormatError(f"不支持的归档格式版本 {data.get('version')!r}，本系统读取第 {VERSION} 版。")
    issues = data.get("issues")
    if not isinstance(issues, list):
        raise ArchiveFormatError("归档文件缺少 \"issues\" 列表。")
    settings_by_name = {}
    for entry in data.get("publications") or []:
        if isinstance(entry, dict):
            key = (entry.get("publication_prefix") or "", entry.get("publication") or "")
            settings_by_name[key] = entry
    return [_parse_issue(item, index + 1, settings_by_name) for index, item in enumerate(issues)]


def _parse_issue(item: Any, index: int, settings_by_name: dict) -> ArchiveIssue:
    where = f"第 {index} 期："
    if not isinstance(item, dict):
        raise ArchiveFormatError(f"{where}应为一个对象。")
    date_text = _require(item, "date", str, where)
    try:
        date = datetime.date.fromisoformat(date_text)
    except ValueError as exc:
        raise ArchiveFormatError(f"{where}日期“{date_text}”不是 YYYY-MM-DD 格式。") from exc
    office = _require(item, "issuing_office", (list, str), where)
    office_lines = office.splitlines() if isinstance(office, str) else [str(line) for line in office]
    columns = []
    for column in _require(item, "columns", list, where):
        if not isinstance(column, dict):
            raise ArchiveFormatError(f"{where}栏目应为对象。")
        parsed = ArchiveColumn(name=_require(column, "name", str, where))
        for article in _require(column, "articles", list, where):
            if not isinstance(article, dict):
                raise ArchiveFormatError(f"{where}文章应为对象。")
            parsed.articles.append(ArchiveArticle(
                title=_require(article, "title", str, where),
                toc_title=_optional_text(article, "toc_title", where),
                subtitle=_optional_text(article, "subtitle", where),
                byline=_optional_text(article, "byline", where),
                source=_optional_text(article, "source", where),
                editor_note=_optional_text(article, "editor_note", where),
                body_html=_optional_text(article, "body_html", where),
            ))
        columns.append(parsed)
    distribution = []
    for line in _require(item, "distribution", list, where):
        if not isinstance(line, dict) or not isinstance(line.get("role"), str) \
                or not isinstance(line.get("text"), str):
            raise ArchiveFormatError(f"{where}分发行应为 {{\"role\": …, \"text\": …}}。")
        distribution.append((line["role"], line["text"]))
    name = _require(item, "publication", str, where)
    prefix = _optional_text(item, "publication_prefix", where)
    return ArchiveIssue(
        publication=name,
        publication_prefix=prefix,
        marking=_optional_text(item, "marking", where),
        year=_require(item, "year", int, where),
        number=_require(item, "number", int, where),
        total_number=_require(item, "total_number", int, where, nullable=True),
        special=bool(_require(item, "special", bool, where)),
        date=date,
        issuing_office=office_lines,
        print_run=_require(item, "print_run", int, where, nullable=True),
        editor_note=_optional_text(item, "editor_note", where),
        columns=columns,
        distribution=distribution,
        editorial_block=_optional_text(item, "editorial_block", where),
        settings=_settings(settings_by_name.get((prefix, name))),
    )
