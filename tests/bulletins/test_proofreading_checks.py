"""The proofreading checks on text built for each case: what they find, and what they leave."""

import pytest

from bulletins.proofreading import WordingEntry, proofread_article_fields
from bulletins.proofreading.text import apply_edits, html_segments


def found(body="", **fields):
    """(code, severity, location, marked text, message, fixable) of every finding."""
    return [(f.code, f.severity, f.location, f.marked, f.message, f.fixable)
            for f in proofread_article_fields({"body": body, **fields})]


def codes(body="", **fields):
    return [f.code for f in proofread_article_fields({"body": body, **fields})]


def fixed(body, **kwargs):
    """The body after applying every fix the checks offer."""
    findings = proofread_article_fields({"body": body}, **kwargs)
    edits = [(f.segment, e) for f in findings for e in f.edits if f.field == "body"]
    return apply_edits(body, edits)[0]


# --- punct-halfwidth -------------------------------------------------------------------------


def test_halfwidth_marks_in_chinese_text():
    assert found("<p>我们要加强学习,提高本领;坚持问题导向:做到真学真懂?当然!</p>") == [
        ("punct-halfwidth", "错误", "正文第1段", ",", "中文中使用了半角“,”，应为全角“，”。", True),
        ("punct-halfwidth", "错误", "正文第1段", ";", "中文中使用了半角“;”，应为全角“；”。", True),
        ("punct-halfwidth", "错误", "正文第1段", ":", "中文中使用了半角“:”，应为全角“：”。", True),
        ("punct-halfwidth", "错误", "正文第1段", "?", "中文中使用了半角“?”，应为全角“？”。", True),
        ("punct-halfwidth", "错误", "正文第1段", "!", "中文中使用了半角“!”，应为全角“！”。", True),
    ]


def test_halfwidth_full_stop_brackets_and_ellipsis():
    assert found("<p>会议强调.要抓落实。世界卫生组织(WHO)发布报告...</p>") == [
        ("punct-halfwidth", "错误", "正文第1段", ".", "中文中使用了半角“.”，应为句号“。”。", True),
        ("punct-halfwidth", "错误", "正文第1段", "(WHO)", "中文中使用了半角括号“()”，应为全角“（）”。",
         True),
        ("punct-halfwidth", "错误", "正文第1段", "...", "中文中使用了“...”，省略号应为“……”。", True),
    ]


def test_halfwidth_heading_number_with_full_stop():
    assert found("<p>一.总体要求</p>") == [
        ("punct-halfwidth", "错误", "正文第1段", ".", "序号后使用了半角“.”，应为顿号“、”。", True)]


def test_halfwidth_fix_only_between_chinese_characters():
    """A mark next to a Latin word or a digit is reported, but the editor decides."""
    assert found("<p>增长3,他们说</p>") == [
        ("punct-halfwidth", "错误", "正文第1段", ",", "中文中使用了半角“,”，应为全角“，”。", False)]


@pytest.mark.parametrize("text", [
    "<p>增长5.5%，达到1.2万人，共1,000户，会议于10:30开始。</p>",
    "<p>详见https://www.gov.cn/zhengce/a,b.html?id=1&amp;x=(2)，或来信a.b@example.com。</p>",
    "<p>He said: “Knowledge is power.” Then he asked, “Why not?” (See p. 5.)</p>",
    "<p>他引用了一句英文：“Don’t worry, be happy!”</p>",
    "<p>他说：“Wait...”随即离开，又说“OK,” 然后走了。</p>",
    "<p>Python 3.11、Django 5.2 和 GB/T 9704-2012 都已采用。</p>",
    "<p>1.加强学习</p><p>2.抓好落实</p>",
])
def test_halfwidth_leaves_numbers_urls_latin_text_alone(text):
    assert "punct-halfwidth" not in codes(text)


# --- pair-unbalanced -------------------------------------------------------------------------


def test_pairs_unclosed_and_closed_without_opening():
    assert found("<p>他说：“要学习《意见》精神。</p><p>会议）召开。【要闻</p>") == [
        ("pair-unbalanced", "错误", "正文第1段", "“", "左双引号在本段没有对应的右双引号。", False),
        ("pair-unbalanced", "错误", "正文第2段", "）", "右括号前面没有对应的左括号。", False),
        ("pair-unbalanced", "错误", "正文第2段", "【", "左方头括号在本段没有对应的右方头括号。", False),
    ]


def test_pairs_crossing():
    assert found("<p>《关于（试行》的通知）</p>") == [
        ("pair-unbalanced", "错误", "正文第1段", "（", "左括号在本段没有对应的右括号。", False),
        ("pair-unbalanced", "错误", "正文第1段", "）", "右括号前面没有对应的左括号。", False),
    ]


