"""Word manuscripts into articles: structure, images, bad files, the command."""

import io
import zipfile
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bulletins.headings import heading_level
from bulletins.manuscripts import read_manuscript
from bulletins.models import Article, Issue
from bulletins.sanitize import sanitize_html
from bulletins.services.manuscripts import import_manuscript, manuscript_create_article
from bulletins.text import han_count
from tests.factories import ArticleFactory, ColumnFactory, IssueFactory
from tests.manuscripts import (
    BYLINE,
    OFFICIAL_BODY,
    SOURCE,
    SUBTITLE,
    TITLE,
    auto_numbered_manuscript,
    empty_manuscript,
    gif,
    official_manuscript,
    png,
    wps_manuscript,
)


def test_heading_levels_follow_the_numbering_text():
    assert heading_level("一、突出学习重点") == 1
    assert heading_level("十二、其他") == 1
    assert heading_level("（一）坚持读原著") == 2
    assert heading_level("(三)创新形式") == 2
    assert heading_level("1.建立学习制度") == 3
    assert heading_level("2．落实学习责任") == 3
    assert heading_level("（1）每月集中学习一次") == 3
    # Sentences that start with a number are body text.
    assert heading_level("1.建立学习制度。每月学习一次，形成常态。") == 0
    assert heading_level("1.建立学习制度。") == 0
    assert heading_level("2023年，全市召开会议") == 0
    assert heading_level("一是加强学习") == 0
    assert heading_level("一、" + "长" * 60) == 0


def test_han_count_counts_chinese_characters_only():
    assert han_count("会议强调，要坚定维护党中央集中统一领导。") == 18
    assert han_count("Word 2024 加强学习") == 4
    assert han_count("𠀀㐀") == 2


def test_official_manuscript_gives_the_article_parts_and_body_structure():
    manuscript = read_manuscript(name="镇江.docx", content=official_manuscript())
    assert (manuscript.title, manuscript.subtitle, manuscript.byline, manuscript.source) == (
        TITLE, SUBTITLE, BYLINE, SOURCE)
    assert manuscript.editor_note == ""
    assert manuscript.body_html == OFFICIAL_BODY.format(image="/media/pending-image-1")
    assert manuscript.warnings == []
    assert [image.extension for image in manuscript.images] == ["png"]
    assert manuscript.han_count == han_count(
        "今年以来镇江市着眼于加强中心组学习取得明显成效一突出学习重点一坚持读原著聚力高位谋划坚持把学习贯彻作为"
        "首要政治任务建立学习制度每月集中学习一次区县场次京口区二创新学习形式领导带头学专题研讨学通过以上措施"
        "学习质量明显提升")
    # The body is already what the allow-list keeps.
    assert sanitize_html(manuscript.body_html) == manuscript.body_html
    assert 'src="data:image/png;base64,' in manuscript.preview_html()


def test_wps_manuscript_title_style_byline_editor_note_and_style_names_ignored():
    manuscript = read_manuscript(name="省委.docx", content=wps_manuscript())
    assert manuscript.title == "省委理论学习中心组举行集体学习"
    assert manuscript.byline == "临西县委常委、组织部部长 卫建豪"
    assert manuscript.editor_note == "近日，省委理论学习中心组举行集体学习，现将有关情况刊发。"
    assert manuscript.subtitle == manuscript.source == ""
    assert manuscript.body_html == (
        "<p>会议指出，要深入学习贯彻党的创新理论。</p>"
        "<h2>一、提高政治站位</h2>"  # the full-width space after 一、 goes
        "<h3>（一）强化理论武装</h3>"  # Word's 标题 1, but the numbering says level 2
        "<p>抓好专题学习</p>"  # Word's 标题 2 without numbering is body text
        "<h4>2．落实学习责任</h4>"
        "<p>会议强调，各级党组织要把学习成果转化为推动工作的实际成效。</p>")  # 　　 indent gone


def test_chinese_counting_as_word_writes_it():
    from bulletins.manuscripts import _chinese_number

    assert [_chinese_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 99)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十九"]


