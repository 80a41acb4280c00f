"""One article: subtitle, byline, editor's note and source around its body, and the body as
paragraphs and headings, with paragraphs cut by a page break joined again."""

import dataclasses

import pytest

from bulletins.archive.article import blocks, build_article, heading_kind, inline_html, is_byline
from bulletins.archive.boundaries import Anchor
from bulletins.archive.context import ParseContext, context_for_text
from bulletins.archive.rules import Line, make_line
from bulletins.archive.toc import TocEntry


def article(text: str, *, toc: TocEntry | None = None, has_toc: bool = True, ctx: ParseContext | None = None):
    """The article whose title is the first line of `text`."""
    ctx = ctx or context_for_text(text)
    anchor = Anchor(start=0, end=1, title_lines=ctx.lines[:1], toc=toc)
    return build_article(ctx, anchor, ctx.lines[1:], has_toc=has_toc), ctx


def test_subtitle_byline_editor_note_source_and_body():
    built, ctx = article("学习贯彻党的二十大精神\n——阜平县的实践\n临西县委常委、组织部部长 卫建豪\n"
                         "编者按：现将经验刊发。\n一、强化示范带动\n会议指出，要认真学习。\n— 3 —\n"
                         "（阜平县委宣传部）\n")
    assert (built.title, built.subtitle, built.byline, built.editor_note, built.source) == (
        "学习贯彻党的二十大精神", "——阜平县的实践", "临西县委常委、组织部部长 卫建豪",
        "编者按：现将经验刊发。", "（阜平县委宣传部）")
    assert built.body_html == "<h2>一、强化示范带动</h2><p>会议指出，要认真学习。</p>"
    assert built.line == 1
    assert [(s.line, s.text, s.reason) for s in ctx.skipped] == [(7, "— 3 —", "页码")]


@pytest.mark.parametrize(("centred", "subtitle", "byline"), [
    ({"充分借鉴第一批主题教育成功经验": True, "中共阜平县委": True},
     "充分借鉴第一批主题教育成功经验", "中共阜平县委"),
    ({"中共阜平县委": True}, "", ""),  # a line the layout does not centre stays in the text
])
def test_a_line_the_layout_centres_under_the_title_is_its_subtitle_unless_a_byline(centred, subtitle, byline):
    ctx = context_for_text("学习贯彻党的二十大精神\n充分借鉴第一批主题教育成功经验\n中共阜平县委\n"
                           "会议指出，要认真学习。\n", one_entry_per_line=True)
    ctx.lines = [dataclasses.replace(line, centred=centred.get(line.plain)) for line in ctx.lines]
    built, _ = article("", ctx=ctx)
    assert (built.subtitle, built.byline) == (subtitle, byline)


def test_a_toc_title_that_differs_is_kept_and_a_byline_missing_from_the_body_is_a_doubt():
    toc = TocEntry(column="甲", text="牢记嘱托 始终沿着指引方向前行", byline="省委讲师团", page=4)
    built, ctx = article("牢记嘱托 感恩奋进 始终沿着指引方向前行\n会议指出，要认真学习。\n", toc=toc)
    assert (built.toc_title, built.toc_page, built.byline) == (
        "牢记嘱托 始终沿着指引方向前行", 4, "省委讲师团")
    assert ctx.warnings == []
    assert ctx.doubts == ["第 2 行：目录中《牢记嘱托 始终沿着指引方向前行》的署名“省委讲师团”"
                          "在正文中未找到（标题下应是署名这一行），无法确定署名和正文的分界，未导入："
                          "会议指出，要认真学习。"]


def test_a_toc_byline_glued_to_the_first_paragraph_is_a_doubt_with_its_line():
    toc = TocEntry(column="甲", text="在学习中提升", byline="河北省社会科学院政治文化教研处 贾玉娥")
    built, ctx = article("在学习中提升\n河北省社会科学院政治文化教研处 贾玉娥近年来，我们坚持学习。\n",
                         toc=toc)
    assert len(ctx.doubts) == 1
    assert ctx.doubts[0].startswith("第 2 行：目录中《在学习中提升》的署名"
                                    "“河北省社会科学院政治文化教研处 贾玉娥”在正文中未找到")
    assert ctx.warnings == []


