"""Importing what offices keep: printed PDFs (ours, and laid out by other programs) and the
text pdftotext extracts from them, read back to the structure of the seed text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pdfplumber
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from bulletins.archive.boundaries import check_lengths
from bulletins.archive.context import context_for_text
from bulletins.archive.importer import archive_import_file, parse_archive_bytes
from bulletins.archive.pdf_reader import read_pdf
from bulletins.archive.text_parser import parse_text
from bulletins.models import Article, Issue, Organisation, Publication
from bulletins.rendering.pdf import render_issue_pdf
from tests.archive_layouts import plain_style, word_style, write_pdf

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
WHITESPACE = re.compile(r"\s+")
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"<(p|h[2-4])>(.*?)</\1>")


def compact(text: str) -> str:
    return WHITESPACE.sub("", text.replace("**", ""))


def seed_issues() -> dict[str, object]:
    issues = {}
    for path in sorted(SEEDS.glob("*.txt")):
        issue = parse_text(path.read_text(encoding="utf-8"), name=path.name)
        issues[f"{issue.year}-{issue.number}"] = issue
    return issues


SEED_ISSUES = seed_issues()
OTHER_LAYOUTS = {  # (style, seed): how another program laid the seed out
    ("word", "2023-9"): lambda issue: word_style(issue),
    ("word", "2020-364"): lambda issue: word_style(issue, toc_pages=False),
    ("plain", "2023-454"): plain_style,
    ("plain", "2020-365"): plain_style,
}


def structure(issue, *, paragraphs: bool = True, text_only: bool = False) -> dict:
    """What must survive the round trip: masthead, columns, titles, bylines, sources, 版记, text.

    Titles are compared without spaces (a printed title is broken into lines where its spaces
    were). Extracted text cannot show which line of a title is its subtitle: there the two are
    compared together."""
    def title(article):
        return compact(article.title + article.subtitle) if text_only else compact(article.title)

    facts = {
        "masthead": (issue.publication_prefix, issue.publication, issue.marking, issue.year, issue.number,
                     issue.total_number, issue.date, compact("".join(issue.issuing_office))),
        "articles": [(column.name, title(a), "" if text_only else compact(a.subtitle), compact(a.byline),
                      compact(a.source)) for column in issue.columns for a in column.articles],
        "distribution": [(role, compact(text)) for role, text in issue.distribution],
        "editorial": compact(issue.editorial_block),
        "text": compact("".join(TAG.sub("", a.body_html) for a in issue.articles)),
    }
    if paragraphs:
        facts["paragraphs"] = [[(kind, compact(TAG.sub("", text)))
                                for kind, text in BLOCK.findall(a.body_html)] for a in issue.articles]
    return facts


@pytest.fixture(scope="module")
def own_pdfs(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    """Our own print of every seed, rendered from the imported seed and rolled back."""
    pdfs = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for path in sorted(SEEDS.glob("*.txt")):
            assert archive_import_file(path=path).ok
        for issue in Issue.objects.select_related("publication"):
            pdfs[f"{issue.year}-{issue.number}"] = render_issue_pdf(issue, use_cache=False)
        transaction.set_rollback(True)
    return pdfs


@pytest.fixture(scope="module")
def other_pdfs() -> dict[tuple[str, str], bytes]:
    return {key: write_pdf(layout(SEED_ISSUES[key[1]])) for key, layout in OTHER_LAYOUTS.items()}


def pdftotext(pdf: bytes, tmp_path: Path, *, layout: bool) -> bytes:
    source = tmp_path / "in.pdf"
    source.write_bytes(pdf)
    target = tmp_path / "out.txt"
    subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(source), str(target)],  # noqa: S603, S607
                   check=True)
    return target.read_bytes()


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


# ---- PDFs --------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(SEED_ISSUES))
def test_our_own_pdf_of_a_seed_reads_back_to_the_seed(own_pdfs, key):
    seed = SEED_ISSUES[key]
    [issue] = parse_archive_bytes(own_pdfs[key], name=f"{key}.pdf")
    assert structure(issue) == structure(seed)
    assert [a.toc_title and compact(a.toc_title) for a in issue.articles] == \
        [a.toc_title and compact(a.toc_title) for a in seed.articles]
    assert issue.doubts == []
    assert issue.read_from_layout
    # The page numbers are dropped and listed, page by page.
    numbers = [(s.page, s.text) for s in issue.skipped if s.reason == "页码"]
    assert numbers[0] == (1, "— 1 —")
    assert [page for page, _ in numbers] == list(range(1, len(numbers) + 1))


def test_our_pdf_gives_the_print_run_it_printed(own_pdfs):
    """Re-printing an imported issue reproduces its 共印 line: 第454期 printed none, 第9期 2000."""
    [jiangsu] = parse_archive_bytes(own_pdfs["2023-454"], name="454.pdf")
    assert jiangsu.print_run is None
    assert not any("共印" in s.text for s in jiangsu.skipped)
    [hebei] = parse_archive_bytes(own_pdfs["2023-9"], name="9.pdf")
    assert (hebei.print_run, hebei.settings.toc_shows_pages, hebei.settings.column_decoration) == \
        (2000, True, "bullet")
    assert hebei.issuing_office == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert hebei.editorial_block.splitlines()[0] == \
        "编辑：《党委中心组理论学习通讯》编辑部 电话：（0311）83012929"
    article = hebei.articles[4]
    assert (article.title, article.subtitle, article.byline) == (
        "彰显理论价值 凝聚实践伟力", "——《新阶段新特点新探索·2023》出版发行",
        "河北省社会科学院政治文化教研处 贾玉娥")


@pytest.mark.parametrize("layout", sorted(OTHER_LAYOUTS))
def test_a_pdf_laid_out_by_another_program_reads_back_to_the_seed(other_pdfs, layout):
    style, key = layout
    seed = SEED_ISSUES[key]
    [issue] = parse_archive_bytes(other_pdfs[layout], name=f"{style}-{key}.pdf")
    assert structure(issue) == structure(seed)
    assert issue.doubts == []
    reasons = {s.reason for s in issue.skipped}
    if style == "word":
        # `- 2 -` at the foot, the publication's name at the head of every page after the first.
        assert {"页码", "页眉页脚"} <= reasons
        assert issue.settings.toc_shows_pages == (key == "2023-9")
    else:
        assert [s.text for s in issue.skipped if s.reason == "页码"][:2] == ["第 1 页", "第 2 页"]
        assert issue.settings.column_decoration == "bullet"


def test_the_pdf_reader_keeps_every_printed_line_or_lists_it(other_pdfs):
    """No character is lost: every printed character is in a logical line or in the skipped list."""
    pdf = other_pdfs[("word", "2023-9")]
    read = read_pdf(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        printed = compact("".join(c["text"] for page in document.pages for c in page.chars))
    kept = compact("".join(line.text for line in read.lines)) + compact("".join(s.text for s in read.skipped))
    assert sorted(printed) == sorted(kept)


def test_import_a_pdf_through_the_command(own_pdfs, tmp_path):
    path = tmp_path / "工作简报-2023-454.pdf"
    path.write_bytes(own_pdfs["2023-454"])
    out = StringIO()
    call_command("import_archive", str(tmp_path), stdout=out)
    report = out.getvalue()
    assert ("建设学习型党组织、学习型领导班子 工作简报 2023年第454期：新建（栏目 3 个，文章 4 篇，"
            "段落 21 段，分发行 2 行）") in report
    assert "  栏目“经验交流”：1 篇" in report
    assert "  版记 送：省协调小组成员单位、省级机关各部委办厅局" in report
    assert "跳过第 2 页第 22 行（页码）：— 2 —" in report
    issue = Issue.objects.get(number=454)
    assert issue.articles.count() == 4
    assert issue.articles.get(position=3).title == "苏州、盐城、扬州市委理论学习中心组 开展交流学习研讨"


# ---- text extracted by pdftotext ----------------------------------------------------------

# What pdftotext makes of each PDF: read exactly, or held back with the doubt it raises. The
# seed 2020-365 prints a TOC title (张家港：构建“抗疫+冬训”…) that differs from its body title
# (…构建完善…); in extracted text that near match is a doubt the editor must confirm.
EXTRACTED_IN_DOUBT = {
    ("own", "2020-365", False), ("own", "2020-365", True), ("plain", "2020-365", False),
    ("plain", "2020-365", True), ("word", "2023-9", True),
}


@needs_pdftotext
@pytest.mark.parametrize("layout_mode", [False, True], ids=["plain", "layout"])
@pytest.mark.parametrize("source", [("own", key) for key in sorted(SEED_ISSUES)] + sorted(OTHER_LAYOUTS))
def test_pdftotext_output_is_read_as_the_seed_or_held_back(own_pdfs, other_pdfs, tmp_path, source,
                                                           layout_mode):
    style, key = source
    pdf = own_pdfs[key] if style == "own" else other_pdfs[source]
    text = pdftotext(pdf, tmp_path, layout=layout_mode)
    seed = SEED_ISSUES[key]
    [issue] = parse_archive_bytes(text, name="extracted.txt")
    assert issue.read_from_layout
    if (style, key, layout_mode) in EXTRACTED_IN_DOUBT:
        assert issue.doubts
        result = archive_import_file(content=text, name="extracted.txt")
        assert result.error.startswith("extracted.txt：读出的结构有 ")
        assert Issue.objects.count() == 0
        return
    assert issue.doubts == []
    expected = structure(seed, paragraphs=False, text_only=True)
    assert structure(issue, paragraphs=False, text_only=True) == expected
    assert any(s.reason == "页码" for s in issue.skipped)


@needs_pdftotext
def test_pdftotext_of_454_imports_with_its_four_articles(own_pdfs, tmp_path):
    """The issue's example: the text of 第454期 was refused, or read as 3 articles."""
    text = pdftotext(own_pdfs["2023-454"], tmp_path, layout=False)
    result = archive_import_file(content=text, name="454.txt")
    assert result.ok, result.error
    assert result.issues[0].articles == 4
    assert [a.title for a in Issue.objects.get().articles.order_by("position")] == [
        "江苏省委常委会议召开 信长星主持并讲话",
        "信长星在全省宣传思想文化工作会议上强调 坚持以习近平文化思想为引领 "
        "在建设中华民族现代文明上探索新经验",
        "镇江市：强化示范带动 规范学习管理 持续推动中心组学习不断走深走实",
        "苏州、盐城、扬州市委理论学习中心组 开展交流学习研讨",
    ]


