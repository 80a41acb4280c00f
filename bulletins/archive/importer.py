"""Import one archive file (bulletin text/Markdown, or archive JSON) through the domain services."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, transaction

from bulletins.archive.json_format import archive_issue_from_model, issue_content_dict
from bulletins.archive.pdf_reader import is_pdf
from bulletins.archive.reading import (  # noqa: F401 - the importer's names for them
    ARCHIVE_SUFFIXES,
    TEXT_SUFFIXES,
    archive_files,
    decode_archive_bytes,
    parse_archive_bytes,
    parse_archive_file,
    parse_archive_text,
)
from bulletins.archive.rules import WHITESPACE_RE
from bulletins.archive.types import ArchiveFormatError, ArchiveIssue, SkippedLine
from bulletins.limits import (
    UploadLimitError,
    check_file_size,
)
from bulletins.models import Issue, Publication
from bulletins.services import (
    ImportedArticle,
    UnitAction,
    UnitChoice,
    UnitDecision,
    issue_import,
    publication_create,
    publication_find,
    unit_choices_from_values,
)
from bulletins.services.printing import StoredPDF, issue_store_pdf

ACTION_CREATED = "新建"
ACTION_UNCHANGED = "未变化"
ACTION_REPLACED_DRAFT = "替换草稿"
ACTION_REPLACED_PUBLISHED = "替换已印发的内容"
REPLACING_ACTIONS = {ACTION_REPLACED_DRAFT, ACTION_REPLACED_PUBLISHED}
PREVIEW_WORDS = 30
PARAGRAPH_RE = re.compile(r"<p[ >]")
TAG_RE = re.compile(r"<[^>]+>")


@dataclass
class IssueReport:
    label: str
    action: str
    columns: int
    articles: int
    paragraphs: int
    distribution_lines: int
    issue_id: int | None = None
    # The units the import adds to the directory, and the names of its 版记 it does not add.
    new_organisations: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)  # new names that are no unit of their own
    not_created: list[UnitDecision] = field(default_factory=list)

    def _label(self, name: str) -> str:
        return f"{name}［不像单位名称］" if name in self.fragments else name

    def unit_lines(self) -> list[str]:
        """The units added to the directory, those only printed, those merged; fragments marked."""
        lines = []
        if self.new_organisations:
            lines.append(f"新建单位 {len(self.new_organisations)} 个："
                         f"{'；'.join(self._label(name) for name in self.new_organisations)}")
        kept = [d.name for d in self.not_created if d.action != UnitAction.MERGE]
        if kept:
            lines.append(f"只照印在版记中、不在名录新建 {len(kept)} 个："
                         f"{'；'.join(self._label(name) for name in kept)}")
        merged = [d for d in self.not_created if d.action == UnitAction.MERGE]
        if merged:
            lines.append(f"并入已有单位 {len(merged)} 个："
                         f"{'；'.join(f'{self._label(d.name)} → {d.organisation}' for d in merged)}")
        return lines


@dataclass
class ImportResult:
    """What one file gave: the issues found, the lines skipped, warnings, or the error."""

    name: str
    dry_run: bool = False
    issues: list[IssueReport] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    error: str | None = None
    # What was read, for the editor to check before confirming (kept when refused for doubts).
    parsed: list[ArchiveIssue] = field(default_factory=list)
    # A PDF or extracted text was read by its layout: the report lists what was found.
    show_structure: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def replacements(self) -> list[str]:
        """The existing issues this file replaces, which the user must confirm."""
        return [report.label for report in self.issues if report.action in REPLACING_ACTIONS]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.doubts)

    @property
    def would_import(self) -> bool:
        """Whether confirming would change anything: a file read, with an issue not unchanged."""
        return self.ok and any(report.action != ACTION_UNCHANGED for report in self.issues)

    @property
    def fragment_names(self) -> list[str]:
        """The names of the file's 版记 lines that are no unit of their own, for the editor to decide."""
        return list(dict.fromkeys(name for report in self.issues for name in report.fragments))

    def structure_lines(self) -> list[str]:
        """What was found in each issue: masthead, columns, titles, first words, 版记."""
        lines: list[str] = []
        for issue in self.parsed:
            office = " ".join(issue.issuing_office)
            date = f"{issue.date.year}年{issue.date.month}月{issue.date.day}日"
            lines.append(f"  报头：{issue.label}，{date}" + (f"，{issue.marking}" if issue.marking else "")
                         + (f"，{office}" if office else ""))
            for column in issue.columns:
                lines.append(f"  栏目“{column.name}”：{len(column.articles)} 篇")
                for article in column.articles:
                    extras = [f"{label}：{value}" for label, value in (
                        ("目录标题", article.toc_title), ("副标题", article.subtitle),
                        ("署名", article.byline), ("来源", article.source)) if value]
                    paragraphs = len(PARAGRAPH_RE.findall(article.body_html))
                    lines.append(f"    《{article.title}》{'（' + '；'.join(extras) + '）' if extras else ''}"
                                 f" {paragraphs} 段：{first_words(article.body_html)}")
            for role, text in issue.distribution:
                lines.append(f"  版记 {role}：{text}")
            if issue.print_run:
                lines.append(f"  共印 {issue.print_run} 份")
        return lines

    def report_lines(self) -> list[str]:
        """The per-file report, in Chinese, as the command and the admin print it."""
        lines = [f"文件 {self.name}："]
        if self.error:
            lines.append(f"  导入失败：{self.error}")
            if self.doubts:
                lines.extend(self.structure_lines())
                lines.extend(f"  存疑：{doubt}" for doubt in self.doubts)
            return lines
        for report in self.issues:
            lines.append(f"  {report.label}：{report.action}（栏目 {report.columns} 个，"
                         f"文章 {report.articles} 篇，段落 {report.paragraphs} 段，"
                         f"分发行 {report.distribution_lines} 行）")
            lines.extend(f"  {line}" for line in report.unit_lines())
            if any(d.fragment and d.action == UnitAction.KEEP_LINE for d in report.not_created):
                lines.append("  （不像单位名称的可在导入预览中逐个改为并入已有单位或新建；"
                             "命令行用 --merge-unit 名称=已有单位 或 --fragments create）")
        if self.show_structure:
            lines.extend(self.structure_lines())
        for skipped in self.skipped:
            lines.append(f"  跳过{skipped.where}（{skipped.reason}）：{skipped.text}")
        for warning in self.warnings:
            lines.append(f"  注意：{warning}")
        for doubt in self.doubts:
            lines.append(f"  存疑：{doubt}")
        return lines


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing stays written."""


def first_words(body_html: str, count: int = PREVIEW_WORDS) -> str:
    text = " ".join(TAG_RE.sub(" ", body_html).split())
    return text if len(text) <= count else text[:count] + "…"


def _format_error(name: str, error: ArchiveFormatError) -> str:
    where = f" {error.where}" if error.where else ""
    return f"{name}{where}：{error.message}"


def archive_import_files(files: Iterable[tuple[str, dict]], *, accepted: Iterable[int] = (),
                         accept_warnings: bool = False,
                         unit_values: dict[int, dict[str, str]] | None = None,
                         each: Callable[[ImportResult], None] | None = None, **options) -> list[ImportResult]:
    """Import files one by one, each in its own transaction (`archive_import_file`).

    `files` gives each file's name and where its bytes are (`{"path": …}` or `{"content": …}`);
    a file in doubt is imported with `accept_warnings`, or when its index is `accepted`;
    `unit_values` are each file's choices for the 版记 names the directory lacks, by index, as a
    form or a queued task carries them. `each(result)` is called after every file.
    """
    accepted = set(accepted)
    results = []
    for index, (name, source) in enumerate(files):
        choices = unit_choices_from_values((unit_values or {}).get(index, {}))
        result = archive_import_file(name=name, accept_warnings=accept_warnings or index in accepted,
                                     unit_choices=choices, **source, **options)
        results.append(result)
        if each is not None:
            each(result)
    return results


def archive_import_file(
    *,
    path: Path | str | None = None,
    content: bytes | None = None,
    name: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    accept_warnings: bool = False,
    fragments: UnitAction = UnitAction.KEEP_LINE,
    unit_choices: dict[str, UnitChoice] | None = None,
    by=None,
) -> ImportResult:
    """Import every issue in one file in one transaction; a dry run does the same and rolls back.

    An issue that exists as a draft, or was printed with other content, is replaced only with
    `replace`; otherwise the file is refused and nothing changes. A file whose structure is in
    doubt (see ArchiveIssue.doubts) is refused unless `accept_warnings`: the editor has seen what
    was read and confirmed it. Names of the 版记 that are no unit of their own (副书记, 各市) are
    kept only in the printed line unless `fragments` or `unit_choices` say otherwise.
    """
    source = Path(path) if path is not None else None
    name = name or (source.name if source is not None else "未命名文件")
    result = ImportResult(name=name, dry_run=dry_run)
    try:
        content = _file_content(content, source)
        issues = parse_archive_file(content, name=name)
        result.parsed = issues
        # Every file but archive JSON (whose structure is explicit) shows what was read.
        result.show_structure = not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
        result.doubts = [doubt for parsed in issues for doubt in parsed.doubts]
        if result.doubts and not accept_warnings:
            result.skipped = [line for parsed in issues for line in parsed.skipped]
            result.warnings = [warning for parsed in issues for warning in parsed.warnings]
            result.error = (f"{name}：读出的结构有 {len(result.doubts)} 处存疑，未导入。请核对预览中的结构，"
                            "确认无误后在预览中勾选“已核对，仍然导入”（命令行加 --accept-warnings）。")
            return result
        # A printed PDF of one issue is what was printed: it becomes that issue's PDF of record.
        record = _PrintedFile(content, store=not dry_run) if is_pdf(content) and len(issues) == 1 else None
        try:
            with transaction.atomic():
                for parsed in issues:
                    result.issues.append(_import_issue(parsed, result, replace=replace, by=by, name=name,
                                                       fragments=fragments, unit_choices=unit_choices,
                                                       record=record))
                    result.skipped.extend(parsed.skipped)
                    result.warnings.extend(parsed.warnings)
                if dry_run:
                    raise _Rollback
        except BaseException:
            if record is not None:
                record.discard()
            raise
    except _Rollback:
        pass
    except PermissionDenied as error:
        result.error = f"{name}：{error}"
    except ArchiveFormatError as error:
        result.error = _format_error(name, error)
    except UploadLimitError as error:
        result.error = str(error)
    except RecursionError:
        result.error = f"{name}：结构嵌套过深，无法读取。"
    except ValidationError as error:
        result.error = f"{name}：数据不符合要求：{_validation_text(error)}"
    except IntegrityError:
        # Checked before writing; only a colleague importing or saving the same issue at the
        # same moment gets here.
        result.error = f"{name}：同一期刚被他人导入或修改，本文件未导入。请重新上传，预览后再确认。"
    except DatabaseError as error:
        result.error = f"{name}：写入数据库失败：{error}"
    if result.error:
        result.issues, result.skipped, result.warnings, result.doubts, result.parsed = [], [], [], [], []
        result.show_structure = False
    return result


def _file_content(content: bytes | None, source: Path | None) -> bytes:
    """The bytes given, or the file's: not read at all when it is over ARCHIVE_MAX_FILE_MB."""
    if content is not None:
        return content
    if source is None:
        raise ValueError("archive_import_file needs path or content")
    check_file_size(name=source.name, size=source.stat().st_size, limit_mb=settings.ARCHIVE_MAX_FILE_MB,
                    what="导入")
    return source.read_bytes()


