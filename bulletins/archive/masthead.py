"""The masthead of a bulletin: marking, name (with its smaller first line), number, total number,
issuing office and date, read from the lines above the first column heading."""

from __future__ import annotations

import datetime
import re

from bulletins.archive.context import ParseContext
from bulletins.archive.rules import (
    BARE_NUMBER_RE,
    BARE_YEAR_RE,
    CJK_SPACE_RE,
    CN_DATE_RE,
    DATE_RE,
    MARKING_RE,
    MASTHEAD_TOKEN_RE,
    NUMBER_RE,
    OFFICE_TAIL_RE,
    PRINT_RUN_RE,
    RULE_RE,
    SIDE_BY_SIDE_RE,
    SPECIAL_LINE_RE,
    TOC_LABEL_RE,
    TOTAL_RE,
    YEAR_NUMBER_RE,
    Line,
    column_name,
    compact,
)
from bulletins.archive.types import ArchiveIssue, PublicationSettings

LETTER_SPACED_RE = re.compile(r"[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff])+")
CN_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def split_side_by_side(lines: list[Line]) -> list[Line]:
    """Things printed side by side under the masthead (office, number, date) or in the 版记
    (office, 共印) are lines of their own."""
    result: list[Line] = []
    in_masthead = True
    for line in lines:
        in_masthead = in_masthead and not column_name(line)
        parts = SIDE_BY_SIDE_RE.split(line.text)
        # Below the masthead only 共印 N 份 beside the office in the 版记 is split off.
        if not in_masthead and not any(PRINT_RUN_RE.match(part.strip()) for part in parts):
            result.append(line)
            continue
        result.extend(Line(no=line.no, raw=part, text=part.strip(), level=line.level, page=line.page,
                           page_line=line.page_line) for part in parts)
    return result


def masthead_pieces(lines: list[Line]) -> list[Line]:
    """The masthead's lines with a number, total number or date set beside a name or an office
    (`中共某某委办公室 2023年9月20日`, `第9期（总第453期）`, `2023年11月25日 协调小组办公室`) as
    lines of their own, in the order printed."""
    result: list[Line] = []
    for line in lines:
        plain = line.plain
        matches = list(MASTHEAD_TOKEN_RE.finditer(plain))
        if not matches or (len(matches) == 1 and matches[0].group(0) == plain):
            result.append(line)
            continue
        position = 0
        pieces: list[str] = []
        for match in matches:
            pieces.extend([plain[position:match.start()].strip(), match.group(0).strip()])
            position = match.end()
        pieces.append(plain[position:].strip())
        result.extend(Line(no=line.no, raw=piece, text=piece, level=line.level, page=line.page,
                           page_line=line.page_line) for piece in pieces if piece)
    return result


def find_date(plain: str) -> tuple[re.Match[str], tuple[int, int, int]] | None:
    """The date in a line, in Arabic or Chinese numerals, as (match, (year, month, day))."""
    if match := DATE_RE.search(plain):
        return match, (int(match.group("year")), int(match.group("month")), int(match.group("day")))
    if match := CN_DATE_RE.search(plain):
        year = int("".join(str(CN_DIGITS[ch]) for ch in match.group("year")))
        return match, (year, _cn_number(match.group("month")), _cn_number(match.group("day")))
    return None


def _cn_number(text: str) -> int:
    """一 … 九, 十, 十一 … 十九, 二十 … 三十一."""
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


