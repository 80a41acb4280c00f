"""Where articles start: TOC titles found in the body, titles guessed without a TOC, TOC entries
repaired against the body, and an article so long that it may be two."""

from bulletins.archive.boundaries import (
    anchor_titles,
    check_lengths,
    find_title,
    guess_titles,
    join_wrapped_entries,
    position_after,
    split_entry,
    split_glued_titles,
)
from bulletins.archive.context import ParseContext, context_for_text
from bulletins.archive.rules import Line
from bulletins.archive.toc import TocEntry
from bulletins.archive.types import ArchiveArticle, ArchiveColumn, ArchiveIssue


def entry(text: str, line: int = 0) -> TocEntry:
    return TocEntry(column="甲", text=text, line=line)


def lines_of(text: str) -> list[Line]:
    return context_for_text(text).lines


def titles(anchors) -> list[list[str]]:
    return [[line.plain for line in anchor.title_lines] for anchor in anchors]


def test_a_title_is_found_whatever_the_body_does_with_its_spaces_and_lines():
    lines = lines_of("【甲】\n正文。\n省委常委会召开会议\n传达学习 重要讲话精神\n会议指出。\n")
    found = find_title(lines, 0, len(lines), entry("省委常委会召开会议 传达学习重要讲话精神"))
    assert (found.start, found.end, found.fuzzy) == (2, 4, False)
    assert titles([found]) == [["省委常委会召开会议", "传达学习 重要讲话精神"]]


def test_a_near_title_is_taken_only_when_no_exact_one_follows():
    lines = lines_of("张家港：构建完善“抗疫+冬训” 理论学习“供应链”\n正文。\n")
    near = find_title(lines, 0, len(lines), entry("张家港：构建“抗疫+冬训”理论学习“供应链”"))
    assert near.fuzzy and near.start == 0
    assert find_title(lines, 0, len(lines), entry("张家港：构建“抗疫+冬训”理论学习“供应链”"),
                      exact_only=True) is None
    lines = lines_of("张家港：构建完善“抗疫+冬训” 理论学习“供应链”\n"
                     "张家港：构建“抗疫+冬训”理论学习“供应链”\n")
    assert find_title(lines, 0, len(lines), entry("张家港：构建“抗疫+冬训”理论学习“供应链”")).start == 1


def test_a_near_title_set_in_title_type_over_lines_is_taken_whole():
    lines = [Line(no=1, raw="", text="张家港：构建完善“抗疫+冬训”", level=1),
             Line(no=2, raw="", text="理论学习“供应链”", level=1), Line(no=3, raw="", text="正文。", level=0)]
    near = find_title(lines, 0, len(lines), entry("张家港：构建“抗疫+冬训”理论学习“供应链”"))
    assert near.fuzzy and (near.start, near.end) == (0, 2)
    # In text, where a title line cannot be told from a paragraph, only a single line is near.
    lines = lines_of("张家港：构建完善“抗疫+冬训”\n理论学习“供应链”\n正文。\n")
    assert find_title(lines, 0, len(lines), entry("张家港：构建“抗疫+冬训”理论学习“供应链”")) is None


def test_column_headings_and_page_numbers_are_never_titles():
    lines = lines_of("【学习动态】\n— 2 —\n")
    assert find_title(lines, 0, 2, entry("学习动态")) is None
    assert find_title(lines, 0, 2, entry("2")) is None


def test_titles_missing_or_found_twice_are_doubts():
    ctx = context_for_text("【甲】\n标题一\n正文。\n标题一\n正文。\n")
    anchors = anchor_titles(ctx, 0, len(ctx.lines), [entry("标题一", 8), entry("标题二", 9)])
    assert titles(anchors) == [["标题一"]]
    assert ctx.doubts == ["第 4 行：目录中的《标题一》在正文中出现两次（第 2 行），按第一次导入。",
                          "目录中的《标题二》在正文中未找到，正文中可能与其他文章合在一起。"]


def test_a_near_title_of_a_layout_not_set_as_a_title_is_a_doubt():
    printed = "牢记嘱托 感恩奋进 沿着指引方向前行"
    lines = [Line(no=1, raw=printed, text=printed, level=0)]
    ctx = ParseContext(lines, one_entry_per_line=True)
    [anchor] = anchor_titles(ctx, 0, 1, [entry("牢记嘱托 感恩奋进 始终沿着指引方向前行")])
    assert anchor.fuzzy
    assert ctx.doubts == ["第 1 行：目录中的《牢记嘱托 感恩奋进 始终沿着指引方向前行》"
                          "在正文中只找到相近的标题《牢记嘱托 感恩奋进 沿着指引方向前行》，请核对。"]
    lines[0].level = 1  # set in title type: the title, kept as 目录标题 without a doubt
    ctx = ParseContext(lines, one_entry_per_line=True)
    anchor_titles(ctx, 0, 1, [entry("牢记嘱托 感恩奋进 始终沿着指引方向前行")])
    assert ctx.doubts == []


