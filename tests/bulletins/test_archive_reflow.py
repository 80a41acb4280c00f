"""Hard-wrapped text joined into paragraphs again, and the line rules it uses."""

import pytest

from bulletins.archive.reflow import _join, is_hard_wrapped, reflow_lines, split_lines, width
from bulletins.archive.rules import (
    ONE_DOT_LEADER_RE,
    PRINTED_PAGE_NUMBER_RE,
    TAIL_LABEL_RE,
    TOC_ENTRY_END_RE,
    TOC_LEADER_RE,
)

# A paragraph of 3 full lines and a last one, wrapped at 20 characters, as pdftotext prints it.
PARAGRAPH = [
    "会议指出，江苏是两岸企业家峰会发源地和",  # first line: two characters short (its indent)
    "大陆年会永久举办地。要认真学习贯彻习近平总书",
    "记重要贺信精神，按照王沪宁主席讲话要求，更好",
    "地为苏台合作创造机遇。",
]
NEXT = [
    "会议强调，当前，第二批主题教育正是船到中",
    "流、人到半山的关键时候。理论学习要突出针对",
    "性实效性，调查研究要贴近群众。",
]


def wrapped(*blocks: list[str]) -> list[str]:
    return [line for block in blocks for line in block]


def test_width_counts_cjk_and_chinese_quotes_as_one_latin_as_half():
    assert width("会议“四下基层”") == 8
    assert width("2023年") == 3


def test_split_lines_keeps_the_form_feed_of_a_page_break_in_its_line():
    assert split_lines("甲\n\f乙\r\n丙\n") == ["甲", "\f乙", "丙"]


def test_text_of_one_line_per_paragraph_is_not_hard_wrapped():
    lines = [PARAGRAPH[0] * (i % 3 + 1) for i in range(12)]
    assert not is_hard_wrapped(lines)
    assert is_hard_wrapped(wrapped(PARAGRAPH, NEXT, PARAGRAPH, NEXT))


def test_full_lines_continue_and_a_shorter_first_line_starts_a_paragraph():
    result = reflow_lines(wrapped(PARAGRAPH, NEXT, PARAGRAPH, NEXT))
    assert [line.text for line in result.lines] == ["".join(PARAGRAPH), "".join(NEXT)] * 2
    assert [line.no for line in result.lines] == [1, 5, 8, 12]
    assert result.capacity == 22


@pytest.mark.parametrize("number", ["—2—", "- 2 -", "第 2 页", "第2页 共9页", "·2·"])
def test_a_page_number_between_the_lines_of_a_paragraph_is_dropped_and_listed(number):
    lines = wrapped(PARAGRAPH[:2], ["", number, "", "\f" + PARAGRAPH[2]], PARAGRAPH[3:], NEXT,
                    PARAGRAPH, NEXT)
    result = reflow_lines(lines)
    assert result.lines[0].text == "".join(PARAGRAPH)
    assert [(s.line, s.reason, s.text) for s in result.skipped] == [(4, "页码", number)]


def test_a_bare_number_is_a_page_number_only_at_a_page_break():
    lines = wrapped(PARAGRAPH, ["12"], NEXT, PARAGRAPH[:2], ["7", "\f" + PARAGRAPH[2]], PARAGRAPH[3:], NEXT)
    result = reflow_lines(lines)
    assert [s.text for s in result.skipped] == ["7"]
    assert "12" in [line.text for line in result.lines]


def test_running_heads_repeated_at_page_breaks_are_dropped_and_listed():
    head = "党委中心组理论学习通讯"
    lines = wrapped(PARAGRAPH, NEXT, ["—1—", "\f" + head], PARAGRAPH, ["—2—", "\f" + head], NEXT,
                    ["—3—", "\f" + head], PARAGRAPH, NEXT)
    result = reflow_lines(lines)
    assert [s.reason for s in result.skipped].count("页眉页脚") == 3
    assert head not in [line.text for line in result.lines]


