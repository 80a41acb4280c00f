"""Reading one archive file into issues, before anything is imported: a PDF, a Word file,
archive JSON, or the text of one bulletin, checked first against what it may expand to
(bulletins.limits) and read in the reading child (bulletins.rendering.isolated)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from bulletins.archive.docx_reader import WORD_SUFFIXES, is_word, parse_word
from bulletins.archive.json_format import archive_parse
from bulletins.archive.pdf_reader import NOT_PDF, is_pdf, parse_pdf
from bulletins.archive.reflow import is_hard_wrapped, reflow_lines, split_lines
from bulletins.archive.text_parser import parse_lines, parse_text
from bulletins.archive.types import ArchiveFormatError, ArchiveIssue
from bulletins.limits import (
    check_file_size,
    check_issue_size,
    check_json_depth,
    check_pdf,
    check_zip,
    read_in_child,
)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".json"}
ARCHIVE_SUFFIXES = TEXT_SUFFIXES | {".pdf"} | WORD_SUFFIXES


def decode_archive_bytes(content: bytes) -> str:
    """Return the text of an uploaded file: UTF-8 (with or without BOM), else GB18030/GBK."""
    if not content.strip():
        raise ArchiveFormatError("文件为空，没有可导入的内容。")
    sample = content[:8192]
    if b"\x00" in sample or sum(byte < 9 or 13 < byte < 32 for byte in sample) > len(sample) // 100:
        raise ArchiveFormatError("不是文本文件（含有二进制内容）：应为 UTF-8 或 GB18030/GBK 编码的文本、"
                                 "Markdown 或归档 JSON 文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ArchiveFormatError("无法识别文件编码：应为 UTF-8 或 GB18030/GBK 编码的文本。")


def _looks_like_json(text: str) -> bool:
    return text.lstrip().startswith("{")


def parse_archive_text(text: str, *, name: str) -> list[ArchiveIssue]:
    """Parse decoded file content into issues: archive JSON or one bulletin as text.

    Text hard-wrapped at the page width (pdftotext, a copy from a PDF reader) is first
    joined into its paragraphs again; what that drops (page numbers, running heads) is
    reported with the issue's skipped lines.
    """
    if _looks_like_json(text):
        check_json_depth(name=Path(name).name, text=text)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ArchiveFormatError(f"JSON 格式错误：{exc.msg}。", line=exc.lineno) from exc
        return archive_parse(data)
    raw_lines = split_lines(text)
    if is_hard_wrapped(raw_lines):
        reflowed = reflow_lines(raw_lines)
        issue = parse_lines(reflowed.lines, name=name)
        issue.skipped = sorted([*reflowed.skipped, *issue.skipped], key=lambda s: s.line)
        issue.doubts = [*reflowed.doubts, *issue.doubts]
        issue.read_from_layout = True
        return [issue]
    return [parse_text(text, name=name)]


def parse_archive_bytes(content: bytes, *, name: str) -> list[ArchiveIssue]:
    """Parse one uploaded file: a PDF, a Word file, archive JSON, or the text of one bulletin; what it may
    expand to is checked first (bulletins.limits), and each issue must be small enough to print."""
    shown = Path(name).name
    check_file_size(name=shown, size=len(content), limit_mb=settings.ARCHIVE_MAX_FILE_MB, what="导入")
    if is_pdf(content):
        check_pdf(name=shown, content=content)
        issues = [parse_pdf(content, name=name)]
    elif name.lower().endswith(".pdf"):
        raise ArchiveFormatError(NOT_PDF)
    elif is_word(content, name):
        if content.startswith(b"PK"):
            check_zip(name=shown, source=content)
        issues = [parse_word(content, name=name)]
    else:
        issues = parse_archive_text(decode_archive_bytes(content), name=name)
    for issue in issues:
        check_issue_size(label=f"“{shown}”中的{issue.label}", characters=issue.characters)
    return issues


def _parse_in_child(content: bytes, name: str) -> list[ArchiveIssue]:
    return parse_archive_bytes(content, name=name)


def parse_archive_file(content: bytes, *, name: str) -> list[ArchiveIssue]:
    """`parse_archive_bytes` in the reading child (time and memory limits): a hostile file fails alone."""
    return read_in_child(_parse_in_child, content, name, name=Path(name).name)


def archive_files(paths: list[Path]) -> list[Path]:
    """Expand folders into the PDF, text, Markdown and JSON files they hold, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and p.suffix.lower() in ARCHIVE_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            files.append(path)
    return files
