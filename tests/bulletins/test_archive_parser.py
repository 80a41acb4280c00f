"""The text/Markdown parser on the five real seed issues and on the shapes around them."""

import datetime
from pathlib import Path

import pytest

from bulletins.archive.text_parser import parse_text
from bulletins.archive.types import ArchiveFormatError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
JIANGSU = ("建设学习型党组织、学习型领导班子", "工作简报")
JIANGSU_REPORT = ("报", "中央协调办、中宣部理论局、中组部干部局")
JIANGSU_SEND = ("送", "省协调小组成员单位、省级机关各部委办厅局")
JIANGSU_ISSUE = ("发", "各设区市委宣传部、组织部")


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def parse_seed(name: str):
    return parse_text(seed(name), name=name)


def titles(issue) -> list[tuple[str, list[str]]]:
    return [(column.name, [article.title for article in column.articles]) for column in issue.columns]


EXPECTED = {
    "000_7a2bf2f7cbdeabb6.txt": {
        "number": 454, "year": 2023, "date": datetime.date(2023, 11, 25),
        "columns": [
            ("上情下达", ["江苏省委常委会议召开 信长星主持并讲话",
                      "信长星在全省宣传思想文化工作会议上强调 坚持以习近平文化思想为引领 "
                      "在建设中华民族现代文明上探索新经验"]),
            ("经验交流", ["镇江市：强化示范带动 规范学习管理 持续推动中心组学习不断走深走实"]),
            ("学习动态", ["苏州、盐城、扬州市委理论学习中心组 开展交流学习研讨"]),
        ],
        "sources": ["", "", "", ""],
        "distribution": [JIANGSU_SEND, JIANGSU_ISSUE],
    },
    "001_4c6003ca214cfee1.txt": {
        "number": 434, "year": 2023, "date": datetime.date(2023, 1, 28),
        "columns": [
            ("上情下达", ["省委常委会召开会议 传达学习习近平总书记在中央政治局 民主生活会上的重要讲话精神",
                      "牢记嘱托 感恩奋进 始终沿着总书记指引方向笃定前行"]),
            ("经验交流", ["徐州市：“四个聚力”唱响党的二十大精神 宣讲“大合唱”"]),
            ("学习动态", ["泰州市、省科协、省红十字会理论学习中心组 开展党章专题学习"]),
        ],
        "sources": ["", "", "（徐州市委宣传部）", ""],
        "distribution": [JIANGSU_REPORT, JIANGSU_SEND, JIANGSU_ISSUE],
    },
    "002_6a137115d7a85250.txt": {
        "number": 365, "year": 2020, "date": datetime.date(2020, 3, 10),
        "columns": [
            ("上情下达", ["省学习型党组织建设工作协调小组 第十一次会议召开"]),
            ("经验交流", ["淮安：“三个强化”不断提升中心组学习质效"]),
            ("学习动态", ["省检察院：学习习近平总书记系列重要讲话精神 为疫情防控和经济社会发展作贡献",
                      "张家港：构建完善“抗疫+冬训” 理论学习“供应链”"]),
        ],
        "sources": ["", "（淮安市委理论学习中心组）", "（省检察院党组）", "（张家港市委宣传部）"],
        "distribution": [JIANGSU_REPORT, JIANGSU_SEND, JIANGSU_ISSUE],
    },
    "003_05565453be95cf60.txt": {
        "number": 364, "year": 2020, "date": datetime.date(2020, 2, 25),
        "columns": [
            ("上情下达", ["习近平：毫不放松抓紧抓实抓细防控工作 统筹做好经济社会发展各项工作",
                      "我省学习贯彻习近平总书记在中央统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议上的"
                      "重要讲话精神"]),
            ("经验交流", ["苏州：打造学习共同体 构筑发展新优势"]),
            ("学习动态", ["省药监局：深化学习 提升认识 全面加强党对疫情防控工作的领导",
                      "宜兴：“理论电波”打造战“疫”冬训强磁场"]),
        ],
        "sources": ["", "", "（苏州市委理论学习中心组）", "（省药监局党组）", "（宜兴市委宣传部）"],
        "distribution": [JIANGSU_REPORT, JIANGSU_SEND, ("发", "各市委宣传部、组织部")],
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_jiangsu_seed_masthead_columns_titles_and_tail(name):
    expected = EXPECTED[name]
    issue = parse_seed(name)
    assert (issue.publication_prefix, issue.publication) == JIANGSU
    assert issue.number == expected["number"]
    assert issue.total_number is None
    assert issue.year == expected["year"]
    assert issue.date == expected["date"]
    assert issue.issuing_office == ["协调小组办公室"]
    assert issue.marking == ""
    assert issue.special is False
    assert titles(issue) == expected["columns"]
    assert [a.source for a in issue.articles] == expected["sources"]
    assert [a.byline for a in issue.articles] == [""] * len(issue.articles)
    assert [a.subtitle for a in issue.articles] == [""] * len(issue.articles)
    assert issue.distribution == expected["distribution"]
    assert issue.print_run is None
    assert issue.editorial_block == ""
    assert issue.tail_office == ["协调小组办公室"]
    assert issue.settings.numbering == "continuous"
    assert issue.settings.column_decoration == "brackets"
    assert issue.settings.toc_shows_pages is False
    assert issue.warnings == []


def test_hebei_seed():
    issue = parse_seed("004_ceb4e9f67c3b5b87.txt")
    assert (issue.publication_prefix, issue.publication) == ("党委中心组", "理论学习通讯")
    assert issue.marking == "党内刊物·注意保存"
    assert (issue.year, issue.number, issue.total_number) == (2023, 9, 453)
    assert issue.date == datetime.date(2023, 9, 20)
    assert issue.issuing_office == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert titles(issue) == [
        ("学习动态", ["中宣部中组部印发意见 提高党委中心组学习质量",
                  "河北省学习贯彻习近平新时代中国特色社会主义思想主题教育第一批总结 暨第二批部署会议召开"]),
        ("学思践悟", ["激发新就业群体“红色动能”"]),
        ("工作经验交流", ["学习贯彻党的二十大精神 闯出阜平产业振兴发展新路", "彰显理论价值 凝聚实践伟力"]),
        ("它山之石", ["培塑理论学习新赛道 全面提升理论学习质量"]),
    ]
    articles = issue.articles
    assert [a.subtitle for a in articles] == [
        "", "充分借鉴运用第一批主题教育成功经验 高标准高质量开展好第二批主题教育", "", "",
        "——《新阶段新特点新探索·2023》出版发行", ""]
    assert [a.byline for a in articles] == [
        "", "", "临西县委常委、组织部部长 卫建豪", "中共阜平县委", "河北省社会科学院政治文化教研处 贾玉娥",
        "重庆市渝中区委宣传部"]
    assert [a.toc_page for a in articles] == [2, 3, 5, 7, 12, 14]
    assert issue.distribution == [
        ("报", "省委常委会、省人大常委会、省政府、省政协领导"),
        ("发", "各市、县（市、区）委书记、副书记、组织部长、宣传部长、办公室、宣传部理论处（科）、"
              "中心组学习秘书；各市委讲师团、华北油田公司党委讲师团；省直各厅、局、委、办主要领导、机关党委"),
    ]
    assert issue.print_run == 2000
    assert issue.editorial_block == (
        "编辑：《党委中心组理论学习通讯》编辑部 电话：（0311）83012929\n"
        "地址：石家庄市桥西区裕华西路67号 传真：（0311）83086975\n"
        "邮编：050051 邮箱：lilunxuanjiang@163.com")
    assert issue.settings.numbering == "per_year"
    assert issue.settings.has_total_number is True
    assert issue.settings.column_decoration == "bullet"
    assert issue.settings.toc_shows_pages is True


def test_toc_title_is_kept_only_where_it_differs_from_the_body_title():
    issue = parse_seed("002_6a137115d7a85250.txt")
    assert [a.toc_title for a in issue.articles] == ["", "", "", "张家港：构建“抗疫+冬训”理论学习“供应链”"]
    hebei = parse_seed("004_ceb4e9f67c3b5b87.txt")
    assert hebei.articles[4].toc_title == "彰显理论价值 凝聚实践伟力——《新阶段新特点新探索·2023》出版发行"


def test_a_near_match_of_a_toc_title_gives_way_to_the_exact_title_further_on():
    text = ("学习通讯\n\n第 5 期\n\n某某市委宣传部\n\n2024年3月1日\n\n"
            "【工作动态】\n\n- 甲地开展理论学习\n- 乙地召开学习推进会议\n\n"
            "【工作动态】\n\n甲地开展理论学习\n\n甲地开展学习，效果良好。\n\n乙地召开学习推进会\n\n"
            "会后各单位迅速行动。\n\n乙地召开学习推进会议\n\n乙地召开会议，推进学习。\n\n发：各县委宣传部\n")
    issue = parse_text(text)
    assert titles(issue) == [("工作动态", ["甲地开展理论学习", "乙地召开学习推进会议"])]
    assert issue.articles[0].body_html == ("<p>甲地开展学习，效果良好。</p><h2>乙地召开学习推进会</h2>"
                                           "<p>会后各单位迅速行动。</p>")
    assert issue.articles[1].body_html == "<p>乙地召开会议，推进学习。</p>"


def test_page_broken_paragraph_is_joined_without_adding_anything():
    body = parse_seed("000_7a2bf2f7cbdeabb6.txt").articles[0].body_html
    assert "要深刻领悟这次中美元首会晤的战略意义和深远影响，认真落实习近平总书记" in body
    body = parse_seed("001_4c6003ca214cfee1.txt").articles[2].body_html
    assert "用“乡音”传递“党音”。" in body
    assert "讲和基层宣讲工作的督促指导，周调度、月督查" in body


def test_numbered_headings_bold_lead_ins_and_paragraphs():
    body = parse_seed("000_7a2bf2f7cbdeabb6.txt").articles[2].body_html
    assert "<h2>一、强化示范带动，提升“关键少数”参与度</h2><p>发挥市委理论学习中心组成员" in body
    body = parse_seed("003_05565453be95cf60.txt").articles[2].body_html
    assert "<h2>二、坚持高标准推进，着力丰富学习形式</h2>" in body
    assert "<h2>三、坚持高质量转化，着力放大学习成效</h2>" in body
    body = parse_seed("001_4c6003ca214cfee1.txt").articles[2].body_html
    assert body.count("<strong>") == 4
    assert "<p><strong>聚力高位谋划，有力有序推动。</strong>将党的二十大精神宣讲工作" in body


def test_text_is_kept_as_it_stands():
    hebei = parse_seed("004_ceb4e9f67c3b5b87.txt")
    assert "的思想 and 行动统一到党的二十大精神上来" in hebei.articles[3].body_html
    jiangsu = parse_seed("003_05565453be95cf60.txt")
    assert "市委中心组成員围绕" in jiangsu.articles[2].body_html
    assert "苏州市 11 月 23 日举行" in parse_seed("000_7a2bf2f7cbdeabb6.txt").articles[3].body_html


def test_rules_are_reported_as_skipped_artefacts():
    issue = parse_seed("001_4c6003ca214cfee1.txt")
    assert [(s.line, s.text, s.reason) for s in issue.skipped] == [
        (13, "---", "分隔线"), (102, "---", "分隔线"), (108, "---", "分隔线")]


def test_page_number_lines_are_dropped_and_reported():
    text = seed("000_7a2bf2f7cbdeabb6.txt").replace(
        "要深刻领悟这次中美元首会晤的战略意义和深远影响，\n\n认真落实",
        "要深刻领悟这次中美元首会晤的战略意义和深远影响，\n\n— 2 —\n\n认真落实")
    issue = parse_text(text)
    assert "深远影响，认真落实" in issue.articles[0].body_html
    assert [(s.text, s.reason) for s in issue.skipped] == [("— 2 —", "页码")]


def test_bulletin_without_toc_is_read_by_its_structure():
    lines = seed("002_6a137115d7a85250.txt").splitlines()
    without_toc = "\n".join(lines[:10] + lines[24:])  # drop the table of contents
    issue = parse_text(without_toc)
    assert titles(issue) == [
        ("上情下达", ["省学习型党组织建设工作协调小组 第十一次会议召开"]),
        ("经验交流", ["淮安：“三个强化”不断提升中心组学习质效"]),
        ("学习动态", ["省检察院：学习习近平总书记系列重要讲话精神 为疫情防控和经济社会发展作贡献",
                  "张家港：构建完善“抗疫+冬训” 理论学习“供应链”"]),
    ]


def test_year_number_masthead_and_combined_total():
    text = ("内部资料 注意保存\n\n学习通讯\n\n2024年第3期（总第120期）\n\n某某市委宣传部\n\n2024年3月1日\n\n"
            "【工作动态】\n\n某地开展学习\n\n某地召开会议，开展学习。\n\n发：各县委宣传部\n")
    issue = parse_text(text)
    assert (issue.publication_prefix, issue.publication) == ("", "学习通讯")
    assert issue.marking == "内部资料 注意保存"
    assert (issue.year, issue.number, issue.total_number) == (2024, 3, 120)
    assert issue.issuing_office == ["某某市委宣传部"]
    assert titles(issue) == [("工作动态", ["某地开展学习"])]
    assert issue.distribution == [("发", "各县委宣传部")]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("这是一段普通文字。\n没有报头。\n", 1, "未找到报头中的期号：应有“第 454 期”或“2023年第9期”这样的一行。"),
    ("工作简报\n\n第 5 期\n\n办公室\n\n【动态】\n", 1,
     "未找到报头中的签发日期：应有“2023 年 11 月 25 日”这样的一行。"),
])
def test_unreadable_masthead_is_an_error_with_line(text, line, message):
    with pytest.raises(ArchiveFormatError) as caught:
        parse_text(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_file_cut_after_the_toc_is_an_error():
    text = "\n".join(seed("000_7a2bf2f7cbdeabb6.txt").splitlines()[:22])
    with pytest.raises(ArchiveFormatError) as caught:
        parse_text(text)
    assert caught.value.line == 22
    assert caught.value.message == ("文件在第一篇文章之前结束：只有目录，没有正文，"
                                    "应有栏目下的文章标题和正文。")


@pytest.mark.parametrize("where", ["after the toc", "without a toc"])
def test_the_issues_editor_note_before_the_body_is_its_note_not_a_toc_entry(where):
    text = seed("000_7a2bf2f7cbdeabb6.txt")
    body = text.index("【上情下达】", text.index("【上情下达】") + 1)
    if where == "without a toc":
        text = text[:text.index("【上情下达】")] + text[body:]
        body = text.index("【上情下达】")
    note = "编者按：现将有关情况刊发，供各地学习借鉴。\n\n请结合实际抓好落实。\n\n"
    plain = parse_text(text, name="a.txt")
    issue = parse_text(text[:body] + note + text[body:], name="a.txt")
    assert issue.editor_note == "现将有关情况刊发，供各地学习借鉴。\n请结合实际抓好落实。"
    assert [a.title for a in issue.articles] == [a.title for a in plain.articles]
    assert (len(issue.doubts), issue.warnings) == (len(plain.doubts), plain.warnings)  # lines shifted
