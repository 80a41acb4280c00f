"""The article editor in headless Chromium: version, Chinese interface, 字数, paste from Word/WPS."""

import io
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from PIL import Image

from bulletins.sanitize import sanitize_html
from tests.editorial.test_browser import chromium
from tests.factories import ArticleFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    with chromium() as browser:
        # These tests inspect the editor by evaluating expressions, which the CSP forbids;
        # test_browser_csp.py drives the editor with the policy in force.
        page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="zh-CN", bypass_csp=True)
        page.set_default_timeout(15000)
        page.on("dialog", lambda dialog: pytest.fail(f"browser alert: {dialog.message}"))
        yield page


@pytest.fixture
def article_page(page, live_server):
    User.objects.create_superuser("zhubian", password="mima-12345")
    article = ArticleFactory(body="<p>会议强调，要坚定维护党中央集中统一领导。</p>")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "zhubian")
    page.fill("#id_password", "mima-12345")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/bulletins/article/{article.pk}/change/")
    page.wait_for_selector(".ck-editor__editable")
    page.wait_for_function("Object.keys(window.editors || {}).length === 1")
    return page


def _data(page) -> str:
    return page.evaluate("Object.values(window.editors)[0].getData()")


def _paste(page, html: str) -> None:
    page.locator(".ck-editor__editable").click()
    page.keyboard.press("Control+End")
    page.evaluate("""html => {
        const editable = document.querySelector('.ck-editor__editable');
        const transfer = new DataTransfer();
        transfer.setData('text/html', html);
        transfer.setData('text/plain', editable.innerText);
        editable.dispatchEvent(new ClipboardEvent('paste', {clipboardData: transfer, bubbles: true,
                                                              cancelable: true}));
    }""", html)


def test_editor_is_current_chinese_and_counts_chinese_characters(article_page):
    page = article_page
    version = page.evaluate("window.CKEDITOR_VERSION")
    assert tuple(map(int, version.split("."))) >= (48, 5, 1)
    assert page.locator(".ck-toolbar [data-cke-tooltip-text^='加粗']").count() == 1
    assert page.locator(".ck-toolbar [data-cke-tooltip-text^='撤销']").count() == 1
    # 会议强调，要坚定维护党中央集中统一领导。 has 18 汉字 (punctuation is not counted).
    assert page.locator(".bulletin-han-count").inner_text() == "字数：18"
    page.locator(".ck-editor__editable").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("Word 2024 加强学习")
    page.wait_for_function(
        "document.querySelector('.bulletin-han-count').textContent === '字数：22'")
    assert "单词" not in page.content()


def test_headings_look_like_their_printed_levels(article_page):
    page = article_page
    page.evaluate("Object.values(window.editors)[0].setData("
                  "'<h2>一、总体要求</h2><h3>（一）强化理论武装</h3><h4>1.建立制度</h4><p>正文。</p>')")
    styles = page.evaluate("""() => Object.fromEntries(['h2', 'h3', 'h4', 'p'].map(tag => {
        const style = getComputedStyle(document.querySelector('.ck-content ' + tag));
        return [tag, {family: style.fontFamily, size: style.fontSize, indent: style.textIndent}];
    }))""")
    assert {style["size"] for style in styles.values()} == {"18px"}
    assert {style["indent"] for style in styles.values()} == {"36px"}
    assert "SimHei" in styles["h2"]["family"] and "Noto Sans CJK SC" in styles["h2"]["family"]
    assert "KaiTi" in styles["h3"]["family"] and "LXGW WenKai" in styles["h3"]["family"]
    assert styles["h4"]["family"] == styles["p"]["family"]
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/editor-headings.png", full_page=True)