def test_a_title_broken_over_lines_of_a_layout_takes_its_spaces_from_the_toc():
    toc = TocEntry(column="甲", text="省委常委会召开会议 传达学习重要讲话精神")
    printed = "省委常委会召开会议传达学习重要讲话精神"
    lines = [Line(no=1, raw=printed, text=printed, level=1), make_line(2, "正文。")]
    built, _ = article("", toc=toc, ctx=ParseContext(lines, one_entry_per_line=True))
    assert (built.title, built.toc_title) == ("省委常委会召开会议 传达学习重要讲话精神", "")
    built, _ = article("", toc=toc, ctx=ParseContext(lines))  # in text the title stays as printed
    assert built.title == "省委常委会召开会议传达学习重要讲话精神"


def test_title_lines_of_another_size_are_its_subtitle():
    lines = [Line(no=1, raw="甲", text="激发新就业群体", level=1),
             Line(no=2, raw="乙", text="“红色动能”", level=1),
             Line(no=3, raw="丙", text="临西县的做法", level=2), make_line(4, "正文。")]
    anchor = Anchor(start=0, end=3, title_lines=lines[:3], toc=None)
    built = build_article(ParseContext(lines), anchor, lines[3:], has_toc=True)
    assert (built.title, built.subtitle) == ("激发新就业群体“红色动能”", "临西县的做法")


@pytest.mark.parametrize(("text", "expected"), [
    ("临西县委常委、组织部部长 卫建豪", True), ("省委讲师团", True), ("徐州市委宣传部", True),
    ("会议指出，要认真学习。", False), ("一、强化示范带动", False), ("## 省委讲师团", False),
])
def test_bylines_without_a_toc(text, expected):
    assert is_byline(make_line(1, text), None) is expected


def test_with_a_toc_byline_only_that_byline_is_one():
    toc = TocEntry(column="甲", text="标题", byline="卫建豪")
    assert is_byline(make_line(1, "卫 建 豪"), toc)
    assert not is_byline(make_line(1, "省委讲师团"), toc)


@pytest.mark.parametrize(("lines", "position", "expected"), [
    (["一、强化示范带动"], 0, "h2"), (["（二）坚持高标准推进"], 0, "h3"), (["1. 抓学习"], 0, "h4"),
    (["1. 抓学习，抓落实。"], 0, "p"), (["## 学习成效"], 0, "h2"), (["**聚力高位谋划。**"], 0, "p"),
    (["**聚力高位谋划**"], 0, "h2"),
    (["前文结束。", "小标题", "接着是较长的一段正文。"], 1, "h2"),  # short line standing between sentences
    (["前文未完", "小标题", "接着是较长的一段正文。"], 1, "p"),
    (["一、" + "很长" * 40], 0, "p"),
])
def test_heading_kinds(lines, position, expected):
    made = [make_line(i + 1, text) for i, text in enumerate(lines)]
    assert heading_kind(made[position], made, position) == expected


def test_a_paragraph_cut_by_a_page_break_is_joined_without_adding_anything():
    ctx = context_for_text("认真落实习近平总书记\n重要指示精神。\n**聚力。**下一段\n")
    assert [(b.kind, b.text, b.lines) for b in blocks(ctx, ctx.lines, has_toc=True)] == [
        ("p", "认真落实习近平总书记重要指示精神。", [1, 2]), ("p", "**聚力。**下一段", [3])]
    assert ctx.doubts == []


def test_without_a_toc_a_title_like_line_joined_to_the_next_is_a_doubt():
    ctx = context_for_text("苏州打造学习共同体\n会议指出，要认真学习。\n")
    assert [b.text for b in blocks(ctx, ctx.lines, has_toc=False)] == [
        "苏州打造学习共同体会议指出，要认真学习。"]
    assert ctx.doubts == ["第 1 行：“苏州打造学习共同体”像是一篇文章的标题，但没有目录可以对照，"
                          "已作为段落的开头并入下一段，请核对是否漏分了文章。"]


def test_inline_bold_and_escaping():
    assert inline_html("**聚力**<b>&") == "<strong>聚力</strong>&lt;b&gt;&amp;"


def test_a_byline_the_toc_printed_after_its_title_is_the_byline_not_a_subtitle():
    toc = TocEntry(column="甲", text="激发新就业群体“红色动能”  临西县委常委、组织部部长 卫建豪")
    lines = [Line(no=1, raw="甲", text="激发新就业群体“红色动能”", level=1),
             Line(no=2, raw="乙", text="临西县委常委、组织部部长 卫建豪", level=2), make_line(3, "正文。")]
    anchor = Anchor(start=0, end=2, title_lines=lines[:2], toc=toc)
    built = build_article(ParseContext(lines, one_entry_per_line=True), anchor, lines[2:], has_toc=True)
    assert (built.title, built.subtitle, built.byline, built.toc_title) == (
        "激发新就业群体“红色动能”", "", "临西县委常委、组织部部长 卫建豪", "")