def parse_masthead(ctx: ParseContext, end: int) -> ArchiveIssue:
    """Read the masthead from the lines before `end`; raise when its name, number or date is missing."""
    marking = ""
    name_lines: list[str] = []
    name_levels: list[int] = []
    office: list[str] = []
    number = total = year = None
    special = False
    date = None
    per_year = False
    office_after_date = False
    # What the masthead's lines were read as, in order: an office line right before the date
    # (beside it on a row) may go on in the line right after the date.
    kinds: list[str] = []
    for line in masthead_pieces(ctx.lines[:end]):
        if line.blank:
            continue
        plain = line.plain
        if RULE_RE.match(plain):
            ctx.skip(line, "分隔线")
            continue
        # A marking stands above the name or beside it, the number or the date.
        if not marking and MARKING_RE.search(plain) and len(plain) <= 20 and not OFFICE_TAIL_RE.search(plain):
            marking = plain
            continue
        if SPECIAL_LINE_RE.match(plain):
            special = True  # 增刊 printed on a line of its own, above or beside the number
            continue
        if number is None and (match := YEAR_NUMBER_RE.match(plain)):
            year, number = int(match.group("year")), int(match.group("number"))
            total = int(match.group("total")) if match.group("total") else total
            special = special or is_special(match)
            per_year = True
            continue
        if number is None and (match := NUMBER_RE.match(plain)):
            number = int(match.group("number"))
            total = int(match.group("total")) if match.group("total") else total
            special = special or is_special(match)
            continue
        if number is None and name_lines and (match := BARE_NUMBER_RE.match(plain)):
            number = int(match.group("number"))
            special = special or bool(match.group("special"))
            per_year = True
            continue
        if year is None and name_lines and (match := BARE_YEAR_RE.match(plain)):
            year = int(match.group("year"))
            per_year = True
            continue
        if total is None and (match := TOTAL_RE.match(plain)):
            total = int(match.group("total"))
            continue
        if date is None and (found := find_date(plain)):
            date = _date(ctx, *found, line)
            kinds.append("date")
            continue
        if number is None and (date is None or not office):
            # (Extracted text may set the date, printed on a row with the office, above the name.)
            name_lines.append(plain)
            name_levels.append(line.level)
        elif date is None:
            office.append(plain)
            kinds.append("office")
        elif TOC_LABEL_RE.match(compact(plain)):
            ctx.skip(line, "目录标题")
        elif (not office or office_after_date or kinds[-2:] == ["office", "date"]) \
                and OFFICE_TAIL_RE.search(plain):
            # The office printed after (or right of) the date, or its next line under the row
            # where its first line stood beside the date.
            office.append(plain)
            office_after_date = True
        else:
            ctx.doubt(line, f"报头中无法归类的一行，未导入：{plain}")
    office = office_before_number(name_lines, name_levels, from_layout=ctx.one_entry_per_line) + office
    if not office:
        office = office_among_name_lines(name_lines, [line.plain for line in ctx.lines[end:]])
    first = next((line.no for line in ctx.lines if not line.blank), None)
    if not name_lines:
        raise ctx.error(first, "未找到报头：文件开头应是刊物名称（如“工作简报”）"
                               "和期号（如“第 454 期”）。")
    if number is None:
        raise ctx.error(first, "未找到报头中的期号：应有“第 454 期”或“2023年第9期”这样的一行。")
    if date is None:
        raise ctx.error(first, "未找到报头中的签发日期：应有“2023 年 11 月 25 日”这样的一行。")
    if year is not None and year != date.year:
        ctx.warn(None, f"报头年份 {year} 与签发日期 {date.isoformat()} 不一致，按签发日期的年份导入。")
    if not office:
        ctx.doubt(ctx.by_no.get(first) if first is not None else None,
                  "报头中未找到编印单位（如“协调小组办公室”），可能与刊名读在一起，请核对。")
    prefix, name = publication_name(name_lines, from_layout=ctx.one_entry_per_line)
    settings = PublicationSettings(
        numbering="per_year" if per_year or total is not None else "continuous",
        has_total_number=total is not None,
        total_number_offset=(total - 1) if total else 0,
    )
    return ArchiveIssue(
        publication=name, publication_prefix=prefix, marking=marking, year=date.year,
        number=number, total_number=total, special=special, date=date,
        issuing_office=office, settings=settings,
    )


def is_special(match: re.Match[str]) -> bool:
    return bool(match.group("special") or match.group("special_after"))


def publication_name(name_lines: list[str], *, from_layout: bool) -> tuple[str, str]:
    """(刊名上行小字, 刊物名称): `党委中心组 理论学习通讯` on one line, or the last of several lines."""
    if len(name_lines) == 1:
        if LETTER_SPACED_RE.fullmatch(name_lines[0]):
            return "", CJK_SPACE_RE.sub("", name_lines[0])  # 工 作 简 报, one name set spaced out
        parts = name_lines[0].rsplit(None, 1)
        return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    name = name_lines[-1]
    if from_layout:
        # A name set in wide letter-spacing (工 作 简 报) comes out of pdftotext spaced.
        name = CJK_SPACE_RE.sub("", name)
    return " ".join(name_lines[:-1]), name


def office_before_number(name_lines: list[str], levels: list[int], *, from_layout: bool) -> list[str]:
    """Lines before the number that belong to the issuing office, taken out of `name_lines`:
    in a PDF the lines not set large; in text a last line that names an office."""
    if from_layout and any(levels) and not all(levels):
        office = [text for text, level in zip(name_lines, levels, strict=True) if not level]
        name_lines[:] = [text for text, level in zip(name_lines, levels, strict=True) if level]
        return office
    if len(name_lines) >= 2 and OFFICE_TAIL_RE.search(name_lines[-1]):
        return [name_lines.pop()]
    return []


def office_among_name_lines(name_lines: list[str], later: list[str]) -> list[str]:
    """Extracted text may set the office (printed beside the date) among the name's lines: the
    one line above the name that names an office and is printed again in the 版记."""
    printed_again = {compact(text) for text in later}
    found = [index for index, text in enumerate(name_lines[:-1])
             if OFFICE_TAIL_RE.search(text) and compact(text) in printed_again]
    return [name_lines.pop(found[0])] if len(found) == 1 else []


def _date(ctx: ParseContext, match: re.Match[str], parts: tuple[int, int, int], line: Line) -> datetime.date:
    try:
        return datetime.date(*parts)
    except ValueError as exc:
        raise ctx.error(line.no, f"签发日期无效：{match.group(0)}。") from exc
