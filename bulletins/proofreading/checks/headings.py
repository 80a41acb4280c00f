"""Heading numbers in sequence: 一、（一）1.（1） as GB/T 9704 orders them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bulletins.proofreading.checks.characters import (
    SPACES,
)
from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Edit, Segment

# --- heading-sequence ----------------------------------------------------------------------

_NUMERAL = r"[一二三四五六七八九十]{1,3}"
HEADING_PATTERNS = (
    (1, re.compile(rf"[{SPACES}]*({_NUMERAL})、")),
    (2, re.compile(rf"[{SPACES}]*[（(]({_NUMERAL})[）)]")),
    (3, re.compile(rf"[{SPACES}]*(\d{{1,2}})([.．](?!\d)|、)")),
    (4, re.compile(rf"[{SPACES}]*[（(](\d{{1,2}})[）)]")),
)
LEVEL_NAMES = {1: "“一、”", 2: "“（一）”", 3: "“1.”", 4: "“（1）”"}
_DIGITS = "零一二三四五六七八九"


def chinese_number(text: str) -> int | None:
    """一 … 九十九 as an integer."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1:
            return None
        value = (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(units) if units else 0)
        return value if value else None
    return _DIGITS.index(text) if len(text) == 1 and text in _DIGITS[1:] else None


def number_in_chinese(number: int) -> str:
    tens, units = divmod(number, 10)
    if not tens:
        return _DIGITS[units]
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[units] if units else ''}"


def heading_marker(level: int, number: int) -> str:
    if level == 1:
        return f"{number_in_chinese(number)}、"
    if level == 2:
        return f"（{number_in_chinese(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"


def _heading(text: str) -> tuple[int, re.Match | None]:
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            return level, match
    return 0, None


@dataclass
class _Heading:
    level: int
    number: int
    marker: str


def check_headings(segments: Iterable[Segment]) -> list[Finding]:
    """Heading numbers in order, from 1, each level directly under the one above it.

    The levels are 一、 > （一） > 1. > （1）; an article may start at any level but not
    go above the level it started at, nor skip a level on the way down.
    """
    findings: list[Finding] = []

    def add(segment: Segment, end: int, message: str, severity=Severity.ERROR, edits=()) -> None:
        start = len(segment.text) - len(segment.text.lstrip(SPACES))
        findings.append(Finding(code=Code.HEADING_SEQUENCE, severity=severity, message=message,
                                segment=segment, start=start, end=end, edits=tuple(edits)))

    stack: list[_Heading] = []
    top_level: int | None = None
    for segment in segments:
        level, match = _heading(segment.text)
        if match is None:
            continue
        number = chinese_number(match.group(1)) if level <= 2 else int(match.group(1))
        if not number:
            continue
        marker = match.group(0).strip(SPACES)
        if level == 3 and match.group(2) == "、":
            add(segment, match.end(), f"第三层序号应写作“{number}.”，不用“{marker}”。",
                Severity.HINT, [Edit(match.end() - 1, match.end(), ".")])
        heading = _Heading(level, number, marker)
        if top_level is not None and level < top_level:
            add(segment, match.end(), f"“{marker}”的层级高于本文开头的{LEVEL_NAMES[top_level]}，"
                                      "层次混乱。")
            stack, top_level = [heading], level
            continue
        same = next((i for i, h in enumerate(stack) if h.level == level), None)
        if same is not None:
            previous = stack[same]
            if number != previous.number + 1:
                expected = heading_marker(level, previous.number + 1)
                add(segment, match.end(), f"序号“{marker}”不连续：前一个是“{previous.marker}”，"
                                          f"应为“{expected}”。")
            stack[same:] = [heading]
            continue
        stack = [h for h in stack if h.level < level]
        parent = stack[-1] if stack else None
        if parent is not None and level > parent.level + 1:
            skipped = "".join(LEVEL_NAMES[lv] for lv in range(parent.level + 1, level))
            add(segment, match.end(), f"“{marker}”直接用在“{parent.marker}”之下，跳过了{skipped}一级；"
                                      "层次应依次为“一、”“（一）”“1.”“（1）”。")
        elif number != 1:
            first = heading_marker(level, 1)
            add(segment, match.end(), f"序号“{marker}”之前没有“{first}”，应从“{first}”开始。")
        if top_level is None:
            top_level = level
        stack.append(heading)
    return findings
