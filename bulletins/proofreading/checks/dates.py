"""Dates as GB/T 15835 writes them: 2023年11月25日, real calendar days, the right weekday."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence

from bulletins.proofreading.checks.characters import (
    _at,
    _masked,
    is_chinese,
)
from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Edit, Segment

# --- date-format ---------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(
    r"(?<![\d.\-/])((?:19|20)\d{2})([-./])(\d{1,2})\2(\d{1,2})(?![\d]|[.\-/]\d)")
_WRITTEN_DATE = re.compile(
    r"(?<![\d０-９])(?:(\d{4})([ \u3000]*)年([ \u3000]*))?(\d{1,2})([ \u3000]*)月([ \u3000]*)"
    r"(\d{1,2})([ \u3000]*)([日号])")
_CHINESE_YEAR = re.compile(r"(?:一九|二[〇零])[〇零一二三四五六七八九]{2}年")
_DIGIT_YEAR = re.compile(r"(?<![\d０-９])(?:19|20)\d{2}年")


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the spaces between a date and the Chinese text around it (苏州市 11月23日举行)."""
    before = start
    while before > 0 and text[before - 1] in " \u3000":
        before -= 1
    if before == start or not is_chinese(_at(text, before - 1)):
        before = start
    after = end
    while after < len(text) and text[after] in " \u3000":
        after += 1
    if after == end or not is_chinese(_at(text, after)):
        after = end
    return before, after


_WEEKDAY = re.compile(r"[（(]?(?:星期|周|礼拜)([一二三四五六日天])[）)]?")
WEEKDAYS = "一二三四五六日"


def _calendar_problem(text: str, match: re.Match, right: str) -> tuple[str, int] | None:
    """A date that does not exist, or a weekday after it that is not its weekday."""
    year, month, day = int(match.group(1)), int(match.group(4)), int(match.group(7))
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return f"日期“{right}”不存在。", match.end()
    weekday = _WEEKDAY.match(text, match.end())
    if weekday:
        written = weekday.group(1).replace("天", "日")
        actual = WEEKDAYS[date.weekday()]
        if written != actual:
            return (f"{right}是星期{actual}，不是星期{written}。", weekday.end())
    return None


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _date_finding(segment: Segment, start: int, end: int, message: str, suggestion: str,
                  severity: Severity) -> Finding:
    return Finding(code=Code.DATE_FORMAT, severity=severity, message=message, segment=segment,
                   start=start, end=end, suggestion=suggestion,
                   edits=(Edit(start, end, suggestion),))


def _year_in_digits(chinese: str) -> str:
    return "".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in chinese[:4]) + "年"


def _year_in_chinese(digits: str) -> str:
    return "".join("〇一二三四五六七八九"[int(c)] for c in digits[:4]) + "年"


def check_dates(segments: Sequence[Segment]) -> list[Finding]:
    """Dates as 2023年11月25日; and one way of writing years (2023年 or 二〇二三年) per text.

    `segments` are all the paragraphs of one article (or of the issue's own text).
    """
    findings: list[Finding] = []
    years: list[tuple[str, Segment, re.Match]] = []
    for segment in segments:
        text = segment.text
        masked = _masked(text)
        for match in _NUMERIC_DATE.finditer(text):
            year, _, month, day = match.groups()
            if match.start() in masked or not _valid(int(month), int(day)):
                continue
            right = f"{year}年{int(month)}月{int(day)}日"
            start, end = _widen(text, match.start(), match.end())
            findings.append(_date_finding(segment, start, end,
                                          f"日期“{match.group(0)}”应写作“{right}”。", right,
                                          Severity.ERROR))
        for match in _WRITTEN_DATE.finditer(text):
            year, _, _, month, _, _, day, _, _ = match.groups()
            if not _valid(int(month), int(day)):
                continue
            right = f"{year + '年' if year else ''}{int(month)}月{int(day)}日"
            start, end = _widen(text, match.start(), match.end())
            if year and (problem := _calendar_problem(text, match, right)):
                findings.append(Finding(code=Code.DATE_FORMAT, severity=Severity.ERROR,
                                        message=problem[0], segment=segment, start=match.start(),
                                        end=problem[1]))
                continue
            if right != match.group(0):
                message, severity = f"日期“{match.group(0)}”应写作“{right}”。", Severity.ERROR
            elif (start, end) != match.span():
                message, severity = f"日期“{right}”与前后汉字之间不加空格。", Severity.HINT
            else:
                continue
            findings.append(_date_finding(segment, start, end, message, right, severity))
        for match in _CHINESE_YEAR.finditer(text):
            if "零" in match.group(0):
                right = match.group(0).replace("零", "〇")
                findings.append(_date_finding(segment, match.start(), match.end(),
                                              f"年份“{match.group(0)}”中的“零”应写作“〇”。", right,
                                              Severity.ERROR))
            years.append(("chinese", segment, match))
        years += [("digits", segment, match) for match in _DIGIT_YEAR.finditer(text)
                  if match.start() not in masked]
    styles = Counter(style for style, _, _ in years)
    if len(styles) == 2:
        # The less used way is the odd one out; on a tie, digits (the usual way) stay.
        odd = "chinese" if styles["chinese"] <= styles["digits"] else "digits"
        other = next(m.group(0) for style, _, m in years if style != odd)
        for style, segment, match in years:
            if style != odd:
                continue
            written = match.group(0)
            right = _year_in_digits(written) if odd == "chinese" else _year_in_chinese(written)
            findings.append(_date_finding(
                segment, match.start(), match.end(),
                f"本文年份写法不一：“{written}”与“{other}”混用，应统一，此处可写作“{right}”。",
                right, Severity.HINT))
    return findings
