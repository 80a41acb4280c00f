"""The line rules of a bulletin's text: what a line is and whether its text ends a sentence."""

import pytest

from bulletins.archive.rules import (
    TOC_ENTRY_END_RE,
    Line,
    bulleted_column,
    column_name,
    compact,
    ends_sentence,
    is_artefact,
    make_line,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("【上情下达】", ("上情下达", "brackets")),
    ("【 经验交流 】", ("经验交流", "brackets")),
    ("●学习动态", ("学习动态", "bullet")),
    ("■ 它山之石", ("它山之石", "bullet")),
    ("## 【上情下达】", ("上情下达", "brackets")),
    ("**【学思践悟】**", ("学思践悟", "brackets")),
    ("【编者按：这是一句话】", None),  # punctuation of a sentence: not a column
    ("【一个超过二十个字的很长很长很长很长很长的栏目名称】", None),
    ("上情下达", None),
])
def test_column_headings(text, expected):
    assert column_name(make_line(1, text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("■ 上情下达", True), ("●\u3000学习动态", True), ("■上情下达", True),
    ("● 镇江市：强化示范带动", False), ("● 激发新就业群体“红色动能”", False), ("● 2023年工作要点", False),
    ("【上情下达】", False),
])
def test_a_glyph_before_a_short_name_heads_a_column_before_a_title_it_is_a_bullet(text, expected):
    assert bulleted_column(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("中宣部中组部印发意见……1", True), ("中宣部中组部印发意见…… 某某 12", True), ("标题........3", True),
    ("标题 . 3", True), ("他说……好", False), ("会议要求…1", False),
])
def test_a_toc_line_that_ends_its_entry(text, expected):
    assert bool(TOC_ENTRY_END_RE.search(text)) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("---", "分隔线"), ("* * *", "分隔线"), ("———", "分隔线"),
    ("— 2 —", "页码"), ("- 12 -", "页码"), ("第 3 页", "页码"), ("第3页 共22页", "页码"), ("7", "页码"),
    ("3/22", "页码"),
    ("第 3 期", None), ("——记某某同志", None), ("2023年", None),
])
def test_layout_residue(text, expected):
    assert is_artefact(make_line(1, text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("会议强调。", True), ("要求：", True), ("他说：“要学习。”", True), ("**聚力高位谋划。**", True),
    ("", True), ("认真落实习近平总书记", False), ("各市、", False), ("（徐州市委宣传部）", False),
])
def test_ends_sentence(text, expected):
    assert ends_sentence(text) is expected


def test_a_markdown_heading_keeps_its_level_and_loses_its_marker():
    line = make_line(7, "## 激发新就业群体“红色动能”  ")
    assert (line.no, line.text, line.level, line.raw) == (7, "激发新就业群体“红色动能”", 2,
                                                          "## 激发新就业群体“红色动能”  ")
    assert line.where == "第 7 行"


def test_bold_markers_are_markup_not_text():
    line = make_line(1, "**一、强化示范带动**")
    assert (line.plain, line.whole_bold) == ("一、强化示范带动", True)
    assert not make_line(1, "**加粗**的开头").whole_bold
    assert compact("中宣部 中组部 **印发** 意见") == "中宣部中组部印发意见"


def test_a_line_from_a_pdf_says_its_page():
    line = Line(no=40, raw="正文", text="正文", level=0, page=3, page_line=12)
    assert line.where == "第 3 页第 12 行"
