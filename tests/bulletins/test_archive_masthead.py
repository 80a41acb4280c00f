"""The masthead: name and its smaller first line, marking, numbers, office and date."""

import datetime

import pytest

from bulletins.archive.context import ParseContext, context_for_text
from bulletins.archive.masthead import (
    office_before_number,
    parse_masthead,
    publication_name,
    split_side_by_side,
)
from bulletins.archive.rules import Line
from bulletins.archive.types import ArchiveFormatError


def masthead(text: str):
    ctx = context_for_text(text)
    return parse_masthead(ctx, len(ctx.lines)), ctx


def layout_lines(*rows: tuple[str, int]) -> list[Line]:
    """Lines as a PDF gives them: text and its level (1 for type larger than the body)."""
    return [Line(no=i + 1, raw=text, text=text, level=level) for i, (text, level) in enumerate(rows)]


def test_a_continuous_number_and_the_office_line_after_it():
    issue, ctx = masthead("建设学习型党组织、学习型领导班子\n\n工作简报\n\n第 454 期\n\n"
                          "协调小组办公室\n\n2023 年 11 月 25 日\n")
    assert (issue.publication_prefix, issue.publication) == ("建设学习型党组织、学习型领导班子", "工作简报")
    assert (issue.year, issue.number, issue.total_number, issue.special) == (2023, 454, None, False)
    assert issue.issuing_office == ["协调小组办公室"]
    assert issue.date == datetime.date(2023, 11, 25)
    assert issue.settings.numbering == "continuous"
    assert ctx.warnings == ctx.doubts == []


def test_marking_prefix_and_name_on_one_line_year_number_and_total():
    issue, _ = masthead("党内刊物·注意保存\n党委中心组 理论学习通讯\n2023年第9期（总第453期）\n"
                        "中共河北省委宣传部 2023年9月20日\n")
    assert issue.marking == "党内刊物·注意保存"
    assert (issue.publication_prefix, issue.publication) == ("党委中心组", "理论学习通讯")
    assert (issue.year, issue.number, issue.total_number) == (2023, 9, 453)
    assert issue.issuing_office == ["中共河北省委宣传部"]  # printed before the date on its row
    assert (issue.settings.numbering, issue.settings.has_total_number,
            issue.settings.total_number_offset) == ("per_year", True, 452)


def test_a_bare_number_a_year_a_total_and_a_special_issue():
    issue, _ = masthead("学习通讯\n增刊 3\n2024\n总第 120 期\n宣传部\n2024年3月1日\n")
    assert (issue.number, issue.special, issue.total_number) == (3, True, 120)
    assert issue.settings.numbering == "per_year"


@pytest.mark.parametrize(("number_line", "year_in_line"), [
    ("增刊第2期", False), ("第2期（增刊）", False), ("第2期(增刊)（总第456期）", False),
    ("2024年增刊第2期", True), ("2024年第2期（增刊）", True), ("2024年 第 2 期 （增刊）", True),
])
def test_a_special_issue_as_offices_write_it(number_line, year_in_line):
    issue, ctx = masthead(f"学习通讯\n{number_line}\n宣传部\n2024年3月1日\n")
    assert (issue.number, issue.special) == (2, True)
    assert issue.settings.numbering == ("per_year" if year_in_line or "总第" in number_line else "continuous")
    assert ctx.doubts == []


def test_a_special_issue_marked_on_a_line_of_its_own_and_beside_the_office():
    issue, _ = masthead("学习通讯\n（增刊）\n第 2 期\n宣传部\n2024年3月1日\n")
    assert (issue.number, issue.special) == (2, True)
    issue, _ = masthead("学习通讯\n宣传部    第2期（增刊）    2024年3月1日\n")
    assert (issue.number, issue.special, issue.issuing_office) == (2, True, ["宣传部"])


def test_an_office_named_last_before_the_number_is_the_office():
    issue, _ = masthead("工作简报\n中共某某市委办公室\n第 5 期\n2024年1月2日\n")
    assert (issue.publication, issue.issuing_office) == ("工作简报", ["中共某某市委办公室"])


def test_rules_are_skipped_and_an_unknown_line_after_the_date_is_a_doubt():
    issue, ctx = masthead("工作简报\n---\n第 5 期\n宣传部\n2024年1月2日\n另一行\n")
    assert [(s.line, s.reason) for s in ctx.skipped] == [(2, "分隔线")]
    assert ctx.doubts == ["第 6 行：报头中无法归类的一行，未导入：另一行"]
    assert ctx.warnings == []