def _validation_text(error: ValidationError) -> str:
    """Name the field of each message: 期号：此字段不能为空。"""
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    labels = {f.name: str(f.verbose_name) for model in (Issue, Publication) for f in model._meta.fields}
    parts: list[str] = []
    for field_name, errors in error.message_dict.items():
        label = labels.get(field_name, "" if field_name == "__all__" else field_name)
        parts.extend(f"{label}：{message}" if label else message for message in errors)
    return "；".join(parts)


def _publication_for(parsed: ArchiveIssue, result: ImportResult) -> Publication:
    publication = publication_find(name_prefix=parsed.publication_prefix, name=parsed.publication)
    if publication is None:
        settings = parsed.settings
        return publication_create(
            name=parsed.publication, name_prefix=parsed.publication_prefix,
            issuing_office=parsed.issuing_office, marking=parsed.marking,
            editorial_block=parsed.editorial_block, slug=settings.slug,
            short_name=settings.short_name, numbering=settings.numbering,
            has_total_number=settings.has_total_number,
            total_number_offset=settings.total_number_offset, prints_toc=settings.prints_toc,
            toc_shows_pages=settings.toc_shows_pages, column_decoration=settings.column_decoration,
            default_print_run=settings.default_print_run, print_run_reserve=settings.print_run_reserve,
            double_sided=settings.double_sided, number_first_page=settings.number_first_page,
            number_tail_page=settings.number_tail_page,
        )
    differences = [
        ("标注", publication.marking, parsed.marking),
        ("编印单位", "\n".join(publication.issuing_office_lines), "\n".join(parsed.issuing_office)),
        ("编辑部信息", publication.editorial_block.strip(), parsed.editorial_block.strip()),
    ]
    for label, stored, found in differences:
        if stored != found:
            result.warnings.append(f"{parsed.label}的{label}“{found}”与刊物设置“{stored}”不同，保留刊物设置。")
    return publication


