"""An editor assembles an issue in the real admin, driven in headless Chromium."""

import contextlib
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


@contextlib.contextmanager
def chromium():
    """Headless Chromium through Playwright's sync API, for a fixture that yields inside it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
                # While that loop runs, Django keeps this thread's connections apart from the
                # ones the database teardown sees (asgiref's Local is then per context): close
                # the test's own now, or PostgreSQL cannot drop the test database.
                connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(live_server):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(15000)
        yield page


def _add_article(page, column: str, title: str, body: str) -> None:
    """From the issue page: 在“栏目”下添加文章, fill the article page, save, back on the issue page."""
    page.click(f"text=在“{column}”下添加文章")
    page.wait_for_selector(".ck-editor__editable")
    page.fill("#id_title", title)
    page.locator(".ck-editor__editable").click()
    page.keyboard.type(body)
    page.click("input[name=_save]")
    page.wait_for_selector("#assembly")


def _drag(page, source, target) -> None:
    """Drag like a person: press on the source's handle, move onto the target's top edge, let go."""
    page.set_viewport_size({"width": 1400, "height": 2000})  # both articles on screen
    source.locator(".drag-handle").scroll_into_view_if_needed()
    handle = source.locator(".drag-handle").bounding_box()
    page.mouse.move(handle["x"] + 3, handle["y"] + 3)
    page.mouse.down()
    for step in range(1, 11):
        # Where the target is now: the page may still move (the PDF's render status, a message).
        end = target.bounding_box()
        page.mouse.move(end["x"] + 10, handle["y"] + (end["y"] + 3 - handle["y"]) * step / 10)
    page.mouse.up()


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
    page.wait_for_selector("#assembly")

    _add_article(page, "上情下达", "省委常委会议召开", "会议强调，要坚定维护党中央集中统一领导。")
    _add_article(page, "经验交流", "镇江市：强化示范带动", "镇江市着眼于加强中心组学习。")
    _add_article(page, "经验交流", "苏州市：学用结合", "苏州市坚持学用结合。")

    issue = Issue.objects.get(publication=publication)
    assert list(issue.articles.order_by("position").values_list("title", "column__name")) == [
        ("省委常委会议召开", "上情下达"), ("镇江市：强化示范带动", "经验交流"),
        ("苏州市：学用结合", "经验交流")]
    assert "坚定维护党中央集中统一领导" in issue.articles.get(title="省委常委会议召开").body

    # A step down with the keyboard-reachable button, then a drag into the other column.
    with page.expect_navigation():
        page.click("button[aria-label='下移《镇江市：强化示范带动》']")
    with page.expect_response(lambda response: "/articles/arrange/" in response.url) as saved:
        _drag(page, page.locator(".assembly-article", has_text="镇江市"),
              page.locator(".assembly-article", has_text="省委常委会议召开"))
    assert saved.value.ok, saved.value.text()
    page.wait_for_selector("#assembly")

    assert list(issue.articles.order_by("position").values_list("title", "column__name")) == [
        ("镇江市：强化示范带动", "上情下达"), ("省委常委会议召开", "上情下达"),
        ("苏州市：学用结合", "经验交流")]