def test_paste_from_word_keeps_structure_sets_headings_by_numbering_and_drops_images(article_page):
    page = article_page
    page.evaluate("Object.values(window.editors)[0].setData('')")
    _paste(page, (FIXTURES / "paste_word.html").read_text(encoding="utf-8"))
    raw = _data(page)
    # The editor itself keeps no fonts, colours or styles; the server's allow-list is the gate.
    assert not re.search(r"style=|font|color|class=\"Mso|<span|<o:p", raw)
    stored = sanitize_html(raw)
    assert stored == (
        "<h2>一、提高政治站位</h2>"
        "<h3>（一）强化理论武装</h3>"
        "<p><strong>聚力高位谋划。</strong>坚持把学习贯彻作为首要政治任务。</p>"
        "<h4>1.建立学习制度</h4>"
        "<h2>二、加强组织领导</h2>"
        '<figure class="table"><table><tbody>'
        "<tr><td><strong>单位</strong></td><td>参学人数</td></tr>"
        "<tr><td>一、市委办公室</td><td>32</td></tr>"
        "</tbody></table></figure>"
        "<h2>三、强化成果运用</h2>"  # numbered by Word's list numbering, not typed
        "<ul><li>领导带头学</li><li>专题研讨学</li></ul>"
    )
    assert page.locator(".bulletin-editor-message").inner_text().startswith(
        "图片未粘贴：粘贴的内容中有 1 张图片未能带入，已删除。请把图片另存为 JPEG 或 PNG 文件，"
        "再用“上传图片”按钮插入。")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/editor-paste-word.png", full_page=True)


def test_paste_from_wps(article_page):
    page = article_page
    page.evaluate("Object.values(window.editors)[0].setData('')")
    _paste(page, (FIXTURES / "paste_wps.html").read_text(encoding="utf-8"))
    raw = _data(page)
    assert not re.search(r"style=|font|color|<span|file:|example\.com", raw)
    stored = sanitize_html(raw)
    assert stored == (
        "<p>镇江市：强化示范带动</p>"
        "<h2>一、突出学习重点</h2>"
        "<h3>（二）丰富学习形式</h3>"
        "<p><strong>坚持读原著。</strong>各级党组织（1）采取集中学习的方式。</p>"
        "<h4>（1）认真组织专题辅导</h4>"
        "<ol><li>第一项</li><li>第二项</li></ol>"
        '<figure class="table"><table><tbody>'
        "<tr><td>区县</td><td>场次</td></tr><tr><td>京口区</td><td>12</td></tr>"
        "</tbody></table></figure>"
        "<p>（镇江市委宣传部）</p>"
    )
    assert "有 2 张图片未能带入" in page.locator(".bulletin-editor-message").inner_text()


def _png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_upload_messages_are_chinese(article_page, tmp_path):
    page = article_page
    pdf = tmp_path / "通知.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files(".ck-toolbar input[type=file]", str(pdf))
    page.wait_for_selector(".bulletin-editor-message")
    assert page.locator(".bulletin-editor-message").last.inner_text().startswith(
        "文件类型不符：“通知.pdf”不是 JPEG 或 PNG 图片，未插入。")

    broken = tmp_path / "照片.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    page.set_input_files(".ck-toolbar input[type=file]", str(broken))
    page.wait_for_function("document.querySelectorAll('.bulletin-editor-message').length === 2")
    assert page.locator(".bulletin-editor-message").last.inner_text().startswith(
        "上传失败：“照片.png”不是有效的图片文件，可能已损坏。")

    good = tmp_path / "合影.png"
    good.write_bytes(_png())
    page.set_input_files(".ck-toolbar input[type=file]", str(good))
    page.wait_for_function("Object.values(window.editors)[0].getData().includes('/media/article-images/')")
    assert re.search(r"<img [^>]*src=\"/media/article-images/[^\"]+\.png\"", _data(page))