def test_indented_lines_of_layout_output_start_paragraphs():
    layout = ["  " + PARAGRAPH[0], *PARAGRAPH[1:], "  " + NEXT[0], *NEXT[1:]] * 2
    result = reflow_lines(layout)
    assert [line.text for line in result.lines] == ["".join(PARAGRAPH), "".join(NEXT)] * 2


def test_toc_bullets_are_dropped_and_listed_and_start_entries():
    toc = ["◆", "", "信长星在全省宣传思想文化工作会议上强调 坚持以习近", "平文化思想为引领", "", "◆", "",
           "镇江市：强化示范带动"]
    result = reflow_lines(wrapped(PARAGRAPH, NEXT, toc, PARAGRAPH, NEXT))
    texts = [line.text for line in result.lines]
    assert "信长星在全省宣传思想文化工作会议上强调 坚持以习近平文化思想为引领" in texts
    assert "镇江市：强化示范带动" in texts
    assert [(s.reason, s.text) for s in result.skipped] == [("项目符号", "◆"), ("项目符号", "◆")]


def test_a_line_with_a_label_of_the_tail_never_continues_the_line_above():
    tail = ["报：省委常委会、省人大常委会、省政府、省政协领", "发：各市、县（市、区）委书记、副书记、组织部"]
    result = reflow_lines(wrapped(PARAGRAPH, NEXT, PARAGRAPH, NEXT, tail))
    assert [line.text for line in result.lines][-2:] == tail


def test_a_heading_after_a_full_line_that_ends_a_paragraph_starts_a_block():
    full_end = "地为苏台合作创造机遇，努力在推动两岸关系中。"
    heading = "一、强化示范带动，提升参与度"
    result = reflow_lines(wrapped(PARAGRAPH[:3], [full_end, heading], NEXT, PARAGRAPH, NEXT))
    assert heading in [line.text for line in result.lines]


def test_halves_are_joined_as_they_are_but_latin_words_get_their_space_back():
    assert _join("为全国大局多作贡", "献。") == "为全国大局多作贡献。"
    assert _join("邮箱 lilun", "xuanjiang") == "邮箱 lilun xuanjiang"
    assert _join("宣讲 98", "场。") == "宣讲 98场。"


@pytest.mark.parametrize(("text", "expected"), [
    ("—2—", True), ("- 12 -", True), ("第 3 页", True), ("第3页共22页", True), ("（4）", True),
    ("2", False), ("第 3 期", False), ("—— 副标题", False),
])
def test_printed_page_numbers(text, expected):
    assert bool(PRINTED_PAGE_NUMBER_RE.match(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("报：省委常委会", True), ("抄送：各市", True), ("共印2000份", True), ("（共印 4 份）", True),
    ("电话：（0311）83012929", True), ("报告会邀请专家", False), ("发展工作部署会议", False),
])
def test_tail_labels(text, expected):
    assert bool(TAIL_LABEL_RE.match(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("中宣部中组部印发意见 提高党委中心组学习质量.................2", True),
    ("....................临西县委常委、组织部部长 卫建豪07", True),
    ("徐州市：“四个聚力”唱响党的二十大精神 宣讲“大合唱” . 4", True),
    ("第一批主题教育成功经验 高标准高质量开展好第二批主", False),
])
def test_toc_lines_that_end_their_entry(text, expected):
    assert bool(TOC_ENTRY_END_RE.search(text)) is expected


def test_a_leader_squeezed_to_one_dot_still_separates_title_and_page():
    line = "徐州市：“四个聚力”唱响党的二十大精神 宣讲“大合唱” . 4"
    assert ONE_DOT_LEADER_RE.search(line)
    match = TOC_LEADER_RE.match(line)
    assert (match.group("text"), match.group("rest")) == (
        "徐州市：“四个聚力”唱响党的二十大精神 宣讲“大合唱”", "4")


def test_a_bare_number_at_a_page_break_larger_than_the_pages_is_text():
    lines = wrapped(PARAGRAPH, NEXT, PARAGRAPH[:2], ["100", "\f" + PARAGRAPH[2]], PARAGRAPH[3:], NEXT)
    result = reflow_lines(lines)
    assert [s.text for s in result.skipped] == []
    assert any("100" in line.text for line in result.lines)
