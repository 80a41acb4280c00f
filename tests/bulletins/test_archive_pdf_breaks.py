"""Where a printed layout lost what told its parts apart: a heading printed in the body's face
(黑体 without the font), a title the producer let break over two pages."""

from pathlib import Path

from bulletins.archive.pdf_reader import parse_pdf
from tests.archive_layouts import write_pdf

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_7a2bf2f7cbdeabb6.txt"

FIRST = "党的二十大吹响了奋进新征程的“冲锋号”，发出了建功新时代的动员令，描绘了宏伟蓝图。" * 3
SECOND = "党的二十大报告指出，十年来我们经历了对党和人民事业具有重大现实意义的三件大事。" * 3


MASTHEAD = '<p class="plain">第 5 期</p><p class="plain">宣传部　2024年3月1日</p>'


def bulletin_pdf(body: str, *, masthead: str = MASTHEAD, toc: str = "") -> bytes:
    return write_pdf(f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2.5cm; }}
body {{ font: 15pt/1.6 "Noto Serif CJK SC"; }}
p {{ margin: 0; text-indent: 2em; }}
.name {{ text-align: center; color: #d00; font-size: 36pt; text-indent: 0; }}
.plain {{ text-align: center; text-indent: 0; }}
.row {{ display: flex; justify-content: space-between; }}
h1 {{ font: 22pt/1.4 "Noto Sans CJK SC"; text-align: center; margin: 8pt 0; }}
</style></head><body>
<p class="name">工作简报</p>{masthead}{toc}{body}
<p>发：各县委宣传部</p></body></html>""")


def issue_pdf(body: str) -> bytes:
    return bulletin_pdf(f'<p class="plain">【工作动态】</p>{body}')


def test_a_heading_in_the_body_face_stands_alone_as_a_heading():
    heading = "准确把握党的二十大重大意义，增强学习贯彻的政治自觉、思想自觉和行动自觉"
    pdf = issue_pdf(f"<h1>阜平县学习贯彻党的二十大精神</h1><p>{FIRST}</p><p>{heading}</p><p>{SECOND}</p>")
    [article] = parse_pdf(pdf).articles
    assert article.body_html == f"<p>{FIRST}</p><h2>{heading}</h2><p>{SECOND}</p>"


def test_a_paragraph_cut_by_a_page_break_is_still_joined():
    long = "".join(line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line) > 200)
    pdf = issue_pdf(f"<h1>扬州市委理论学习中心组专题学习</h1><p>{long}</p><p>{SECOND}</p>")
    [article] = parse_pdf(pdf).articles
    assert article.body_html == f"<p>{long}</p><p>{SECOND}</p>"


def test_a_title_broken_over_two_pages_is_one_title():
    filler = "".join(f"<p>{FIRST}</p>" for _ in range(7))
    pdf = issue_pdf(f"<h1>学习贯彻习近平总书记重要讲话精神</h1>{filler}"
                    "<h1>我省学习贯彻习近平总书记在中央统筹推进新冠肺炎疫情防控和经济社会发展工作部署</h1>"
                    f'<h1 style="break-before: page">会议上的重要讲话精神</h1><p>{SECOND}</p>')
    issue = parse_pdf(pdf)
    assert [article.title for article in issue.articles] == [
        "学习贯彻习近平总书记重要讲话精神",
        "我省学习贯彻习近平总书记在中央统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议上的重要讲话精神"]
    assert issue.articles[1].body_html == f"<p>{SECOND}</p>"


def masthead_pdf(masthead: str, toc: str = "") -> bytes:
    return bulletin_pdf(f'<p class="plain">【学习动态】</p><h1>中宣部中组部印发意见</h1><p>{FIRST}</p>'
                        f'<p class="plain">【经验交流】</p><h1>激发新就业群体红色动能</h1><p>{SECOND}</p>',
                        masthead=f'<p class="plain">2023年第9期</p>{masthead}', toc=toc)


def test_an_office_of_two_lines_beside_a_date_at_the_right_margin():
    pdf = masthead_pdf('<div class="row"><div>中共河北省委宣传部<br>中共河北省委讲师团</div>'
                       "<div>二〇二三年九月二十日</div></div>")
    issue = parse_pdf(pdf)
    assert issue.issuing_office == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert issue.doubts == []


def test_a_page_number_set_apart_by_a_tab_ends_its_toc_entry():
    toc = ('<p class="plain">本期目录</p><p>【学习动态】</p>'
           '<p>中宣部中组部印发意见<span style="margin-left: 1.5em">1</span></p>'
           '<p>【经验交流】</p><p>激发新就业群体红色动能<span style="margin-left: 1.5em">2</span></p>')
    issue = parse_pdf(masthead_pdf('<p class="plain">宣传部　2023年9月20日</p>', toc))
    assert [(a.title, a.toc_title, a.toc_page) for a in issue.articles] == [
        ("中宣部中组部印发意见", "", 1), ("激发新就业群体红色动能", "", 2)]
    assert issue.doubts == []


def test_a_subtitle_centred_over_two_lines_is_the_subtitle_without_a_toc():
    subtitle = "充分借鉴运用第一批主题教育成功经验 高标准高质量开展好第二批主题教育工作部署会议"
    paragraphs = "".join(f"<p>{text}</p>" for text in (FIRST, SECOND, FIRST))
    pdf = issue_pdf(f'<h1>河北省学习贯彻主题教育第一批总结</h1><p class="plain">{subtitle}</p>{paragraphs}')
    issue = parse_pdf(pdf)
    [article] = issue.articles
    assert (article.title, article.subtitle) == ("河北省学习贯彻主题教育第一批总结", subtitle)
    assert issue.doubts == []
