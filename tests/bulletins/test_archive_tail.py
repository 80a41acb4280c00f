"""The tail (版记): where it starts, its lines exactly as printed, 共印, office and editorial block."""

from bulletins.archive.context import context_for_text
from bulletins.archive.rules import make_line
from bulletins.archive.tail import find_tail_start, is_office_line, is_tail_line, parse_tail
from bulletins.archive.types import ArchiveIssue


def issue(office: list[str]) -> ArchiveIssue:
    return ArchiveIssue(publication="简报", publication_prefix="", year=2023, number=9, date=None,
                        issuing_office=office)


def tail(text: str, *, office: list[str] | None = None, from_layout: bool = False):
    ctx = context_for_text(text, one_entry_per_line=from_layout)
    read = issue(office if office is not None else ["中共河北省委宣传部"])
    parse_tail(ctx, 0, read)
    return read, ctx


def test_the_tail_starts_at_the_first_distribution_line_that_only_tail_lines_follow():
    lines = context_for_text("报：这一行之后还有正文。\n会议强调，要报送材料，抓好落实，确保取得实效。\n"
                             "---\n报：省委常委会\n发：各市\n中共河北省委宣传部\n共印：2000份\n").lines
    assert find_tail_start(lines, 0) == 3
    # Without 报/送/发, the 共印 or contact lines start it.
    lines = context_for_text("正文。\n共印 40 份\n电话：83012929\n").lines
    assert find_tail_start(lines, 0) == 1
    assert find_tail_start(context_for_text("正文。\n").lines, 0) == 1  # none: the tail is empty


def test_distribution_print_run_office_and_editorial_block():
    read, ctx = tail("报：省委常委会、省人大常委会\n---\n发：各市、\n县（市、区）委书记\n中共河北省委宣传部\n"
                     "共印：2000份\n编辑：《理论学习通讯》编辑部\n电话：（0311）83012929\n")
    assert read.distribution == [("报", "省委常委会、省人大常委会"), ("发", "各市、县（市、区）委书记")]
    assert read.print_run == 2000
    assert read.tail_office == ["中共河北省委宣传部"]
    assert read.editorial_block == "编辑：《理论学习通讯》编辑部\n电话：（0311）83012929"
    assert [(s.line, s.reason) for s in ctx.skipped] == [(2, "分隔线")]
    assert ctx.warnings == []


def test_in_a_layout_a_line_that_is_not_the_office_continues_the_distribution_line():
    text = "发：各市、县（市、区）委书记、副书记\n组织部长、宣传部长\n中共河北省委宣传部\n"
    read, _ = tail(text, from_layout=True)
    assert read.distribution == [("发", "各市、县（市、区）委书记、副书记组织部长、宣传部长")]
    assert read.tail_office == ["中共河北省委宣传部"]
    read, _ = tail(text)  # in text, a line not ending in 、 is not a continuation
    assert read.distribution == [("发", "各市、县（市、区）委书记、副书记")]
    assert read.tail_office == ["组织部长、宣传部长", "中共河北省委宣传部"]


def test_an_office_that_differs_from_the_masthead_and_a_tail_without_distribution_are_warned_of():
    _, ctx = tail("某某办公室\n", office=["协调小组办公室"])
    assert ctx.warnings == ["版记中的编印单位“某某办公室”与报头“协调小组办公室”不同，按报头导入。",
                            "未找到报、送、发等分发行。"]


def test_is_office_line_ignores_spaces_and_punctuation():
    read = issue(["中共河北省委宣传部", "中共河北省委讲师团"])
    assert is_office_line("中共河北省委宣传部 中共河北省委讲师团", read)
    assert is_office_line("中共河北省委宣传部", read)
    assert not is_office_line("组织部长、宣传部长", read)
    assert not is_office_line("", read)


def test_tail_lines():
    assert is_tail_line(make_line(1, "抄送：各市"))
    assert is_tail_line(make_line(1, "（共印40份）"))
    assert is_tail_line(make_line(1, "地址：石家庄市"))
    assert not is_tail_line(make_line(1, "报告会邀请专家"))


def test_a_long_line_wrapped_from_a_distribution_line_does_not_hide_the_tail():
    lines = context_for_text("正文的最后一段。\n报：省委常委会、省人大常委会\n"
                             "发：各市、县（市、区）委书记、副书记、组织部长、宣传部\n"
                             "长、办公室、宣传部理论处（科）、中心组学习秘书；各市委讲师团、华北油田公司党委讲师团\n"
                             "中共河北省委宣传部\n（共印2000份）\n").lines
    assert find_tail_start(lines, 0) == 1
    # A long line after the office is still text of the body, not the tail.
    lines = context_for_text("报：省委常委会\n中共河北省委宣传部\n"
                             "长、办公室、宣传部理论处（科）、中心组学习秘书；各市委讲师团、华北油田公司党委讲师团\n").lines
    assert find_tail_start(lines, 0) == 3


def test_the_office_read_into_the_last_distribution_line_is_the_office():
    read, ctx = tail("报：省委常委会\n发：各市委讲师团、机关党委中共河北省委宣传部\n"
                     "中共河北省委讲师团\n（共印2000份）\n",
                     office=["中共河北省委宣传部", "中共河北省委讲师团"], from_layout=True)
    assert read.distribution == [("报", "省委常委会"), ("发", "各市委讲师团、机关党委")]
    assert read.tail_office == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert (read.print_run, ctx.warnings) == (2000, [])


def test_the_printing_date_beside_the_office_is_not_part_of_it():
    read, ctx = tail("发：各市\n中共河北省委宣传部　　　　2023年9月20日印发\n（共印2000份）\n")
    assert read.tail_office == ["中共河北省委宣传部"]
    assert (read.print_run, ctx.warnings) == (2000, [])
    assert [(s.text, s.reason) for s in ctx.skipped] == [("2023年9月20日印发", "印发日期")]
    read, ctx = tail("发：各市\n中共河北省委宣传部\n二〇二三年九月二十日印发\n", from_layout=True)
    assert read.tail_office == ["中共河北省委宣传部"]
    assert [(s.text, s.reason) for s in ctx.skipped] == [("二〇二三年九月二十日印发", "印发日期")]
