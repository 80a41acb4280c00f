"""The checks an experienced 校对 makes, each over paragraphs of plain text.

Every check is a function of segments (and, for some, the office's data) returning findings;
none reads the database. Conventions follow GB/T 15834 (punctuation), GB/T 15835 (numbers)
and GB/T 9704 (heading numbers 一、（一）1.（1）, dates written 2023年11月25日).
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Edit, Segment
from bulletins.text import is_han

# --- characters ----------------------------------------------------------------------------

OPENING_MARKS = set("“‘（《〈【〔「『")
CLOSING_MARKS = set("”’）》〉】〕」』")
SENTENCE_MARKS = set("，。、；：？！")
CHINESE_MARKS = OPENING_MARKS | CLOSING_MARKS | SENTENCE_MARKS | set("…—～·")
SPACES = " \t\u00a0\u3000"


def is_chinese(character: str) -> bool:
    """A Chinese character or a full-width (Chinese) punctuation mark."""
    if not character:
        return False
    return is_han(character) or character in CHINESE_MARKS


def _is_latin_letter(character: str) -> bool:
    return character.isascii() and character.isalpha()


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character, before (step -1) or after (step 1), that tells the language.

    Spaces are skipped, and so are curly quotes, which English uses too, on the side where
    they enclose the text looked at: in “don’t”. the full stop follows English, in
    “两个确立”. Chinese; in “Wait...”他说 the dots end the English quotation.
    """
    skipped = SPACES + ("”’" if step < 0 else "“‘")
    index += step
    while 0 <= index < len(text) and text[index] in skipped:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _at(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


# URLs and e-mail addresses keep their ASCII punctuation.
_URL = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.\-]*://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def _masked(text: str) -> set[int]:
    """Indexes inside URLs and e-mail addresses (a trailing . , ; : ? ! ) ends a URL)."""
    masked: set[int] = set()
    for pattern in (_URL, _EMAIL):
        for match in pattern.finditer(text):
            end = match.end()
            while end > match.start() and text[end - 1] in ".,;:?!)":
                end -= 1
            masked.update(range(match.start(), end))
    return masked


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


# --- wording -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordingEntry:
    """One entry of a publication's wording list (规范表述)."""

    wrong: str
    right: str = ""
    note: str = ""


def _occurrences(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start != -1:
        found.append(start)
        start = text.find(needle, start + len(needle))
    return found


def _sentence(note: str) -> str:
    note = note.strip()
    return note if not note or note[-1] in "。！？；" else note + "。"


def check_wording(segments: Iterable[Segment], entries: Sequence[WordingEntry]) -> list[Finding]:
    """Each use of a wrong form, unless it is part of the right form (十九大 in 党的十九大)."""
    findings: list[Finding] = []
    entries = [e for e in entries if e.wrong]
    for segment in segments:
        text = segment.text
        for entry in entries:
            if entry.wrong not in text:
                continue
            covered: set[int] = set()
            if entry.right and entry.wrong in entry.right:
                for start in _occurrences(text, entry.right):
                    covered.update(range(start, start + len(entry.right)))
            for start in _occurrences(text, entry.wrong):
                end = start + len(entry.wrong)
                if covered and all(i in covered for i in range(start, end)):
                    continue
                if entry.right:
                    message = f"“{entry.wrong}”应为“{entry.right}”。{_sentence(entry.note)}"
                    edits = (Edit(start, end, entry.right),)
                else:
                    message = f"不宜使用“{entry.wrong}”。{_sentence(entry.note)}"
                    edits = ()
                findings.append(Finding(code=Code.WORDING, severity=Severity.ERROR,
                                        message=message, segment=segment, start=start, end=end,
                                        suggestion=entry.right, edits=edits))
    return findings


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
