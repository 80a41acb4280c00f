"""Which characters may be printed: simplified rather than traditional forms, and only
characters some configured font has."""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterable

from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Edit, Segment
from bulletins.text import is_han

# --- traditional-char ----------------------------------------------------------------------


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC's traditional → simplified conversion, with its phrase table (乾隆 stays 乾隆)."""
    return _converter().convert(text)


def check_traditional(segments: Iterable[Segment]) -> list[Finding]:
    findings: list[Finding] = []
    for segment in segments:
        text = segment.text
        if not any(is_han(c) for c in text):
            continue
        converted = to_simplified(text)
        if converted == text:
            continue
        if len(converted) != len(text):  # a phrase changed length: compare character by character
            converted = "".join(to_simplified(c) if len(to_simplified(c)) == 1 else c for c in text)
        for index, (old, new) in enumerate(zip(text, converted, strict=True)):
            if old == new or not is_han(old):
                continue
            if _in_gb2312(old):
                severity = Severity.HINT
                message = f"“{old}”可能是繁体字，一般应为“{new}”；用于人名、地名等专名时可以保留。"
            else:
                severity, message = Severity.ERROR, f"“{old}”是繁体字，应为“{new}”。"
            findings.append(Finding(
                code=Code.TRADITIONAL_CHAR, severity=severity, message=message, segment=segment,
                start=index, end=index + 1, suggestion=new, edits=(Edit(index, index + 1, new),)))
    return findings


def _in_gb2312(character: str) -> bool:
    """GB 2312 is a simplified character set; the few traditional-looking characters it has
    (於 乾 夥 徵 麴 …) are also used in simplified text, in names and special senses."""
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# --- unprintable-char ----------------------------------------------------------------------

_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def check_printable(segments: Iterable[Segment], covered: frozenset[int]) -> list[Finding]:
    """Characters no configured font has: one finding per character, at its first use."""
    first: dict[str, tuple[Segment, int]] = {}
    count: Counter[str] = Counter()
    for segment in segments:
        for index, character in enumerate(segment.text):
            if ord(character) in covered or unicodedata.category(character) in _INVISIBLE:
                continue
            first.setdefault(character, (segment, index))
            count[character] += 1
    findings = []
    for character, (segment, index) in first.items():
        times = f"本文共{count[character]}处。" if count[character] > 1 else ""
        findings.append(Finding(
            code=Code.UNPRINTABLE_CHAR, severity=Severity.ERROR,
            message=f"字符“{character}”（U+{ord(character):04X}）在已配置的字体中都没有字形，"
                    f"无法印刷。{times}",
            segment=segment, start=index, end=index + 1, identity=character))
    return findings