# ---- refusals and doubts ------------------------------------------------------------------

def counts():
    return [model.objects.count() for model in (Publication, Issue, Article, Organisation)]


def test_a_scanned_pdf_is_refused_with_a_message_and_saves_nothing():
    png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    pdf = write_pdf(f'<html><body><img src="data:image/png;base64,{png}" style="width:18cm"></body></html>')
    result = archive_import_file(content=pdf, name="扫描件.pdf")
    assert result.error == ("扫描件.pdf：这是扫描件（页面只有图像，没有文字层），无法读取文字："
                            "请先用文字识别（OCR）软件处理，或上传由 Word、WPS 等导出的 PDF 或提取的文本。")
    assert counts() == [0, 0, 0, 0]


def test_a_damaged_pdf_is_refused_with_a_message_and_saves_nothing(own_pdfs):
    damaged = own_pdfs["2023-454"][:4000]
    result = archive_import_file(content=damaged, name="坏文件.pdf")
    assert result.error == "坏文件.pdf：PDF 文件已损坏或不完整，无法读取：请重新导出或复制原文件后再上传。"
    assert counts() == [0, 0, 0, 0]


NOT_PDF = ("不是有效的 PDF 文件（内容不是 PDF，可能是改了扩展名的文本或其他文件）：请上传印发的 PDF 原件，"
           "从 PDF 提取的文本请存为 .txt。")


