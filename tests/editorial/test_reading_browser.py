"""A reader searches the reading room in headless Chromium, reads the hit and takes the PDF."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from bulletins.archive.importer import archive_import_file
from editorial.readers import READER_GROUP
from tests.editorial.test_browser import chromium

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(live_server):
    with chromium() as browser:
        # A phone-sized window: the reading room is read on phones too.
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                      accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20000)
        yield page


def test_reader_searches_opens_the_hit_sees_it_marked_and_downloads_the_pdf(phone, live_server, tmp_path):
    for path in sorted(SEEDS.glob("*.txt")):
        assert archive_import_file(path=path).ok
    reader = User.objects.create_user("duzhe", password="mima-12345")
    reader.groups.add(Group.objects.get(name=READER_GROUP))
    page = phone

    page.goto(f"{live_server.url}/archive/")
    page.fill("#id_username", "duzhe")
    page.fill("#id_password", "mima-12345")
    page.click("button[type=submit]")
    page.wait_for_selector("text=最近印发")

    page.fill("header input[name=q]", "镇江")
    page.click("header button[type=submit]")
    page.wait_for_selector("text=找到 1 篇文章")
    hit = page.locator(".hits li").first
    assert "2023年第454期" in hit.locator(".where").inner_text()
    assert hit.locator(".title mark").inner_text() == "镇江"
    assert hit.locator(".snippet mark").first.inner_text() == "镇江"
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    hit.locator(".title a").click()
    page.wait_for_selector("article.piece:target")
    target = page.locator("article.piece:target")
    assert target.locator("h2.title").inner_text().startswith("镇江市：强化示范带动")
    marks = target.locator(".body mark")
    assert marks.count() >= 1 and marks.first.inner_text() == "镇江"
    assert marks.first.is_visible() or target.locator("h2.title mark").is_visible()

    with page.expect_download() as download_info:
        page.click("a.pdf")
    download = download_info.value
    assert download.suggested_filename == "建设学习型党组织、学习型领导班子工作简报2023年第454期.pdf"
    saved = tmp_path / "issue.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
