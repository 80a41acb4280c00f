"""In headless Chromium: the reviewer opens 审阅 from the workbench, reads the pages and approves
with an opinion; the signer signs there with an opinion and downloads the 签发单; a person added
on the people page with the role 撰稿 logs in at once."""

import re

import pdfplumber
import pytest
from django.contrib.auth.models import Permission, User

from bulletins.models import Issue
from editorial import workflow
from editorial.permissions import WRITER_GROUP
from tests.editorial.test_browser import chromium
from tests.editorial.test_browser_workflow import PASSWORD, issue, log_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(live_server):
    with chromium() as browser:
        yield browser


def review_and_decide(page, live_server, section: str, opinion: str, button: str) -> None:
    page.goto(f"{live_server.url}/admin/")
    page.click(f"#{section} a:has-text('审阅')")
    page.wait_for_selector(".review-page img")
    first = page.locator(".review-page img").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 500", arg=first.element_handle())
    page.locator("#review-actions textarea").first.fill(opinion)
    page.click(f"#review-actions input[value='{button}']")
    page.wait_for_selector(".messagelist li")


def test_review_approve_and_sign_on_the_review_page_then_download_the_sheet(browser, live_server, issue):  # noqa: F811
    editor = User.objects.get(username="bianji")
    workflow.submit(issue=issue, by=editor, note="请审核")

    reviewer = log_in(browser, live_server, "shenhe")
    review_and_decide(reviewer, live_server, "to-review", "同意，请领导签发。", "审核通过")
    assert "已审核通过" in reviewer.locator(".messagelist").inner_text()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.APPROVED

    signer = log_in(browser, live_server, "qianfa")
    review_and_decide(signer, live_server, "to-sign", "同意印发。", "签发")
    assert "已签发" in signer.locator(".messagelist").inner_text()
    with signer.expect_download() as download:
        signer.click("#review-actions a:has-text('签发单PDF')")
    with pdfplumber.open(download.value.path()) as pdf:
        text = "".join(pdf.pages[0].extract_text().split())
    assert "同意，请领导签发。" in text and "同意印发。" in text
    assert "审核人：shenhe" in text and "签发人：qianfa" in text


def test_a_person_added_on_the_people_page_as_writer_logs_in_at_once(browser, live_server):
    manager = User.objects.create_user("guanli", password=PASSWORD, is_staff=True, last_name="管理员")
    manager.user_permissions.add(Permission.objects.get(codename="change_user"))
    page = log_in(browser, live_server, "guanli")
    page.click("#office a:has-text('人员与角色')")
    page.fill("#id_name", "张三")
    page.fill("#id_username", "zhangsan")
    page.check(f"input[name=roles][value='{WRITER_GROUP}']")
    page.click(".people-add input[type=submit]")
    message = page.locator(".messagelist").inner_text()
    password = re.search(r"初始密码：(\w+)。", message).group(1)

    newcomer = browser.new_context(locale="zh-CN").new_page()
    newcomer.goto(f"{live_server.url}/admin/login/")
    newcomer.fill("#id_username", "zhangsan")
    newcomer.fill("#id_password", password)
    newcomer.click("input[type=submit]")
    newcomer.wait_for_selector("#workbench")
    assert "张三" in page.goto(f"{live_server.url}/admin/people/").text()


def test_at_1440_px_the_issue_pages_tools_do_not_overlap_its_title(browser, live_server, issue):  # noqa: F811
    page = log_in(browser, live_server, "bianji")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/")
    # The page's heading and, under it, the issue's own title (Django's subtitle).
    titles = [page.locator("#content > h1").bounding_box(), page.locator("#content > h2").bounding_box()]
    assert titles[1] is not None
    tools = [box for box in (li.bounding_box() for li in page.locator(".object-tools li").all()) if box]
    assert len(tools) >= 8

    def overlap(a, b) -> bool:
        return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])

    assert not [box for box in tools for title in titles if overlap(box, title)]