def test_editor_imports_two_word_files_edits_one_and_the_preview_follows(page, live_server, tmp_path):
    from django.contrib.auth.models import Group

    from editorial.permissions import EDITOR_GROUP
    from tests.factories import ColumnFactory, IssueFactory
    from tests.manuscripts import TITLE, official_manuscript, wps_manuscript

    issue = IssueFactory()
    ColumnFactory(publication=issue.publication, name="上情下达", position=1)
    ColumnFactory(publication=issue.publication, name="经验交流", position=2)
    user = User.objects.create_user("bianji", password="mima-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    (tmp_path / "镇江.docx").write_bytes(official_manuscript())
    (tmp_path / "省委.docx").write_bytes(wps_manuscript())

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "bianji")
    page.fill("#id_password", "mima-12345")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/")
    page.click("text=导入Word稿件")
    page.select_option("#id_column", label="经验交流")
    page.set_input_files("#id_files", [str(tmp_path / "镇江.docx"), str(tmp_path / "省委.docx")])
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/manuscript-upload.png")
    page.click("input[type=submit]")
    page.wait_for_selector(".manuscript-body")
    assert page.locator(".manuscript-body h2").first.inner_text() == "一、突出学习重点"
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/manuscript-preview.png", full_page=True)
    page.click("text=确认导入 2 篇文章")
    page.wait_for_selector(".messagelist .success")
    assert "已在栏目“经验交流”导入 2 篇文章" in page.locator(".messagelist .success").inner_text()

    # Drag the WPS manuscript into the other (still empty) column.
    from tests.editorial.test_browser import _drag

    page.goto(f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/")
    with page.expect_response(lambda response: "/articles/arrange/" in response.url) as saved:
        _drag(page, page.locator(".assembly-article", has_text="省委理论学习中心组举行集体学习"),
              page.locator(".assembly-column", has_text="上情下达").locator(".assembly-articles"))
    assert saved.value.ok
    page.wait_for_selector("#assembly")
    assert issue.articles.get(title__startswith="省委理论学习中心组").column.name == "上情下达"

    article = issue.articles.get(title=TITLE)
    page.goto(f"{live_server.url}/admin/bulletins/article/{article.pk}/change/")
    page.wait_for_function("Object.keys(window.editors || {}).length === 1")
    assert page.locator(".ck-content h2").first.inner_text() == "一、突出学习重点"
    page.locator(".ck-content p", has_text="取得明显成效").click()
    page.keyboard.press("End")
    page.keyboard.type("全年举办专题读书班三期。")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/manuscript-article.png", full_page=True)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{live_server.url}/admin/issues/{issue.pk}/preview/")
    text = page.locator("body").inner_text()
    assert "取得明显成效。全年举办专题读书班三期。" in text
    printed = text[text.rindex("【经验交流】"):]  # the columns in the body, after the contents
    assert printed.index(TITLE.split()[0]) < printed.index("【上情下达】") < printed.index(
        "省委理论学习中心组举行集体学习")


def test_leaving_an_article_with_unsaved_text_asks_first(live_server):
    """返回本期 after typing asks before leaving; staying keeps the text; saving never asks."""
    User.objects.create_superuser("zhubian", password="mima-12345")
    article = ArticleFactory(body="<p>原来的正文。</p>")
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15000)
        dialogs = []

        def stay(dialog):
            dialogs.append(dialog.type)
            dialog.dismiss()
        page.on("dialog", stay)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "zhubian")
        page.fill("#id_password", "mima-12345")
        page.click("input[type=submit]")
        change_url = f"{live_server.url}/admin/bulletins/article/{article.pk}/change/"
        page.goto(change_url)
        page.click("text=返回本期")  # nothing typed yet: leaves without asking
        page.wait_for_url(re.compile(r"/issue/\d+/change/"))
        assert dialogs == []
        page.goto(change_url)
        page.locator(".ck-editor__editable").click()
        page.keyboard.type("新写的一句。")
        page.click("text=返回本期")
        page.wait_for_timeout(500)
        assert dialogs == ["beforeunload"]
        assert page.url == change_url
        page.click("input[name=_continue]")
        page.wait_for_load_state()
        assert dialogs == ["beforeunload"]
        article.refresh_from_db()
        assert "新写的一句。" in article.body
