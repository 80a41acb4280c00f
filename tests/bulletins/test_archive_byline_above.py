"""A byline printed above its title: taken for that article where the file shows it (the TOC
names it, it stands under the column heading, or Word or the PDF centre it); a doubt where the
text cannot tell it from the last line of the article before."""

import dataclasses

from bulletins.archive.rules import make_line
from bulletins.archive.text_parser import parse_lines

MASTHEAD = ["工作简报", "第 5 期", "宣传部", "2024年3月1日"]
FIRST = "会议强调，要坚持以人民为中心，回答好政绩为谁而树的立场之问。"
SECOND = "党的二十大报告指出，十年来我们经历了三件大事。"
TAIL = ["发：各县委宣传部", "宣传部"]


def parse(rows: list[str], *, titles: set[str], centred: dict[str, bool | None] | None = None):
    """Lines as a layout gives them: the titles set larger, the given lines centred or not."""
    lines = []
    for number, text in enumerate(rows, start=1):
        line = make_line(number, text)
        line = dataclasses.replace(line, level=1 if text in titles or text == MASTHEAD[0] else 0,
                                   centred=(centred or {}).get(text))
        lines.append(line)
    return parse_lines(lines, name="x.docx")


def test_a_byline_the_toc_names_is_taken_above_its_title():
    issue = parse([*MASTHEAD, "本期目录", "【动态】", "第一篇……市委宣传部 1", "第二篇……区委组织部 王建国 2",
                   "【动态】", "市委宣传部", "第一篇", FIRST, "区委组织部 王建国", "第二篇", SECOND, *TAIL],
                  titles={"第一篇", "第二篇"})
    assert [(a.title, a.byline, a.body_html) for a in issue.articles] == [
        ("第一篇", "市委宣传部", f"<p>{FIRST}</p>"), ("第二篇", "区委组织部 王建国", f"<p>{SECOND}</p>")]
    assert issue.doubts == []


def test_a_centred_byline_above_a_title_is_that_articles_and_a_right_aligned_one_the_last_articles():
    rows = [*MASTHEAD, "【动态】", "市委宣传部", "第一篇", FIRST, "区委组织部 王建国", "第二篇", SECOND,
            *TAIL]
    issue = parse(rows, titles={"第一篇", "第二篇"}, centred={"区委组织部 王建国": True})
    assert [(a.title, a.byline) for a in issue.articles] == [
        ("第一篇", "市委宣传部"), ("第二篇", "区委组织部 王建国")]
    assert issue.articles[0].body_html == f"<p>{FIRST}</p>"
    assert issue.doubts == []
    issue = parse(rows, titles={"第一篇", "第二篇"}, centred={"区委组织部 王建国": False})
    assert [(a.title, a.byline) for a in issue.articles] == [("第一篇", "市委宣传部"), ("第二篇", "")]
    assert issue.articles[0].body_html == f"<p>{FIRST}</p><p>区委组织部 王建国</p>"


def test_where_the_text_cannot_tell_a_byline_above_a_title_from_a_signature_it_is_a_doubt():
    rows = [*MASTHEAD, "【动态】", "第一篇", FIRST, "区委组织部 王建国", "第二篇", SECOND, *TAIL]
    issue = parse(rows, titles={"第一篇", "第二篇"})
    assert issue.doubts == ["第 8 行：《第二篇》标题上方的“区委组织部 王建国”像是署名，但无法确定是本篇的署名"
                            "还是上一篇末尾的落款，暂作上一篇的最后一段。"]
    assert issue.articles[0].body_html == f"<p>{FIRST}</p><p>区委组织部 王建国</p>"  # as the doubt says
    # With a byline of its own under its title, the line above is the article before's.
    rows = [*MASTHEAD, "【动态】", "第一篇", FIRST, "区委组织部 王建国", "第二篇", "市委宣传部", SECOND,
            *TAIL]
    issue = parse(rows, titles={"第一篇", "第二篇"})
    assert issue.doubts == []
    assert [(a.title, a.byline) for a in issue.articles] == [("第一篇", ""), ("第二篇", "市委宣传部")]