@pytest.mark.parametrize("content", [
    (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_bytes(),  # a bulletin's text, renamed
    b"\x8f\x02\xd1\x00" * 300,
    "只是一段文字。".encode(),
], ids=["bulletin-text", "random-bytes", "short-text"])
def test_a_file_named_pdf_that_is_no_pdf_is_refused_as_such_and_saves_nothing(content):
    result = archive_import_file(content=content, name="第454期.PDF")
    assert result.error == f"第454期.PDF：{NOT_PDF}"
    assert counts() == [0, 0, 0, 0]


def test_the_import_command_refuses_a_file_named_pdf_that_is_no_pdf(tmp_path):
    (tmp_path / "x.pdf").write_text("只是一段文字。", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="共 1 个文件，成功 0 个，失败 1 个。"):
        call_command("import_archive", str(tmp_path), stdout=out)
    assert f"导入失败：{tmp_path / 'x.pdf'}：{NOT_PDF}" in out.getvalue()
    assert counts() == [0, 0, 0, 0]


def toc_body_disagreement() -> bytes:
    """Seed 第454期 with the title of its third article lost from the body: the TOC names it,
    the body runs it into the article before."""
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    title = "镇江市：强化示范带动 规范学习管理 持续推动中心组学习不断走深走实"
    body_start = text.index("【上情下达】", text.index("【学习动态】"))
    body = text[body_start:].replace(f"【经验交流】\n\n{title}\n\n", "", 1)
    return (text[:body_start] + body).encode()


def test_a_toc_article_missing_from_the_body_needs_confirmation(tmp_path):
    content = toc_body_disagreement()
    result = archive_import_file(content=content, name="454.txt")
    assert result.error == ("454.txt：读出的结构有 1 处存疑，未导入。请核对预览中的结构，"
                            "确认无误后在预览中勾选“已核对，仍然导入”（命令行加 --accept-warnings）。")
    assert result.doubts == ["第 18 行：目录中的《镇江市：强化示范带动 规范学习管理 "
                             "持续推动中心组学习不断走深走实》在正文中未找到，正文中可能与其他文章合在一起。"]
    assert "  存疑：" + result.doubts[0] in result.report_lines()
    assert counts() == [0, 0, 0, 0]

    path = tmp_path / "454.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="失败 1 个"):
        call_command("import_archive", str(path), stdout=StringIO())
    assert counts() == [0, 0, 0, 0]
    call_command("import_archive", str(path), "--accept-warnings", stdout=StringIO())
    assert Issue.objects.get().articles.count() == 3


def test_a_title_found_twice_is_a_doubt():
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    title = "江苏省委常委会议召开 信长星主持并讲话"
    doubled = text.replace("【经验交流】\n\n镇江市", f"{title}\n\n【经验交流】\n\n镇江市", 1)
    doubled = doubled.replace("持续推动中心组学习不断走深走实\n\n近年来",
                              f"持续推动中心组学习不断走深走实\n\n{title}\n\n近年来")
    [issue] = parse_archive_bytes(doubled.encode(), name="x.txt")
    assert any("在正文中出现两次" in doubt for doubt in issue.doubts)


def test_an_article_far_longer_than_the_others_is_a_doubt():
    """Four articles read as three: the one that swallowed the next is far longer."""
    text = (SEEDS / "004_ceb4e9f67c3b5b87.txt").read_text(encoding="utf-8")
    issue = parse_text(text, name="x.txt")
    first = issue.articles[0]
    first.body_html += "".join(a.body_html for a in issue.articles[1:4])
    ctx = context_for_text(text)
    check_lengths(ctx, issue)
    [doubt] = ctx.doubts
    assert re.fullmatch(r"第 \d+ 行：《中宣部中组部印发意见 提高党委中心组学习质量》有 \d+ 字，是其他文章"
                        r"（中位数 \d+ 字）的 \d\.\d 倍，可能把后面的文章并入了这一篇，请核对。", doubt)


def test_without_a_toc_a_title_run_into_a_paragraph_is_a_doubt():
    """Without a TOC the parser sees a title only at the head of a column or after a source
    line: a second title in a column is taken for a paragraph, which the report must say."""
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    toc_end = text.index("【上情下达】", text.index("【学习动态】"))
    no_toc = text[:text.index("【上情下达】")] + text[toc_end:]
    issue = parse_text(no_toc, name="x.txt")
    assert len(issue.articles) == 3
    assert any(doubt.endswith("“信长星在全省宣传思想文化工作会议上强调 坚持以习近平文化思想为引领 "
                              "在建设中华民族现代文明上探索新经验”像是一篇文章的标题，但没有目录可以对照，"
                              "已作为段落的开头并入下一段，请核对是否漏分了文章。") for doubt in issue.doubts)


def test_seeds_have_no_doubts():
    assert {key: issue.doubts for key, issue in SEED_ISSUES.items()} == {key: [] for key in SEED_ISSUES}


@pytest.mark.django_db
@pytest.mark.parametrize("seed_name", ["000_7a2bf2f7cbdeabb6.txt", "004_ceb4e9f67c3b5b87.txt"])
def test_our_pdf_of_an_issue_with_an_editor_note_reimports_unchanged(seed_name, tmp_path):
    assert archive_import_file(path=SEEDS / seed_name).ok
    issue = Issue.objects.get()
    note = "现将有关情况刊发，供各地学习借鉴。\n请结合实际抓好落实。"
    Issue.objects.filter(pk=issue.pk).update(editor_note=note)  # test set-up: the issue as printed
    issue.refresh_from_db()
    pdf = render_issue_pdf(issue, use_cache=False)
    [read] = parse_archive_bytes(pdf, name="印发.pdf")
    assert read.doubts == []
    assert compact(read.editor_note) == compact(note)
    assert len(read.articles) == issue.articles.count()
    result = archive_import_file(content=pdf, name="印发.pdf")
    assert result.error is None
    assert [report.action for report in result.issues] == ["未变化"]
    # (Extracted text cannot tell a subtitle from its title: only an issue without one is
    # unchanged read from it.)
    if shutil.which("pdftotext") and not any(article.subtitle for article in read.articles):
        text = pdftotext(pdf, tmp_path, layout=False)
        again = archive_import_file(content=text, name="印发.txt")
        assert again.error is None, again.doubts
        assert [report.action for report in again.issues] == ["未变化"]


def test_radicals_a_producer_maps_ideographs_to_are_read_as_the_ideographs():
    from bulletins.text import fold_radicals

    assert fold_radicals("领导班⼦ ⼯作简报 信⻓星 中华⺠族 2023年11⽉25⽇") == (
        "领导班子 工作简报 信长星 中华民族 2023年11月25日")
    assert fold_radicals("工作简报（第1期）") == "工作简报（第1期）"
    assert fold_radicals("家喻⼾晓") == "家喻户晓"  # not 戶, the compatibility mapping
