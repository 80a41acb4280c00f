"""The 校对 panel in the real admin: a fix from the issue page, and the unsaved-edits warning."""

import pytest
from django.contrib.auth.models import Group, User

from bulletins.models import Article
from editorial.permissions import EDITOR_GROUP
from tests.editorial.test_browser import page  # noqa: F401 - the Chromium page fixture
from tests.factories import ArticleFactory, IssueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_fixes_a_finding_and_is_warned_about_unsaved_edits(page, live_server):  # noqa: F811
    article = ArticleFactory(issue=IssueFactory(), title="加强学习",
                             body="<p>我们要加强学习,提高本领。</p><p>今后要继续努力。。</p>")
    user = User.objects.create_user("bianji", password="mima-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "bianji")
    page.fill("#id_password", "mima-12345")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/bulletins/issue/{article.issue.pk}/change/")
    summary = page.locator("#proofreading strong").first
    assert summary.inner_text() == "校对发现 2 处问题（错误 2 处，提示 0 处）。"

    # An edit not yet saved: the fix asks first, and staying on the page changes nothing.
    page.fill("#id_editor_note", "尚未保存的编者按")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#proofreading button:text-is('改正')").first.click()
    assert dialogs == ["本页有未保存的修改，继续将重新载入页面，这些修改会丢失。继续吗？"]
    assert Article.objects.get(pk=article.pk).version == 1

    # Without unsaved edits the fix is applied and the page comes back to the panel.
    page.reload()
    page.locator("#proofreading button:text-is('改正')").first.click()
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".messagelist .success").inner_text() == \
        "已改正《加强学习》正文第1段：中文中使用了半角“,”，应为全角“，”。"
    assert page.url.endswith("#proofreading")
    assert Article.objects.get(pk=article.pk).body == \
        "<p>我们要加强学习，提高本领。</p><p>今后要继续努力。。</p>"
    assert summary.inner_text() == "校对发现 1 处问题（错误 1 处，提示 0 处）。"