def test_headings_numbered_by_words_numbering_are_read_like_typed_ones():
    manuscript = read_manuscript(name="报告.docx", content=auto_numbered_manuscript())
    assert manuscript.title == "关于加强理论学习的情况报告"
    assert manuscript.body_html == (
        "<h2>一、总体情况</h2>"
        "<p>全年共组织集体学习十二次。</p>"
        "<h2>二、主要做法</h2>"
        "<h3>（一）坚持读原著</h3>"
        "<h4>1.建立学习制度</h4>"
        "<h4>2.落实学习责任</h4>"
        "<h3>（二）丰富学习形式</h3>"
        "<h4>1.建立学习制度</h4>"  # a deeper level restarts under a new parent
        "<ul><li>领导带头学</li><li>专题研讨学</li></ul>")


@pytest.mark.django_db
def test_import_creates_the_article_with_its_image_stored_like_uploads(settings):
    issue = IssueFactory()
    first = ColumnFactory(publication=issue.publication, name="上情下达", position=1)
    second = ColumnFactory(publication=issue.publication, name="经验交流", position=2)
    ArticleFactory(issue=issue, column=first, position=0, title="甲")
    ArticleFactory(issue=issue, column=second, position=1, title="乙")
    result = import_manuscript(issue=issue, column=first, name="镇江.docx", content=official_manuscript())
    assert result.ok, result.error
    article = result.article
    assert (article.title, article.subtitle, article.byline, article.source) == (TITLE, SUBTITLE, BYLINE,
                                                                                SOURCE)
    (url,) = [part.split('"')[0] for part in article.body.split('src="')[1:]]
    assert url.startswith("/media/article-images/") and url.endswith(".png")
    assert (settings.MEDIA_ROOT / unquote(url.removeprefix("/media/"))).read_bytes() == png()
    assert article.body == OFFICIAL_BODY.format(image=url)
    # Placed at the end of its column, before the next column's articles.
    assert list(issue.articles.order_by("position").values_list("title", flat=True)) == ["甲", TITLE, "乙"]


@pytest.mark.django_db
def test_an_image_of_another_type_is_left_out_with_a_warning():
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    result = import_manuscript(issue=issue, column=column, name="a.docx", content=official_manuscript(gif()))
    assert result.ok
    assert result.manuscript.warnings == [
        "“第 1 张图片”不是 JPEG 或 PNG 图片，只能插入这两种格式的图片。该图片未导入。"]
    assert "<img" not in result.article.body
    assert '<figure class="table">' in result.article.body


