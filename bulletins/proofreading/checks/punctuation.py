"""Punctuation and spacing: half-width marks in Chinese text, unbalanced pairs, repeated marks,
spaces inside Chinese text (GB/T 15834)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bulletins.proofreading.checks.characters import (
    OPENING_MARKS,
    SPACES,
    _at,
    _is_latin_letter,
    _masked,
    _neighbour,
    is_chinese,
)
from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Edit, Segment
from bulletins.text import is_han

# --- punct-halfwidth -----------------------------------------------------------------------

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_CHINESE_NUMERALS = "一二三四五六七八九十"


def _halfwidth(segment: Segment) -> list[Finding]:
    text = segment.text
    masked = _masked(text)
    findings: list[Finding] = []

    def add(start: int, end: int, message: str, suggestion: str, edits=()) -> None:
        findings.append(Finding(code=Code.PUNCT_HALFWIDTH, severity=Severity.ERROR, message=message,
                                segment=segment, start=start, end=end, suggestion=suggestion,
                                edits=tuple(edits)))

    # Half-width brackets: a pair is judged together, by its content and its surroundings.
    pairs: list[tuple[int, int]] = []
    open_at: list[int] = []
    unpaired: list[int] = []
    for index, character in enumerate(text):
        if index in masked:
            continue
        if character == "(":
            open_at.append(index)
        elif character == ")":
            if open_at:
                pairs.append((open_at.pop(), index))
            else:
                unpaired.append(index)
    unpaired += open_at
    for start, end in pairs:
        inner = text[start + 1:end]
        if (any(is_chinese(c) for c in inner) or is_chinese(_neighbour(text, start, -1))
                or is_han(_neighbour(text, end, 1))):
            add(start, end + 1, "中文中使用了半角括号“()”，应为全角“（）”。", f"（{inner}）",
                [Edit(start, start + 1, "（"), Edit(end, end + 1, "）")])
    for index in unpaired:
        if is_chinese(_neighbour(text, index, -1)) or is_han(_neighbour(text, index, 1)):
            mark = text[index]
            add(index, index + 1, f"中文中使用了半角“{mark}”，应为全角“{FULL_WIDTH[mark]}”。",
                FULL_WIDTH[mark])

    index = 0
    while index < len(text):
        character = text[index]
        if index in masked or character not in ",;:?!.":
            index += 1
            continue
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        direct_before, direct_after = _at(text, index - 1), _at(text, index + 1)
        if character == ".":
            run_end = index
            while run_end < len(text) and text[run_end] == "." and run_end not in masked:
                run_end += 1
            if run_end - index >= 2:
                if is_chinese(before) or is_han(_neighbour(text, run_end - 1, 1)):
                    run = text[index:run_end]
                    add(index, run_end, f"中文中使用了“{run}”，省略号应为“……”。", "……",
                        [Edit(index, run_end, "……")])
                index = run_end
                continue
            if is_chinese(before):
                lead = text[:index].strip()
                if lead and all(c in _CHINESE_NUMERALS for c in lead):
                    add(index, index + 1, "序号后使用了半角“.”，应为顿号“、”。", "、",
                        [Edit(index, index + 1, "、")])
                else:
                    safe = is_chinese(direct_before) and (
                        not direct_after or is_han(direct_after) or direct_after in OPENING_MARKS)
                    add(index, index + 1, "中文中使用了半角“.”，应为句号“。”。", "。",
                        [Edit(index, index + 1, "。")] if safe else [])
            index += 1
            continue
        if FULL_WIDTH[character] == direct_before:
            add(index, index + 1, f"半角“{character}”与前面的“{direct_before}”重复，应删去。", "",
                [Edit(index, index + 1, "")])
            index += 1
            continue
        if character in ",:" and direct_before.isdigit() and direct_after.isdigit():
            index += 1  # 1,000 and 10:30
            continue
        # A Latin word followed by ? ! may end an English sentence; , ; : belong to the Chinese one.
        next_is_chinese = is_han(after) or after in OPENING_MARKS
        if is_chinese(before) or (next_is_chinese and (character in ",;:" or not _is_latin_letter(before))):
            full = FULL_WIDTH[character]
            safe = is_chinese(direct_before) and (
                is_chinese(direct_after) or (not direct_after and character in "?!"))
            add(index, index + 1, f"中文中使用了半角“{character}”，应为全角“{full}”。", full,
                [Edit(index, index + 1, full)] if safe else [])
        index += 1
    return findings


def check_halfwidth(segments: Iterable[Segment]) -> list[Finding]:
    return [finding for segment in segments for finding in _halfwidth(segment)]


# --- pair-unbalanced -----------------------------------------------------------------------

PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "〔": "〕", "〈": "〉"}
OPENERS = {closer: opener for opener, closer in PAIRS.items()}
MARK_NAMES = {
    "“": "左双引号", "”": "右双引号", "‘": "左单引号", "’": "右单引号",
    "《": "左书名号", "》": "右书名号", "〈": "左单书名号", "〉": "右单书名号",
    "（": "左括号", "）": "右括号", "【": "左方头括号", "】": "右方头括号",
    "〔": "左六角括号", "〕": "右六角括号",
}
QUOTES = {"“", "‘"}


def _is_apostrophe(text: str, index: int, quote_open: bool) -> bool:
    """’ in don’t, students’ work: after a Latin letter, not closing an open ‘."""
    before, after = _at(text, index - 1), _at(text, index + 1)
    if not (before.isascii() and before.isalnum()):
        return False
    if after.isascii() and after.isalpha():
        return True
    return not quote_open and (not after or after in SPACES or (after.isascii() and not after.isalnum()))


def _unclosed(mark: str) -> str:
    return f"{MARK_NAMES[mark]}在本段没有对应的{MARK_NAMES[PAIRS[mark]]}。"


def check_pairs(segments: Sequence[Segment]) -> list[Finding]:
    """Brackets, quotes and title marks closed within their paragraph.

    A quotation over several paragraphs opens again at the start of each paragraph and
    closes only at the end of the last one, so an open quote is fine when the next
    paragraph of the same field starts with the same quote.
    """
    findings: list[Finding] = []
    for position, segment in enumerate(segments):
        text = segment.text
        stack: list[tuple[str, int]] = []
        problems: list[tuple[int, str]] = []
        for index, character in enumerate(text):
            if character in PAIRS:
                stack.append((character, index))
            elif character in OPENERS:
                opener = OPENERS[character]
                if character == "’" and _is_apostrophe(text, index, any(o == "‘" for o, _ in stack)):
                    continue
                if stack and stack[-1][0] == opener:
                    stack.pop()
                elif any(o == opener for o, _ in stack):
                    while stack[-1][0] != opener:
                        mark, at = stack.pop()
                        problems.append((at, _unclosed(mark)))
                    stack.pop()
                else:
                    problems.append((index, f"{MARK_NAMES[character]}前面没有对应的"
                                            f"{MARK_NAMES[opener]}。"))
        following = segments[position + 1] if position + 1 < len(segments) else None
        reopens = (following is not None and following.field == segment.field
                   and following.text.lstrip(SPACES)[:1])
        for mark, at in stack:
            if mark in QUOTES and reopens == mark:
                continue
            problems.append((at, _unclosed(mark)))
        findings += [Finding(code=Code.PAIR_UNBALANCED, severity=Severity.ERROR, message=message,
                             segment=segment, start=at, end=at + 1)
                     for at, message in sorted(problems)]
    return findings


# --- punct-repeated ------------------------------------------------------------------------

_MARK_RUN = re.compile(r"[，。、；：？！]{2,}")
_END_TWICE = re.compile(r"([。？！])([”’）]+)(。)")


def check_repeated(segments: Iterable[Segment]) -> list[Finding]:
    """Two marks in a row; ！！ ？？ ？！ for emphasis are fine (…… —— are single marks)."""
    findings: list[Finding] = []
    for segment in segments:
        for match in _MARK_RUN.finditer(segment.text):
            run, start, end = match.group(0), match.start(), match.end()
            if set(run) <= {"？", "！"}:
                continue
            if len(set(run)) > 1:
                message, suggestion, edits = f"标点“{run}”连用，应只保留一个。", "", ()
            elif run[0] == "。" and len(run) >= 3:
                message, suggestion, edits = f"“{run}”应为省略号“……”。", "……", ()
            else:
                message, suggestion = f"标点“{run}”重复，应为“{run[0]}”。", run[0]
                edits = (Edit(start + 1, end, ""),)
            findings.append(Finding(code=Code.PUNCT_REPEATED, severity=Severity.ERROR,
                                    message=message, segment=segment, start=start, end=end,
                                    suggestion=suggestion, edits=edits))
        # 要抓好落实。”。 : the quotation or bracket already ends the sentence.
        for match in _END_TWICE.finditer(segment.text):
            inner, closers, outer = match.groups()
            where = "引号" if closers[0] in "”’" else "括号"
            findings.append(Finding(
                code=Code.PUNCT_REPEATED, severity=Severity.ERROR,
                message=f"{where}内已有“{inner}”，其后的“{outer}”应删去。", segment=segment,
                start=match.start(), end=match.end(), suggestion=inner + closers,
                edits=(Edit(match.end() - 1, match.end(), ""),)))
    return findings


# --- space-in-text -------------------------------------------------------------------------

_SPACE_RUN = re.compile(f"[{SPACES}]+")


def _inside_title_or_quote(text: str, index: int) -> bool:
    """Whether `index` lies within 《…》 or “…” opened earlier in the paragraph."""
    depth = Counter()
    for character in text[:index]:
        if character in "《“":
            depth[character] += 1
        elif character == "》" and depth["《"]:
            depth["《"] -= 1
        elif character == "”" and depth["“"]:
            depth["“"] -= 1
    return bool(depth["《"] or depth["“"])


def check_spaces(segments: Iterable[Segment]) -> list[Finding]:
    """Spaces between Chinese characters and marks, as text pasted from a PDF has.

    Inside 《》 or “” a space often separates the two parts of a cited title or slogan
    (《一刻不停推进全面从严治党 努力交上……》), so there it is only a hint.
    """
    findings: list[Finding] = []
    for segment in segments:
        text = segment.text
        for match in _SPACE_RUN.finditer(text):
            before, after = _at(text, match.start() - 1), _at(text, match.end())
            if match.start() == 0 or not (is_chinese(before) and is_chinese(after)):
                continue
            severity = Severity.ERROR
            if is_han(before) and is_han(after):
                message = "汉字之间有多余的空格。"
                if _inside_title_or_quote(text, match.start()):
                    severity = Severity.HINT
                    message = "书名号或引号内的汉字之间有空格：如是标题、口号两部分之间的分隔，可以保留。"
            elif is_han(before) or is_han(after):
                message = "汉字与标点之间有多余的空格。"
            else:
                message = "标点之间有多余的空格。"
            findings.append(Finding(code=Code.SPACE_IN_TEXT, severity=severity,
                                    message=message, segment=segment, start=match.start(),
                                    end=match.end(), edits=(Edit(match.start(), match.end(), ""),)))
    return findings