def test_an_office_of_two_lines_after_the_date():
    issue, ctx = masthead("理论学习通讯\n第 5 期\n2024年1月2日\n中共河北省委宣传部\n中共河北省委讲师团\n")
    assert issue.issuing_office == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert ctx.doubts == ctx.warnings == []


def test_a_year_that_differs_from_the_date_is_a_warning():
    issue, ctx = masthead("工作简报\n2023年第5期\n2024年1月2日\n")
    assert issue.year == 2024
    assert ctx.warnings == ["报头年份 2023 与签发日期 2024-01-02 不一致，按签发日期的年份导入。"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("第 5 期\n2024年1月2日\n", 1,
     "未找到报头：文件开头应是刊物名称（如“工作简报”）和期号（如“第 454 期”）。"),
    ("工作简报\n2024年1月2日\n", 1, "未找到报头中的期号：应有“第 454 期”或“2023年第9期”这样的一行。"),
    ("\n工作简报\n第 5 期\n", 2, "未找到报头中的签发日期：应有“2023 年 11 月 25 日”这样的一行。"),
    ("工作简报\n第 5 期\n2024年2月30日\n", 3, "签发日期无效：2024年2月30日。"),
])
def test_what_a_masthead_cannot_do_without(text, line, message):
    with pytest.raises(ArchiveFormatError) as caught:
        masthead(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_from_a_layout_the_lines_not_set_large_before_the_number_are_the_office():
    ctx = ParseContext(layout_lines(("党委中心组", 1), ("理 论 学 习 通 讯", 1), ("中共河北省委宣传部", 0),
                                    ("2023年第9期", 0), ("2023年9月20日", 0)), one_entry_per_line=True)
    issue = parse_masthead(ctx, len(ctx.lines))
    # A name set in wide letter-spacing comes out spaced; its spaces are not part of it.
    assert (issue.publication_prefix, issue.publication) == ("党委中心组", "理论学习通讯")
    assert issue.issuing_office == ["中共河北省委宣传部"]


def test_publication_name_and_office_before_number():
    assert publication_name(["党委中心组 理论学习通讯"], from_layout=False) == ("党委中心组", "理论学习通讯")
    assert publication_name(["工作简报"], from_layout=False) == ("", "工作简报")
    assert publication_name(["工　作　简　报"], from_layout=False) == ("", "工作简报")
    assert publication_name(["学习 通讯"], from_layout=False) == ("学习", "通讯")
    assert publication_name(["甲", "工 作 简 报"], from_layout=False) == ("甲", "工 作 简 报")
    names = ["工作简报", "协调小组办公室"]
    assert office_before_number(names, [0, 0], from_layout=False) == ["协调小组办公室"]
    assert names == ["工作简报"]
    assert office_before_number(["工作简报"], [0], from_layout=False) == []


def test_things_printed_side_by_side_in_the_masthead_and_beside_the_print_run_are_split():
    lines = split_side_by_side(layout_lines(
        ("中共河北省委宣传部      2023年9月20日", 0), ("【学习动态】", 0),
        ("正文里    有宽空格的一行", 0), ("中共河北省委宣传部      共印2000份", 0)))
    assert [(line.no, line.text) for line in lines] == [
        (1, "中共河北省委宣传部"), (1, "2023年9月20日"), (2, "【学习动态】"),
        (3, "正文里    有宽空格的一行"), (4, "中共河北省委宣传部"), (4, "共印2000份")]


@pytest.mark.parametrize("text", [
    # office and date on one line, either order, through a tab, a single space or a wide gap
    "工作简报\n第 9 期\n中共某某市委办公室\t2023年9月20日\n",
    "工作简报\n第 9 期\n2023年9月20日\t中共某某市委办公室\n",
    "工作简报\n第 9 期\n2023年9月20日 中共某某市委办公室\n",
    # on two lines, the date first
    "工作简报\n第 9 期\n2023年9月20日\n中共某某市委办公室\n",
    # number, office and date on one row
    "工作简报\n第9期    中共某某市委办公室    2023年9月20日\n",
    # the date in Chinese numerals, as documents date themselves
    "工作简报\n第 9 期\n中共某某市委办公室  二〇二三年九月二十日\n",
])
def test_office_and_date_are_read_by_what_they_say_not_where_they_stand(text):
    issue, ctx = masthead(text)
    assert (issue.publication, issue.number, issue.date) == ("工作简报", 9, datetime.date(2023, 9, 20))
    assert issue.issuing_office == ["中共某某市委办公室"]
    assert ctx.warnings == ctx.doubts == []


def test_a_marking_above_a_two_line_name_and_number_with_total_on_one_line():
    issue, ctx = masthead("内部资料 注意保存\n中共某某省委宣传部\n理论学习通讯\n第9期（总第453期）\n"
                          "二〇二三年十一月二十五日\n")
    assert issue.marking == "内部资料 注意保存"
    assert (issue.publication_prefix, issue.publication) == ("中共某某省委宣传部", "理论学习通讯")
    assert (issue.number, issue.total_number, issue.date) == (9, 453, datetime.date(2023, 11, 25))
    assert ctx.warnings == []


def test_number_total_and_date_run_together_and_a_special_issue_with_its_year():
    issue, _ = masthead("工作简报\n第9期（总第453期）2023年9月20日\n")
    assert (issue.number, issue.total_number, issue.date) == (9, 453, datetime.date(2023, 9, 20))
    issue, _ = masthead("工作简报\n2024年增刊第2期\n宣传部 2024年3月1日\n")
    assert (issue.year, issue.number, issue.special, issue.issuing_office) == (2024, 2, True, ["宣传部"])


def test_a_chinese_date_that_does_not_exist_is_refused():
    with pytest.raises(ArchiveFormatError) as caught:
        masthead("工作简报\n第 5 期\n二〇二四年二月三十日\n")
    assert caught.value.message == "签发日期无效：二〇二四年二月三十日。"


def test_the_toc_label_after_the_date_is_skipped_not_a_warning():
    _, ctx = masthead("工作简报\n第 5 期\n2024年1月2日\n本期目录\n")
    assert ctx.warnings == []
    assert [(s.line, s.reason) for s in ctx.skipped] == [(4, "目录标题")]


@pytest.mark.parametrize("text", [
    "工作简报\n第9期\t内部资料\n中共某某市委办公室  2023年9月20日\n",
    "工作简报\n第9期\n中共某某市委办公室  2023年9月20日\n内部资料\n",
    "内部资料    工作简报\n第9期\n中共某某市委办公室  2023年9月20日\n",
])
def test_a_marking_beside_the_number_after_the_date_or_beside_the_name(text):
    ctx = context_for_text(text)
    ctx.lines = split_side_by_side(ctx.lines)
    issue = parse_masthead(ctx, len(ctx.lines))
    assert (issue.marking, issue.publication, issue.number) == ("内部资料", "工作简报", 9)
    assert issue.issuing_office == ["中共某某市委办公室"]
    assert ctx.doubts == ctx.warnings == []


def test_an_office_extracted_among_the_name_lines_is_the_office_where_the_tail_prints_it_again():
    """pdftotext may set the office (printed left of the date on one row) under the prefix."""
    text = ("建设学习型党组织、学习型领导班子\n协调小组办公室\n\n工作简报\n第434期\n\n"
            "二〇二三年一月二十八日\n●上情下达\n标题\n正文。\n发：各设区市委宣传部、组织部\n协调小组办公室\n")
    ctx = context_for_text(text)
    issue = parse_masthead(ctx, 7)
    assert (issue.publication_prefix, issue.publication, issue.issuing_office) == (
        "建设学习型党组织、学习型领导班子", "工作简报", ["协调小组办公室"])
    # Not printed again: nothing says it is the office rather than part of the name; a masthead
    # without an office is a doubt.
    ctx = context_for_text(text.replace("发：各设区市委宣传部、组织部\n协调小组办公室\n", "发：各市\n"))
    issue = parse_masthead(ctx, 7)
    assert issue.publication_prefix == "建设学习型党组织、学习型领导班子 协调小组办公室"
    assert issue.issuing_office == []
    assert ctx.doubts == ["第 1 行：报头中未找到编印单位（如“协调小组办公室”），可能与刊名读在一起，请核对。"]


def test_an_office_of_two_lines_whose_first_stands_beside_the_date():
    ctx = ParseContext(layout_lines(("理论学习通讯", 1), ("2023年第9期", 0),
                                    ("中共河北省委宣传部      2023年9月20日", 0), ("中共河北省委讲师团", 0)),
                       one_entry_per_line=True)
    ctx.lines = split_side_by_side(ctx.lines)
    issue = parse_masthead(ctx, len(ctx.lines))
    assert issue.issuing_office == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert ctx.doubts == []


def test_a_date_extracted_above_the_name():
    """pdftotext may set the date of an office | date row above the name."""
    issue, ctx = masthead("建设学习型党组织、学习型领导班子\n2020年2月25日\n\n工作简报\n第364期\n\n"
                          "协调小组办公室\n")
    assert (issue.publication_prefix, issue.publication, issue.number) == (
        "建设学习型党组织、学习型领导班子", "工作简报", 364)
    assert (issue.date, issue.issuing_office) == (datetime.date(2020, 2, 25), ["协调小组办公室"])
    assert ctx.doubts == []
