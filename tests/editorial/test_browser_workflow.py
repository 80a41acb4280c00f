"""The sign-off path and an edit conflict, driven in headless Chromium as the people would."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group, User

from bulletins.models import Issue
from bulletins.services import article_create, issue_create
from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP
from tests.editorial.test_browser import chromium
from tests.factories import ColumnFactory, PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mima-12345"


@pytest.fixture
def browser(live_server):
    with chromium() as browser:
        yield browser


def person(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, last_name=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(browser, live_server, username: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="zh-CN",
                               accept_downloads=True).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#workbench")
    return page


def act(page, action: str, text: str | None = None) -> None:
    form = page.locator(f"form[action$='/workflow/{action}/']")
    if text is not None:
        form.locator("input[name=text]").fill(text)
    form.locator("input[type=submit]").click()
    page.wait_for_selector(".messagelist li")


@pytest.fixture
def issue(db):
    editor = person("bianji", EDITOR_GROUP)
    person("shenhe", REVIEWER_GROUP)
    person("qianfa", SIGNER_GROUP)
    publication = PublicationFactory()
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    article_create(issue=issue, column=ColumnFactory(publication=publication, name="上情下达"),
                   title="省委常委会议召开", body="<p>会议强调，要坚定维护党中央集中统一领导。</p>",
                   by=editor)
    return issue


def test_submit_return_fix_approve_sign_and_download(browser, live_server, issue):
    issue_url = f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/"
    editor = log_in(browser, live_server, "bianji")
    editor.goto(issue_url)
    act(editor, "submit", "请审核")
    assert "已送审" in editor.locator(".messagelist").inner_text()
    assert editor.locator("#id_editor_note").count() == 0  # read-only from now on

    reviewer = log_in(browser, live_server, "shenhe")
    assert str(issue) in reviewer.locator("#to-review").inner_text()
    reviewer.goto(issue_url)
    act(reviewer, "return_for_changes", "第一段要写明会议时间")

    editor.goto(f"{live_server.url}/admin/")
    returned = editor.locator("#returned").inner_text()
    assert "理由：第一段要写明会议时间" in returned
    editor.click(f"#returned a[href$='/issue/{issue.pk}/change/']")
    editor.click("#assembly a.assembly-title")
    editor.locator(".ck-editor__editable").click()
    editor.keyboard.press("Control+Home")
    editor.keyboard.type("11月20日，")
    editor.click("input[name=_save]")
    editor.wait_for_selector("#assembly")
    act(editor, "submit")

    reviewer.goto(issue_url)
    act(reviewer, "approve", "同意")
    signer = log_in(browser, live_server, "qianfa")
    assert str(issue) in signer.locator("#to-sign").inner_text()
    signer.goto(issue_url)
    act(signer, "sign_off")
    assert "已签发，签发稿PDF已保存" in signer.locator(".messagelist").inner_text()
    with signer.expect_download() as download:
        signer.click(f"a[href$='/issues/{issue.pk}/pdf/']")
    pdf = open(download.value.path(), "rb").read()  # noqa: SIM115 - a short-lived test file

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SIGNED
    assert hashlib.sha256(pdf).hexdigest() == issue.printed_pdf_sha256
    assert "11月20日，会议强调" in issue.articles.get().body
    timeline = signer.locator("#timeline").inner_text()
    for step in ("送审", "退回修改", "审核通过", "签发"):
        assert step in timeline


def test_two_people_saving_the_same_article_the_second_is_told(browser, live_server, issue):
    person("bianji2", EDITOR_GROUP)
    article = issue.articles.get()
    url = f"{live_server.url}/admin/bulletins/article/{article.pk}/change/"
    first = log_in(browser, live_server, "bianji")
    second = log_in(browser, live_server, "bianji2")
    for page in (first, second):
        page.goto(url)
        page.wait_for_selector(".ck-editor__editable")
    first.fill("#id_title", "省委常委会议召开（甲改）")
    first.click("input[name=_continue]")
    first.wait_for_selector(".messagelist .success")
    second.fill("#id_title", "省委常委会议召开（乙改）")
    second.click("input[name=_continue]")
    second.wait_for_selector(".errornote, .errorlist")
    message = second.locator(".errorlist").first.inner_text()
    assert "保存未成功：您打开文章“省委常委会议召开（甲改）”之后，bianji已于" in message
    assert second.input_value("#id_title") == "省委常委会议召开（乙改）"
    article.refresh_from_db()
    assert article.title == "省委常委会议召开（甲改）"
