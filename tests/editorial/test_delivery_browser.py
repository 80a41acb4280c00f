"""Delivery end to end in headless Chromium: the editor records the printing, the unit's 收文员
finds the issue under 收到的简报 and signs for it, and the office sees the unit signed."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from bulletins.models import Delivery, Issue
from bulletins.services import article_create, issue_add_recipient, issue_create
from editorial.permissions import EDITOR_GROUP
from editorial.readers import unit_reader_assign
from tests.editorial.test_browser import chromium
from tests.factories import ColumnFactory, OrganisationFactory, PublicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mima-12345"


@pytest.fixture
def browser(live_server):
    with chromium() as browser:
        yield browser


def new_page(browser, width: int = 1400):
    page = browser.new_context(viewport={"width": width, "height": 1000}, locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    return page


def test_printed_issue_is_received_opened_and_signed_and_the_office_sees_it(browser, live_server):
    editor = User.objects.create_user("bianji", password=PASSWORD, is_staff=True, last_name="编辑甲")
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    publication = PublicationFactory(restricted_to_recipients=True)
    nanjing, suzhou = OrganisationFactory(name="南京市委宣传部"), OrganisationFactory(name="苏州市委宣传部")
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    article_create(issue=issue, column=ColumnFactory(publication=publication, name="上情下达"),
                   title="省委常委会议召开", body="<p>会议强调，要坚定维护党中央集中统一领导。</p>",
                   by=editor)
    issue_add_recipient(issue=issue, role="发", organisation=nanjing, by=editor)
    issue_add_recipient(issue=issue, role="发", organisation=suzhou, by=editor)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SIGNED)
    reader = User.objects.create_user("nanjing", password=PASSWORD, last_name="李明")
    unit_reader_assign(unit=nanjing, user=reader, by=editor)

    office = new_page(browser)
    office.goto(f"{live_server.url}/admin/login/")
    office.fill("#id_username", "bianji")
    office.fill("#id_password", PASSWORD)
    office.click("input[type=submit]")
    office.wait_for_selector("#workbench")
    office.goto(f"{live_server.url}/admin/bulletins/issue/{issue.pk}/change/")
    office.locator("form[action$='/workflow/publish/'] input[type=submit]").click()
    office.wait_for_selector(".messagelist li")
    assert "已登记印发" in office.locator(".messagelist").inner_text()
    assert Delivery.objects.filter(issue=issue).count() == 2

    phone = new_page(browser, width=390)
    phone.goto(f"{live_server.url}/archive/login/")
    phone.fill("#id_username", "nanjing")
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.click("text=收到的简报")
    row = phone.locator("#received li").first
    assert "南京市委宣传部" in row.inner_text() and "未签收" in row.inner_text()
    row.locator("a").first.click()
    phone.wait_for_selector("h2.title")
    assert phone.locator("h2.title").first.inner_text() == "省委常委会议召开"
    phone.click("text=签收（南京市委宣传部）")
    phone.wait_for_selector(".signed-for")
    assert "已为南京市委宣传部签收" in phone.locator(".messages").inner_text()
    assert "南京市委宣传部已签收" in phone.locator(".signed-for").inner_text()

    office.click("text=送达与签收")
    office.wait_for_selector("#delivery-totals")
    assert "已签收 1" in office.locator("#delivery-totals").inner_text()
    signed = office.locator("table[data-state=已签收] tr[data-unit=南京市委宣传部]")
    signed_at = Delivery.objects.get(issue=issue, unit=nanjing).signed_at
    assert signed.locator(".signed-at").inner_text() == f"{timezone.localtime(signed_at):%Y-%m-%d %H:%M}"
    assert "李明" in signed.inner_text()
    assert "苏州市委宣传部" in office.locator("table[data-state=未打开]").inner_text()
