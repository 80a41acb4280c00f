"""The admin, CKEditor 5 and the print preview work under the Content-Security-Policy."""

import pytest
from django.contrib.auth.models import User

from bulletins.models import Article
from tests.editorial.test_browser import page  # noqa: F401 - the Chromium page fixture
from tests.printing import build_issue, forget_rendering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def test_editing_an_article_in_ckeditor_under_the_policy(page, live_server):  # noqa: F811
    issue = build_issue(articles=2, paragraphs=1)
    forget_rendering(issue)
    User.objects.create_superuser("zhubian", password="mima-12345")
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "zhubian")
    page.fill("#id_password", "mima-12345")
    page.click("input[type=submit]")
    response = page.goto(f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    page.click("#assembly a.assembly-title")  # the first article, on its own page
    editor = page.locator(".ck-editor__editable")
    editor.wait_for(state="visible")
    assert page.locator(".ck-toolbar").is_visible()
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type("在内容安全策略下输入。")
    page.click("input[name=_save]")  # back to the issue page
    page.wait_for_selector("#assembly")
    first = issue.articles.order_by("position").first()
    assert "在内容安全策略下输入。" in Article.objects.get(pk=first.pk).body
    # The render queued by the save (run at once in the tests) is shown by the status box,
    # which the page's script fetches.
    page.wait_for_selector("#issue-render-status[data-state=ready]")
    assert page.evaluate("window.__csp") == []
    assert not [text for text in console if "Content Security Policy" in text]

    page.goto(f"{live_server.url}/admin/issues/{issue.pk}/preview/")
    page.wait_for_selector("text=报：")
    assert page.evaluate("window.__csp") == []


def test_the_export_pages_select_all_box_works_under_the_policy(page, live_server):  # noqa: F811
    User.objects.create_superuser("zhubian", password="mima-12345")
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "zhubian")
    page.fill("#id_password", "mima-12345")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/bulletins/organisation/export/")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 2
    assert all(fields.nth(number).is_checked() for number in range(fields.count()))

    page.uncheck("input.select-toggle")
    assert not any(fields.nth(number).is_checked() for number in range(fields.count()))
    page.check("input.select-toggle")
    assert all(fields.nth(number).is_checked() for number in range(fields.count()))
    assert page.evaluate("window.__csp") == []
