"""The table of contents: where it ends, its entries however leader, byline and page are laid out."""

import pytest

from bulletins.archive.context import ParseContext, context_for_text
from bulletins.archive.rules import Line, column_name
from bulletins.archive.toc import (
    TocEntry,
    find_toc_end,
    finish_toc_entry,
    parse_toc,
    reject_toc_only,
    starts_toc_entry,
)
from bulletins.archive.types import ArchiveFormatError


def entry(*parts: str) -> TocEntry:
    finished = TocEntry(column="学习动态", text="", parts=list(parts))
    finish_toc_entry(finished)
    return finished


def toc(text: str, *, from_layout: bool = False) -> tuple[list[tuple[str, str, str, int | None]], str | None,
                                                         ParseContext]:
    ctx = context_for_text(text, one_entry_per_line=from_layout)
    entries, decoration = parse_toc(ctx, 0, len(ctx.lines))
    return [(e.column, e.text, e.byline, e.page) for e in entries], decoration, ctx


@pytest.mark.parametrize(("parts", "expected"), [
    (["中宣部中组部印发意见 提高党委中心组学习质量..... 02"],
     ("中宣部中组部印发意见 提高党委中心组学习质量", "", 2)),
    (["激发新就业群体“红色动能”", ".....临西县委常委、组织部部长 卫建豪 05"],
     ("激发新就业群体“红色动能”", "临西县委常委、组织部部长 卫建豪", 5)),
    # A leader that ends its line leads to the byline and page on the next one.
    (["彰显理论价值 凝聚实践伟力......", "省委讲师团 12"], ("彰显理论价值 凝聚实践伟力", "省委讲师团", 12)),
    (["徐州市：“四个聚力”唱响党的二十大精神 宣讲“大合唱” . 4"],
     ("徐州市：“四个聚力”唱响党的二十大精神 宣讲“大合唱”", "", 4)),
    # A title wrapped over two lines is one title, joined without adding anything.
    (["河北省学习贯彻主题教育第一批总结", "暨第二批部署会议召开"],
     ("河北省学习贯彻主题教育第一批总结暨第二批部署会议召开", "", None)),
    (["牢记嘱托 感恩奋进"], ("牢记嘱托 感恩奋进", "", None)),
])
def test_an_entry_is_read_into_title_byline_and_page(parts, expected):
    finished = entry(*parts)
    assert (finished.text, finished.byline, finished.page) == expected


def test_entries_are_grouped_by_column_and_the_toc_label_and_rules_are_skipped():
    entries, decoration, ctx = toc("本期要目\n## 【上情下达】\n- 省委常委会召开会议\n- 牢记嘱托 感恩奋进\n"
                                   "---\n## 【经验交流】\n- 徐州市：宣讲“大合唱”\n")
    assert entries == [("上情下达", "省委常委会召开会议", "", None),
                       ("上情下达", "牢记嘱托 感恩奋进", "", None),
                       ("经验交流", "徐州市：宣讲“大合唱”", "", None)]
    assert decoration == "brackets"
    assert [(s.line, s.reason) for s in ctx.skipped] == [(1, "目录标题"), (5, "分隔线")]


def test_with_page_numbers_an_entry_of_a_layout_runs_to_its_page_number():
    entries, decoration, _ = toc("●学习动态\n河北省学习贯彻主题教育第一批总结\n暨第二批部署会议召开..... 03\n"
                                 "激发新就业群体“红色动能”..... 05\n", from_layout=True)
    assert entries == [("学习动态", "河北省学习贯彻主题教育第一批总结暨第二批部署会议召开", "", 3),
                       ("学习动态", "激发新就业群体“红色动能”", "", 5)]
    assert decoration == "bullet"


def test_in_a_layout_a_number_right_after_a_title_ends_its_entry_and_a_spaced_one_is_its_page():
    """A tab stop close by sets the page right after the title: the entry ends there (whether the
    number is its page, the body decides: test_archive_boundaries)."""
    entries, _, _ = toc("【上情下达】\n习近平：统筹做好经济社会发展各项工作1\n我省学习贯彻重要讲话精神 2\n"
                        "苏州：打造学习共同体 构筑发展新优势3\n", from_layout=True)
    assert entries == [("上情下达", "习近平：统筹做好经济社会发展各项工作1", "", None),
                       ("上情下达", "我省学习贯彻重要讲话精神", "", 2),
                       ("上情下达", "苏州：打造学习共同体 构筑发展新优势3", "", None)]


def test_without_page_numbers_each_line_of_a_layout_is_an_entry():
    text = "【上情下达】\n省委常委会召开会议\n牢记嘱托 感恩奋进\n"
    assert [e[1] for e in toc(text, from_layout=True)[0]] == ["省委常委会召开会议", "牢记嘱托 感恩奋进"]


def test_in_text_a_list_item_starts_an_entry_and_other_lines_continue_it():
    text = "【上情下达】\n- 省委常委会召开会议\n传达学习重要讲话精神..... 2\n- 牢记嘱托 感恩奋进\n"
    assert [e[1:] for e in toc(text)[0]] == [("省委常委会召开会议传达学习重要讲话精神", "", 2),
                                             ("牢记嘱托 感恩奋进", "", None)]


@pytest.mark.parametrize(("text", "last", "with_pages", "from_layout", "expected"), [
    (".....卫建豪 05", TocEntry("", "", page=None), True, True, False),  # the leader of the entry above
    ("下一篇", TocEntry("", "", page=3), False, False, True),
    ("标题的后半", TocEntry("", "", page=None), False, False, False),
    ("标题的后半", TocEntry("", "", complete=False), True, True, False),
    ("下一篇", TocEntry("", "", complete=True), True, True, True),
    ("下一篇", TocEntry("", ""), False, True, True),
])
def test_when_a_toc_line_starts_an_entry(text, last, with_pages, from_layout, expected):
    assert starts_toc_entry(text, last, with_pages=with_pages, from_layout=from_layout) is expected


def test_the_body_starts_where_the_first_column_heading_comes_again():
    ctx = context_for_text("【甲】\n标题一\n【乙】\n标题二\n【甲】\n标题一\n正文。\n【乙】\n发：各市\n")
    headings = [i for i, line in enumerate(ctx.lines) if column_name(line)]
    assert find_toc_end(ctx.lines, headings, tail_start=8) == 4
    assert find_toc_end(ctx.lines, headings, tail_start=4) is None  # a TOC needs a body before the tail


def test_a_file_cut_after_its_toc_is_refused_at_its_last_line():
    ctx = context_for_text("【甲】\n- 标题一\n- 标题二\n")
    with pytest.raises(ArchiveFormatError) as caught:
        reject_toc_only(ctx, 0, len(ctx.lines))
    assert caught.value.line == 3
    reject_toc_only(context_for_text("【甲】\n标题一\n正文。\n"), 0, 3)  # a body: nothing to refuse


def test_a_toc_from_a_layout_says_its_page():
    lines = [Line(no=1, raw="【甲】", text="【甲】", level=0, page=1, page_line=8),
             Line(no=2, raw="目 录", text="目 录", level=0, page=1, page_line=9)]
    ctx = ParseContext(lines, one_entry_per_line=True)
    parse_toc(ctx, 0, 2)
    assert [(s.where, s.reason) for s in ctx.skipped] == [("第 1 页第 9 行", "目录标题")]