@pytest.mark.parametrize("text", [
    "<p>他说：“要认真学习《关于进一步提高党委（党组）理论学习中心组学习质量的意见》。”</p>",
    "<p>“第一段引文，</p><p>“第二段引文，</p><p>“第三段引文。”</p>",
    "<p>增强“四个意识”、坚定‘四个自信’，冀办字〔2023〕15号，《〈资本论〉导读》。</p>",
    "<p>He said “don’t”, and the students’ work was fine.</p>",
])
def test_pairs_leave_balanced_text_alone(text):
    assert "pair-unbalanced" not in codes(text)


def test_pairs_reopened_quote_must_be_closed_in_the_last_paragraph():
    assert found("<p>“第一段引文，</p><p>“第二段引文。</p><p>正文继续。</p>") == [
        ("pair-unbalanced", "错误", "正文第2段", "“", "左双引号在本段没有对应的右双引号。", False)]


# --- punct-repeated --------------------------------------------------------------------------


def test_repeated_marks():
    assert found("<p>要抓好落实。。要继续努力，，坚持到底，。真的吗。。。</p>") == [
        ("punct-repeated", "错误", "正文第1段", "。。", "标点“。。”重复，应为“。”。", True),
        ("punct-repeated", "错误", "正文第1段", "，，", "标点“，，”重复，应为“，”。", True),
        ("punct-repeated", "错误", "正文第1段", "，。", "标点“，。”连用，应只保留一个。", False),
        ("punct-repeated", "错误", "正文第1段", "。。。", "“。。。”应为省略号“……”。", False),
    ]


def test_repeated_sentence_end_inside_and_after_a_quotation():
    body = "<p>他强调：“要抓好落实。”。会议指出（见附件。）。她问：“好吗？”。</p>"
    assert found(body) == [
        ("punct-repeated", "错误", "正文第1段", "。”。", "引号内已有“。”，其后的“。”应删去。", True),
        ("punct-repeated", "错误", "正文第1段", "。）。", "括号内已有“。”，其后的“。”应删去。", True),
        ("punct-repeated", "错误", "正文第1段", "？”。", "引号内已有“？”，其后的“。”应删去。", True),
    ]
    assert fixed(body) == "<p>他强调：“要抓好落实。”会议指出（见附件。）她问：“好吗？”</p>"
    assert codes("<p>他强调：“要抓好落实”。会议指出（见附件）。</p>") == []


def test_repeated_allows_emphasis_ellipsis_and_dash():
    assert codes("<p>这怎么可能？！决不允许！！真的吗？？他说……——这就是答案。</p>") == []


# --- heading-sequence ------------------------------------------------------------------------


def test_headings_correct_nesting():
    body = ("<h2>一、总体要求</h2><h3>（一）指导思想</h3><h4>1.坚持学习</h4><p>（1）读原著</p>"
            "<p>（2）悟原理</p><h4>2.抓好落实</h4><h3>（二）基本原则</h3><h2>二、主要任务</h2>"
            "<p>1.2万名党员参加。</p><h2>三、保障措施</h2>")
    assert codes(body) == []


def test_headings_ignore_table_cells_and_list_items():
    body = ("<h2>一、甲</h2><h3>（一）子</h3><figure class=\"table\"><table><tbody><tr><td>1.</td><td>3.</td>"
            "</tr></tbody></table></figure><ol><li>2.5万人</li></ol><h3>（二）丑</h3>")
    assert codes(body) == []


def test_headings_may_start_below_the_top_level():
    assert codes("<p>（一）加强学习</p><p>1.读原著</p><p>（二）抓好落实</p>") == []


def test_headings_skipped_number():
    assert found("<h2>一、甲</h2><h2>二、乙</h2><h2>四、丁</h2>") == [
        ("heading-sequence", "错误", "正文第3段", "四、", "序号“四、”不连续：前一个是“二、”，应为“三、”。",
         False)]


def test_headings_skipped_level_and_wrong_start():
    assert found("<h2>一、甲</h2><h4>1.子</h4><h2>二、乙</h2><h3>（二）丑</h3>") == [
        ("heading-sequence", "错误", "正文第2段", "1.",
         "“1.”直接用在“一、”之下，跳过了“（一）”一级；层次应依次为“一、”“（一）”“1.”“（1）”。", False),
        ("heading-sequence", "错误", "正文第4段", "（二）",
         "序号“（二）”之前没有“（一）”，应从“（一）”开始。", False),
    ]


def test_headings_mixed_levels():
    assert found("<p>（一）甲</p><p>（二）乙</p><p>三、丙</p>") == [
        ("heading-sequence", "错误", "正文第3段", "三、", "“三、”的层级高于本文开头的“（一）”，层次混乱。",
         False)]


