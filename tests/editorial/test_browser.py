"""An editor assembles an issue in the real admin, driven in headless Chromium."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group, User
from django.db import connections

from bulletins.models import Issue
from editorial.permissions import EDITOR_GROUP
from tests.factories import ColumnFactory, PublicationFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(15000)
        yield page
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _type_into_editor(page, article_index: int, text: str) -> None:
    editor = page.locator(f"#articles-{article_index} .ck-editor__editable")
    editor.click()
    page.keyboard.type(text)


def _fill_article(page, index: int, column: str, title: str, body: str) -> None:
    page.select_option(f"#id_articles-{index}-column", label=column)
    page.fill(f"#id_articles-{index}-title", title)
    _type_into_editor(page, index, body)


def test_editor_assembles_and_reorders_an_issue(page, live_server):
    publication = PublicationFactory()
    ColumnFactory(publication=publication, name="上情下达", position=1)
    ColumnFactory(publication=publication, name="经验交流", position=2)
    user = User.objects.create_user("bianji", password="mima-12345", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "bianji")
    page.fill("#id_password", "mima-12345")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/bulletins/issue/add/?publication={publication.pk}")
    page.fill("#id_date", "2023-11-25")
    page.fill("#id_year", "2023")
    page.click("input[name=_save]")
    page.wait_for_selector("#articles-group")

    page.click("#articles-group .add-row a")
    _fill_article(page, 0, "上情下达", "省委常委会议召开", "会议强调，要坚定维护党中央集中统一领导。")
    page.click("#articles-group .add-row a")
    _fill_article(page, 1, "经验交流", "镇江市：强化示范带动", "镇江市着眼于加强中心组学习。")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    issue = Issue.objects.get(publication=publication)
    assert list(issue.articles.values_list("title", "column__name")) == [
        ("省委常委会议召开", "上情下达"), ("镇江市：强化示范带动", "经验交流")]
    assert "坚定维护党中央集中统一领导" in issue.articles.get(title="省委常委会议召开").body

    # Drag the second article above the first by its heading, as an editor would; the
    # window is made tall enough for both headings to be on screen at once.
    page.set_viewport_size({"width": 1400, "height": 3000})
    source = page.locator("#articles-1 h3").bounding_box()
    target = page.locator("#articles-0 h3").bounding_box()
    page.mouse.move(source["x"] + 30, source["y"] + source["height"] / 2)
    page.mouse.down()
    for step in range(1, 21):
        y = source["y"] + (target["y"] - source["y"]) * step / 20
        page.mouse.move(source["x"] + 30, y)
    page.mouse.up()
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    assert list(issue.articles.order_by("position").values_list("title", flat=True)) == [
        "镇江市：强化示范带动", "省委常委会议召开"]
    # Under Playwright's sync API this body has its own connection, which the database
    # teardown cannot see; close it so PostgreSQL can drop the test database.
    connections.close_all()