class _PrintedFile:
    """The bytes of an imported PDF, stored as a PDF of record when an issue takes them (not in
    a dry run) and removed again if the import then rolls back."""

    def __init__(self, content: bytes, *, store: bool) -> None:
        self.content, self.store = content, store
        self.stored: StoredPDF | None = None

    def for_issue(self, issue: Issue) -> StoredPDF:
        if not self.store:
            return StoredPDF(name="", sha256=hashlib.sha256(self.content).hexdigest())
        if self.stored is None:
            self.stored = issue_store_pdf(issue=issue, pdf=self.content)
        return self.stored

    def discard(self) -> None:
        if self.stored is not None:
            default_storage.delete(self.stored.name)
            self.stored = None


def _import_issue(parsed: ArchiveIssue, result: ImportResult, *, replace: bool, by, name: str,
                  fragments: UnitAction, unit_choices: dict[str, UnitChoice] | None,
                  record: _PrintedFile | None = None) -> IssueReport:
    publication = _publication_for(parsed, result)
    existing = (Issue.objects.filter(publication=publication, year=parsed.year, number=parsed.number,
                                     is_special=parsed.special)
                .select_related("publication").first())
    action = ACTION_CREATED
    if existing is not None:
        stored = archive_issue_from_model(
            existing, existing.articles.select_related("column").order_by("position", "pk"))
        if _without_whitespace(issue_content_dict(stored)) == _without_whitespace(issue_content_dict(parsed)):
            action = ACTION_UNCHANGED
        elif existing.status == Issue.Status.DRAFT:
            action = ACTION_REPLACED_DRAFT
        else:
            action = ACTION_REPLACED_PUBLISHED
    report = IssueReport(
        label=parsed.label,
        action=action,
        columns=len({column.name for column in parsed.columns}),
        articles=len(parsed.articles),
        paragraphs=sum(len(PARAGRAPH_RE.findall(a.body_html)) for a in parsed.articles),
        distribution_lines=len(parsed.distribution),
        issue_id=existing.pk if existing is not None else None,
    )
    if action != ACTION_UNCHANGED:
        numbered = existing or Issue(publication=publication, year=parsed.year, number=parsed.number,
                                     is_special=parsed.special)
        outcome = issue_import(
            publication=publication, year=parsed.year, number=parsed.number, date=parsed.date,
            is_special=parsed.special, total_number=parsed.total_number, print_run=parsed.print_run,
            editor_note=parsed.editor_note,
            articles=[ImportedArticle(column=column.name, title=a.title, toc_title=a.toc_title,
                                      subtitle=a.subtitle, byline=a.byline, source=a.source,
                                      editor_note=a.editor_note, body=a.body_html)
                      for column in parsed.columns for a in column.articles],
            distribution=parsed.distribution,
            # The history names the file, not where it lay on the server (the command takes paths).
            by=by, replace=replace, source_name=Path(name).name, fragments=fragments,
            unit_choices=unit_choices,
            pdf_of_record=record.for_issue(numbered) if record is not None else None,
        )
        report.issue_id = outcome.issue.pk
        decisions = outcome.recipients.decisions
        report.new_organisations = outcome.recipients.created
        report.fragments = [d.name for d in decisions if d.fragment]
        report.not_created = outcome.recipients.not_created
        for role in outcome.unplaced_roles:
            result.warnings.append(f"{parsed.label}的分发行“{role}”不是报、送、发、抄送之一，"
                                   "照印原文，但未登记分发单位。")
    return report


def _without_whitespace(content):
    """The issue's content with every string stripped of whitespace, to compare a print with the
    stored issue: a printed line break drops the space it falls on (a two-line title read back
    from a PDF) or adds one, which changes no word of a Chinese text."""
    if isinstance(content, str):
        return WHITESPACE_RE.sub("", content)
    if isinstance(content, dict):
        return {key: _without_whitespace(value) for key, value in content.items()}
    if isinstance(content, list):
        return [_without_whitespace(value) for value in content]
    return content