def _damaged(raw: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    return out.getvalue()


BAD_FILES = [
    ("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "“旧稿.doc”是旧版 Word/WPS 格式，无法读取。请在 Word 或 WPS 中“另存为” .docx 文件后再导入。"),
    ("改名.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "“改名.docx”是旧版 Word/WPS 格式，无法读取。请在 Word 或 WPS 中“另存为” .docx 文件后再导入。"),
    ("截断.docx", official_manuscript()[:3000], "“截断.docx”已损坏或不是 Word 文档（.docx），无法读取。"),
    ("损坏.docx", _damaged(official_manuscript()), "“损坏.docx”已损坏，无法读取其中的内容。"),
    ("空白.docx", empty_manuscript(), "“空白.docx”中没有文字，无法导入。"),
    ("通知.pdf", b"%PDF-1.4\n", "“通知.pdf”不是 Word 文档（.docx），无法导入。"),
    ("零.docx", b"", "“零.docx”是空文件。"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_get_their_message_and_create_nothing(name, content, message, settings):
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    result = import_manuscript(issue=issue, column=column, name=name, content=content)
    assert result.error == message
    assert not Article.objects.exists()
    assert not (settings.MEDIA_ROOT / "article-images").exists()


@pytest.mark.django_db
def test_oversized_file_is_refused(settings):
    settings.MANUSCRIPT_MAX_FILE_SIZE_MB = 1
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    content = official_manuscript() + b"\0" * (1024 * 1024)
    result = import_manuscript(issue=issue, column=column, name="大.docx", content=content)
    assert result.error == (f"“大.docx”有 {len(content) / 1024 / 1024:.1f} MB，超过了 1 MB 的上限。"
                            "请压缩其中的图片后再导入。")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_nothing_is_created_in_an_issue_that_is_not_a_draft(settings):
    issue = IssueFactory(status=Issue.Status.PUBLISHED)
    column = ColumnFactory(publication=issue.publication)
    result = import_manuscript(issue=issue, column=column, name="a.docx", content=official_manuscript())
    assert result.error.startswith("“a.docx”未能导入：")
    assert "已印发" in result.error
    assert not Article.objects.exists()
    assert not (settings.MEDIA_ROOT / "article-images").exists()


@pytest.mark.django_db
def test_images_stored_before_a_failure_are_removed(settings, monkeypatch):
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    manuscript = read_manuscript(name="a.docx", content=official_manuscript())

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("bulletins.services.manuscripts.article_create", fail)
    with pytest.raises(RuntimeError):
        manuscript_create_article(issue=issue, column=column, manuscript=manuscript)
    assert list((settings.MEDIA_ROOT / "article-images").iterdir()) == []


@pytest.mark.django_db
def test_command_imports_all_the_files_or_none(tmp_path, capsys):
    issue = IssueFactory()
    ColumnFactory(publication=issue.publication, name="经验交流")
    good = tmp_path / "镇江.docx"
    good.write_bytes(official_manuscript())
    wps = tmp_path / "省委.docx"
    wps.write_bytes(wps_manuscript())
    bad = tmp_path / "旧稿.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    nothing = "共 3 个文件，失败 1 个；要么全部导入，要么都不导入，所以一篇也没有导入。"
    with pytest.raises(CommandError, match=nothing):
        call_command("import_manuscript", "--issue", str(issue.pk), "--column", "经验交流",
                     str(good), str(bad), str(wps))
    output = capsys.readouterr()
    assert "“旧稿.doc”是旧版 Word/WPS 格式" in output.err
    assert not issue.articles.exists()

    call_command("import_manuscript", "--issue", str(issue.pk), "--column", "经验交流", str(good), str(wps))
    assert f"镇江.docx：《{TITLE}》" in capsys.readouterr().out
    assert list(issue.articles.values_list("title", flat=True)) == [TITLE, "省委理论学习中心组举行集体学习"]
    with pytest.raises(CommandError, match="没有栏目“不存在”。现有栏目：经验交流"):
        call_command("import_manuscript", "--issue", str(issue.pk), "--column", "不存在", str(good))


@pytest.mark.django_db
def test_an_issue_assembled_from_word_files_prints_as_the_layout_wants():
    from bulletins.rendering.pdf import render_issue_pdf
    from tests.printing import BLOCK_LEFT_MM, Measured, mm

    issue = IssueFactory()
    first = ColumnFactory(publication=issue.publication, name="上情下达", position=1)
    second = ColumnFactory(publication=issue.publication, name="经验交流", position=2)
    assert import_manuscript(issue=issue, column=first, name="省委.docx", content=wps_manuscript()).ok
    assert import_manuscript(issue=issue, column=second, name="镇江.docx",
                             content=official_manuscript(png((400, 240), "steelblue"))).ok
    pdf = Measured(render_issue_pdf(issue))
    titles = "".join(pdf.titles_by_page().values())
    assert "省委理论学习中心组举行集体学习" in titles
    assert TITLE.replace(" ", "") in titles.replace(" ", "")
    text = "".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1))
    for heading in ("一、提高政治站位", "（一）强化理论武装", "2．落实学习责任", "一、突出学习重点"):
        assert heading in text
    # The number sits close to its heading (WPS's full-width space after 一、 is gone).
    chars = [c for n in range(1, len(pdf.pages) + 1) for c in pdf.chars(n)]
    found = [i for i, c in enumerate(chars[:-1]) if c["text"] == "、" and chars[i + 1]["text"] == "提"]
    assert found
    for index in found:
        assert chars[index + 1]["x0"] - chars[index]["x1"] < 1
        # Indented two characters like the body (the block starts 28 mm from the left).
        assert abs(mm(chars[index - 1]["x0"]) - BLOCK_LEFT_MM - 2 * mm(chars[index]["size"])) < 1
    # The source line ends at the right edge of the text block (28 + 156 mm).
    closing = [c for c in chars if c["text"] == "）" and chars[chars.index(c) - 1]["text"] == "部"]
    assert closing and abs(mm(closing[-1]["x1"]) - 184) < 1
    # The embedded picture is drawn once, within the text block.
    placed = [image for page in pdf.pages for image in page.images]
    assert [tuple(image["srcsize"]) for image in placed] == [(400, 240)]
    assert mm(placed[0]["x0"]) >= BLOCK_LEFT_MM and mm(placed[0]["x1"]) <= 184