def test_headings_third_level_written_with_dunhao():
    assert found("<p>（一）甲</p><p>1、子</p>") == [
        ("heading-sequence", "提示", "正文第2段", "1、", "第三层序号应写作“1.”，不用“1、”。", True)]
    assert fixed("<p>（一）甲</p><p>1、子</p>") == "<p>（一）甲</p><p>1.子</p>"


def test_headings_numbers_above_ten():
    body = "".join(f"<h2>{n}、第{n}项</h2>" for n in
                   ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"))
    assert codes(body) == []


# --- date-format -----------------------------------------------------------------------------


def test_dates_written_otherwise():  # GB/T 9704: 2012年7月1日, no leading zeros
    body = ("<p>会议于2023-11-25召开，2023.11.26闭幕，2023/11/27返程，"
            "2023年09月05日、11月25号、2023 年 11 月 2 日。</p>")
    assert [(m, msg, fix) for _, _, _, m, msg, fix in found(body)] == [
        ("2023-11-25", "日期“2023-11-25”应写作“2023年11月25日”。", True),
        ("2023.11.26", "日期“2023.11.26”应写作“2023年11月26日”。", True),
        ("2023/11/27", "日期“2023/11/27”应写作“2023年11月27日”。", True),
        ("2023年09月05日", "日期“2023年09月05日”应写作“2023年9月5日”。", True),
        ("11月25号", "日期“11月25号”应写作“11月25日”。", True),
        ("2023 年 11 月 2 日", "日期“2023 年 11 月 2 日”应写作“2023年11月2日”。", True),
    ]
    assert fixed(body) == ("<p>会议于2023年11月25日召开，2023年11月26日闭幕，2023年11月27日返程，"
                           "2023年9月5日、11月25日、2023年11月2日。</p>")


def test_dates_take_in_the_spaces_around_them():
    assert found("<p>苏州市 11 月 23 日举行会议，扬州市 11月17日 召开，2023-11-25 举行。</p>") == [
        ("date-format", "错误", "正文第1段", " 11 月 23 日", "日期“11 月 23 日”应写作“11月23日”。", True),
        ("date-format", "提示", "正文第1段", " 11月17日 ", "日期“11月17日”与前后汉字之间不加空格。", True),
        ("date-format", "错误", "正文第1段", "2023-11-25 ", "日期“2023-11-25”应写作“2023年11月25日”。", True),
    ]
    assert fixed("<p>苏州市 11 月 23 日举行会议，扬州市 11月17日 召开，2023-11-25 举行。</p>") == \
        "<p>苏州市11月23日举行会议，扬州市11月17日召开，2023年11月25日举行。</p>"


def test_dates_that_do_not_exist_or_have_the_wrong_weekday():
    body = "<p>2023年2月29日开会，2023年11月25日（星期五）报到，2023年11月26日（星期日）返程。</p>"
    assert found(body) == [
        ("date-format", "错误", "正文第1段", "2023年2月29日", "日期“2023年2月29日”不存在。", False),
        ("date-format", "错误", "正文第1段", "2023年11月25日（星期五）",
         "2023年11月25日是星期六，不是星期五。", False),
    ]


def test_dates_mixed_year_styles_in_one_article():
    assert found("<p>二〇二三年工作要点。</p>", title="2023年工作", source="2023年11月") == [
        ("date-format", "提示", "正文第1段", "二〇二三年",
         "本文年份写法不一：“二〇二三年”与“2023年”混用，应统一，此处可写作“2023年”。", True)]


def test_dates_zero_written_as_ling():
    assert found("<p>二零二三年十一月。</p>") == [
        ("date-format", "错误", "正文第1段", "二零二三年", "年份“二零二三年”中的“零”应写作“〇”。", True)]


@pytest.mark.parametrize("text", [
    "<p>二〇二三年十一月，二〇二二年工作总结。</p>",
    "<p>2023年11月25日召开，9月13日部署，2023年全年。</p>",
    "<p>版本1.2.3，编号2023-115，冀办字〔2023〕15号，第3.11.25条。</p>",
])
def test_dates_leave_consistent_dates_alone(text):
    assert "date-format" not in codes(text)


# --- space-in-text ---------------------------------------------------------------------------


def test_spaces_in_chinese_text():
    assert found("<p>加强 学习，提高 ，本领。 “两个确立”</p>") == [
        ("space-in-text", "错误", "正文第1段", " ", "汉字之间有多余的空格。", True),
        ("space-in-text", "错误", "正文第1段", " ", "汉字与标点之间有多余的空格。", True),
        ("space-in-text", "错误", "正文第1段", " ", "标点之间有多余的空格。", True),
    ]
    assert fixed("<p>加强 学习，<strong>提高</strong>\u3000本领。</p>") == \
        "<p>加强学习，<strong>提高</strong>本领。</p>"


def test_spaces_inside_a_cited_title_are_a_hint():
    assert found("<p>撰写《一刻不停推进全面从严治党 努力交上满意答卷》。</p>") == [
        ("space-in-text", "提示", "正文第1段", " ",
         "书名号或引号内的汉字之间有空格：如是标题、口号两部分之间的分隔，可以保留。", True)]


def test_spaces_in_titles_and_bylines_are_deliberate():
    assert codes(title="中宣部中组部印发意见 提高学习质量", byline="临西县委常委、组织部部长 卫建豪",
                 body="<p>　　段首缩进的空格，以及 Python 与 Django 之间的空格。</p>") == []


# --- traditional-char ------------------------------------------------------------------------


def test_traditional_characters():
    assert found("<p>市委中心组成員围绕發展</p>") == [
        ("traditional-char", "错误", "正文第1段", "員", "“員”是繁体字，应为“员”。", True),
        ("traditional-char", "错误", "正文第1段", "發", "“發”是繁体字，应为“发”。", True),
    ]
    assert fixed("<p>市委中心组成員围绕發展</p>") == "<p>市委中心组成员围绕发展</p>"


def test_traditional_leaves_simplified_text_that_looks_traditional():
    assert codes("<p>乾隆年间，乾坤朗朗；著作颇丰；慰藉人心；瞭望远方；哪吒闹海；蒜薹；于是。</p>") == []


def test_traditional_forms_kept_in_simplified_text_for_names_are_a_hint():
    assert found("<p>於先生之後发言。</p>") == [
        ("traditional-char", "提示", "正文第1段", "於",
         "“於”可能是繁体字，一般应为“于”；用于人名、地名等专名时可以保留。", True),
        ("traditional-char", "提示", "正文第1段", "後",
         "“後”可能是繁体字，一般应为“后”；用于人名、地名等专名时可以保留。", True),
    ]


# --- wording ---------------------------------------------------------------------------------


WORDING = [WordingEntry("十九大", "党的十九大", "以中央文件提法为准"),
           WordingEntry("两学一做教育", "“两学一做”学习教育"),
           WordingEntry("最最", "", "避免夸张")]


def test_wording_list():
    findings = proofread_article_fields(
        {"title": "学习十九大精神", "body": "<p>贯彻党的十九大精神，开展两学一做教育，最最重要。</p>"},
        wording=WORDING)
    assert [(f.location, f.marked, f.message, f.fixable) for f in findings] == [
        ("标题", "十九大", "“十九大”应为“党的十九大”。以中央文件提法为准。", True),
        ("正文第1段", "两学一做教育", "“两学一做教育”应为““两学一做”学习教育”。", True),
        ("正文第1段", "最最", "不宜使用“最最”。避免夸张。", False),
    ]


# --- unprintable-char ------------------------------------------------------------------------


def test_unprintable_characters_listed_once_each():
    covered = frozenset(ord(c) for c in "标题正文和。")
    findings = proofread_article_fields({"title": "标题", "body": "<p>正文𠀋和𠀋和\ue000。</p>"},
                                        covered=covered)
    assert [(f.code, f.marked, f.message) for f in findings] == [
        ("unprintable-char", "𠀋", "字符“𠀋”（U+2000B）在已配置的字体中都没有字形，无法印刷。本文共2处。"),
        ("unprintable-char", "\ue000", "字符“\ue000”（U+E000）在已配置的字体中都没有字形，无法印刷。"),
    ]


# --- text and fixes --------------------------------------------------------------------------


def test_paragraphs_of_html_and_their_source_spans():
    body = "<h2>一、要求</h2><ul><li><p>第一&amp;项</p></li><li>第二<br>项</li></ul><p> </p>"
    segments = html_segments("body", body)
    assert [(s.paragraph, s.tag, s.text) for s in segments] == [
        (1, "h2", "一、要求"), (2, "p", "第一&项"), (3, "li", "第二\n项")]
    amp = segments[1].text.index("&")
    assert body[slice(*segments[1].spans[amp])] == "&amp;"


def test_fix_keeps_tags_and_changes_only_the_spot():
    body = "<p>加强学习<strong>,</strong>提高本领，增强能力，,落实</p>"
    assert found(body)[1][4] == "半角“,”与前面的“，”重复，应删去。"
    assert fixed(body) == "<p>加强学习<strong>，</strong>提高本领，增强能力，落实</p>"


def test_fix_removes_a_space_written_as_an_entity():
    assert fixed("<p>加强&nbsp;学习，&lt;规范&gt;</p>") == "<p>加强学习，&lt;规范&gt;</p>"
