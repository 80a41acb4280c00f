"""The tail (版记) of a bulletin: where it starts, its 报/送/发 lines exactly as printed (a 发 line
wrapped over lines joined again), 共印 N 份, the issuing office and the editorial contact block."""

from __future__ import annotations

from bulletins.archive.context import ParseContext
from bulletins.archive.rules import (
    CONTACT_RE,
    DISTRIBUTION_RE,
    OFFICE_PUNCTUATION_RE,
    PRINT_RUN_RE,
    PRINTED_ON_RE,
    Line,
    compact,
    is_artefact,
    without_tail,
)
from bulletins.archive.types import ArchiveIssue


def is_tail_line(line: Line) -> bool:
    plain = line.plain
    return bool(DISTRIBUTION_RE.match(plain) or PRINT_RUN_RE.match(plain) or CONTACT_RE.search(plain))


def find_tail_start(lines: list[Line], start: int) -> int:
    """The tail starts at the first 报/送/发 (or 共印, contact) line after which only tail lines,
    rules and short lines such as the issuing office follow."""
    def rest_is_tail(index: int) -> bool:
        # A long line right under a 报/发 line is that line wrapped (a hanging indent in a PDF).
        after_distribution = True
        for line in lines[index + 1:]:
            if line.blank or is_artefact(line):
                continue
            if is_tail_line(line):
                after_distribution = bool(DISTRIBUTION_RE.match(line.plain))
                continue
            if "。" in line.plain or (len(line.plain) > 40 and not after_distribution):
                return False
            after_distribution = after_distribution and len(line.plain) > 40
        return True

    for pattern in (DISTRIBUTION_RE, None):
        for index in range(start, len(lines)):
            line = lines[index]
            matches = pattern.match(line.plain) if pattern is not None else is_tail_line(line)
            if matches and rest_is_tail(index):
                return index
    return len(lines)


def is_office_line(text: str, issue: ArchiveIssue) -> bool:
    """Whether a line under the 报/送/发 lines is the issuing office (as in the masthead),
    not the rest of a 发 line wrapped where the text did not show it."""
    office = OFFICE_PUNCTUATION_RE.sub("", "".join(issue.issuing_office))
    found = OFFICE_PUNCTUATION_RE.sub("", text)
    return bool(found) and bool(office) and (office.startswith(found) or found.startswith(office))


def parse_tail(ctx: ParseContext, start: int, issue: ArchiveIssue) -> None:
    """Read the tail from `start` into the issue's distribution, print run and editorial block."""
    office: list[str] = []
    editorial: list[str] = []
    for line in ctx.lines[start:]:
        if line.blank:
            continue
        reason = is_artefact(line)
        if reason:
            ctx.skip(line, reason)
            continue
        plain = line.plain
        if printed_on := PRINTED_ON_RE.search(plain):
            # 印发 and its date beside the office: not part of the office's name.
            ctx.skip(Line(no=line.no, raw=printed_on.group(0), text=printed_on.group(0), level=line.level,
                          page=line.page, page_line=line.page_line), "印发日期")
            plain = plain[:printed_on.start()].strip()
            if not plain:
                continue
        distribution = DISTRIBUTION_RE.match(plain)
        print_run = PRINT_RUN_RE.match(plain)
        if distribution and not editorial:
            issue.distribution.append((distribution.group("role"), distribution.group("text").strip()))
        elif print_run:
            issue.print_run = int(print_run.group("count"))
        elif CONTACT_RE.search(plain) or editorial:
            editorial.append(plain)
        elif issue.distribution and not office and (
                issue.distribution[-1][1].endswith(("、", "；", "，"))
                or (ctx.one_entry_per_line and not is_office_line(plain, issue))):
            role, text = issue.distribution[-1]
            issue.distribution[-1] = (role, text + plain)
        else:
            office.append(plain)
    if not office and issue.distribution and issue.issuing_office:
        # The office printed under the last 发 line, read into it (no gap or alignment told them apart).
        role, text = issue.distribution[-1]
        printed_office = compact("".join(issue.issuing_office))
        if compact(text).endswith(printed_office) and len(compact(text)) > len(printed_office):
            issue.distribution[-1] = (role, without_tail(text, printed_office))
            office = list(issue.issuing_office)
    issue.editorial_block = "\n".join(editorial)
    issue.tail_office = office
    if office and compact("".join(office)) != compact("".join(issue.issuing_office)):
        ctx.warn(None, f"版记中的编印单位“{' '.join(office)}”与报头“{' '.join(issue.issuing_office)}”"
                       "不同，按报头导入。")
    if not issue.distribution:
        ctx.warn(None, "未找到报、送、发等分发行。")
