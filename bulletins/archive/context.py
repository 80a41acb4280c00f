"""What every part of the text parser shares: the lines of one file, and what reading them noted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bulletins.archive.rules import Line, make_line
from bulletins.archive.types import ArchiveFormatError, SkippedLine


@dataclass
class ParseContext:
    """The lines of a bulletin being read, with the lines skipped, warnings and doubts so far.

    `one_entry_per_line` is for lines already joined from their printed layout (a PDF, or
    hard-wrapped text): there every TOC line that does not start with a leader is an entry.
    """

    lines: list[Line]
    one_entry_per_line: bool = False
    skipped: list[SkippedLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The lines as the file numbers them, for messages (later splits keep their numbers).
        self.by_no = {line.no: line for line in self.lines}

    def skip(self, line: Line, reason: str) -> None:
        number = line.page_line if line.page and line.page_line is not None else line.no
        self.skipped.append(SkippedLine(line=number,
                                        page=line.page, text=line.raw.strip(), reason=reason))

    def warn(self, line: Line | None, message: str) -> None:
        self.warnings.append(f"{line.where}：{message}" if line else message)

    def doubt(self, line: Line | None, message: str) -> None:
        """A doubt about the structure: the file is imported only when the editor confirms it."""
        self.doubts.append(f"{line.where}：{message}" if line else message)

    def error(self, line_no: int | None, message: str) -> ArchiveFormatError:
        line = self.by_no.get(line_no) if line_no is not None else None
        if line is not None and line.page:
            return ArchiveFormatError(message, line=line.page_line, page=line.page)
        return ArchiveFormatError(message, line=line_no)


def context_for_text(text: str, **kwargs: Any) -> ParseContext:
    """The context of a plain or Markdown text, one Line per line of it."""
    return ParseContext([make_line(i + 1, raw) for i, raw in enumerate(text.splitlines())], **kwargs)
