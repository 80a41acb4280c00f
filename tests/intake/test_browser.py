"""A 信息员 submits an item, the editor adopts it into a draft, the unit is the article's 来源 and ranks."""

import pytest

from intake.models import Submission
from tests.editorial.test_browser import chromium
from tests.editorial.test_browser_workflow import log_in
from tests.factories import print_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(live_server):
    with chromium() as browser:
        yield browser


def test_an_item_from_submission_to_the_ranking(browser, live_server, unit, other_unit, reporter,
                                                 other_reporter, editor, draft, column):
    page = log_in(browser, live_server, "xinxiyuan")
    page.goto(f"{live_server.url}/admin/intake/submission/add/")
    page.wait_for_selector(".ck-editor__editable")
    page.fill("#id_title", "我县开展冬季安全生产大检查")
    page.select_option("#id_kind", "动态")
    page.locator(".ck-editor__editable").click()
    page.keyboard.type("共检查企业三十家，整改隐患十二处。")
    page.click("input[name=_continue]")
    page.click("#submit-item")
    assert "已报送，等待编辑部采编" in page.locator(".messagelist").inner_text()
    assert "待采编" in page.locator("#item-state").inner_text()

    office = log_in(browser, live_server, "caibian")
    office.goto(f"{live_server.url}/admin/intake/")
    office.click("#waiting >> text=我县开展冬季安全生产大检查")
    office.click("#adopt-item")
    office.select_option("#id_issue", str(draft.pk))
    office.select_option("#id_column", str(column.pk))
    office.click("input[type=submit][value=采用]")
    office.wait_for_selector("#id_source")
    assert office.input_value("#id_source") == "（常山县发改局）"
    assert office.input_value("#id_title") == "我县开展冬季安全生产大检查"
    assert Submission.objects.get().status == Submission.Status.ADOPTED

    print_issue(issue=draft, by=editor)
    office.goto(f"{live_server.url}/admin/intake/report/?year=2026")
    first = office.locator("#report tbody tr").first.inner_text()
    assert first.startswith("1\t常山县发改局\t1\t1\t0")
    assert office.locator("#report .bar").count() == 2