def test_without_a_toc_titles_open_columns_and_follow_sources_or_marked_lines():
    lines = lines_of("【甲】\n标题一\n——副标题\n正文一。\n（某某市委宣传部）\n标题二\n正文二。\n"
                     "普通的一行\n正文三。\n## 标题三\n正文四。\n")
    # (The ——subtitle stays under its title: the article takes it as its subtitle.)
    assert titles(guess_titles(lines, 0, len(lines))) == [["标题一"], ["标题二"], ["标题三"]]


def test_toc_lines_wrapped_into_two_entries_are_joined_when_only_together_they_are_a_title():
    lines = lines_of("【甲】\n河北省学习贯彻主题教育第一批总结暨第二批部署会议召开\n正文。\n")
    toc = [entry("河北省学习贯彻主题教育第一批总结"), entry("暨第二批部署会议召开")]
    assert [e.text for e in join_wrapped_entries(lines, toc, 0, len(lines))] == [
        "河北省学习贯彻主题教育第一批总结暨第二批部署会议召开"]


def test_a_number_glued_to_a_toc_title_is_its_page_where_the_body_has_the_title_without_it():
    lines = lines_of("习近平：统筹做好经济社会发展各项工作\n正文。\n学习贯彻二十大精神系列报道之3\n正文。\n")
    toc = join_wrapped_entries(lines, [entry("习近平：统筹做好经济社会发展各项工作1"),
                                       entry("学习贯彻二十大精神系列报道之3")], 0, len(lines))
    assert [(e.text, e.page) for e in toc] == [("习近平：统筹做好经济社会发展各项工作", 1),
                                               ("学习贯彻二十大精神系列报道之3", None)]


def test_two_entries_read_as_one_line_are_split_where_both_halves_are_titles():
    lines = lines_of("【甲】\n省委常委会召开会议\n正文。\n牢记嘱托感恩奋进\n正文。\n")
    joined = entry("省委常委会召开会议牢记嘱托感恩奋进")
    assert [e.text for e in split_entry(lines, joined, 0, len(lines))] == [
        "省委常委会召开会议", "牢记嘱托感恩奋进"]
    assert [e.text for e in join_wrapped_entries(lines, [joined], 0, len(lines))] == [
        "省委常委会召开会议", "牢记嘱托感恩奋进"]
    assert split_entry(lines, entry("省委常委会召开会议"), 0, len(lines)) is None


def test_a_title_glued_to_the_paragraph_before_it_is_split_off_with_a_warning():
    ctx = context_for_text("【甲】\n正文到此结束。牢记嘱托 感恩奋进\n会议指出。\n")
    added = split_glued_titles(ctx, 0, len(ctx.lines), [entry("牢记嘱托 感恩奋进")])
    assert added == 1
    assert [(line.no, line.text) for line in ctx.lines] == [
        (1, "【甲】"), (2, "正文到此结束。"), (2, "牢记嘱托 感恩奋进"), (3, "会议指出。")]
    assert ctx.warnings == ["第 2 行：标题《牢记嘱托 感恩奋进》与相邻段落连在一行，已按目录分开。"]


def test_a_title_glued_to_the_paragraph_after_it_is_split_off():
    ctx = context_for_text("【甲】\n牢记嘱托 感恩奋进会议指出。\n")
    assert split_glued_titles(ctx, 0, 2, [entry("牢记嘱托感恩奋进")]) == 1
    assert [line.text for line in ctx.lines] == ["【甲】", "牢记嘱托 感恩奋进", "会议指出。"]


def test_position_after_counts_neither_spaces_nor_bold_markers():
    assert position_after("牢记 嘱托**感恩**奋进", 4) == 5
    assert position_after("牢记 嘱托**感恩**奋进", 6) == 9
    assert position_after("ab", 5) == 2


def test_an_article_three_times_as_long_as_the_others_is_a_doubt():
    def article(title: str, length: int) -> ArchiveArticle:
        return ArchiveArticle(title=title, body_html=f"<p>{'字' * length}</p>", line=5)

    ctx = context_for_text("\n".join(["x"] * 5))
    issue = ArchiveIssue(publication="简报", publication_prefix="", year=2024, number=1, date=None,
                         columns=[ArchiveColumn(name="甲", articles=[
                             article("长", 1600), article("一", 500), article("二", 520),
                             article("三", 400)])])
    check_lengths(ctx, issue)
    assert ctx.doubts == ["第 5 行：《长》有 1600 字，是其他文章（中位数 500 字）的 3.2 倍，"
                          "可能把后面的文章并入了这一篇，请核对。"]
    issue.columns[0].articles[0] = article("长", 1400)  # long, but under 1,500 characters
    ctx = context_for_text("\n".join(["x"] * 5))
    check_lengths(ctx, issue)
    assert ctx.doubts == []
