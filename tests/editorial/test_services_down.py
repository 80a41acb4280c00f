"""Redis or the database out of reach: pages that do not need them keep working, saves succeed,
and what needs them answers a Chinese 503 page, never 系统出错."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bulletins.models import Issue
from editorial.readers import READER_GROUP
from tests.editorial.admin_forms import change_form_data
from tests.manuscripts import official_manuscript
from tests.printing import build_issue

RENDERING_UNAVAILABLE = "排版服务暂时不可用，请稍后重试。"
SEEDS = Path(settings.BASE_DIR) / "seeds"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """REDIS_URL pointing at a closed port: the cache, and the uploads waiting for confirmation."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
                       for alias in ("default", "uploads")}


@pytest.fixture
def client(db):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("zhubian", password="pw"))
    return client


@pytest.fixture
def issue(db):
    return build_issue(articles=2, paragraphs=2)


def assert_unavailable(response):
    assert response.status_code == 503
    assert RENDERING_UNAVAILABLE in response.content.decode()
    assert response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)  # the render is queued when the save commits
def test_the_issue_and_article_pages_work_and_saves_succeed(client, issue, redis_down):
    article = issue.articles.order_by("position").first()
    issue_url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    article_url = reverse("admin:bulletins_article_change", args=[article.pk])
    assert client.get(issue_url).status_code == 200
    opened = client.get(article_url)
    assert opened.status_code == 200

    saved = client.post(article_url, change_form_data(opened) | {"body": "<p>排版服务停了也能保存。</p>"})
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>排版服务停了也能保存。</p>"
    page = client.get(saved["Location"])
    assert page.status_code == 200
    assert "已保存。排版服务暂时不可用，PDF将在服务恢复后下载时生成。" in page.content.decode()

    saved = client.post(issue_url, change_form_data(client.get(issue_url)) | {"editor_note": "照常保存。"})
    assert saved.status_code == 302
    assert Issue.objects.get(pk=issue.pk).editor_note == "照常保存。"


@pytest.mark.django_db
def test_what_needs_a_render_or_a_waiting_upload_answers_503(client, issue, redis_down):
    assert_unavailable(client.get(reverse("editorial:issue_pdf", args=[issue.pk])))
    assert_unavailable(client.get(reverse("editorial:issue_render_status", args=[issue.pk])))
    column = issue.articles.first().column
    manuscript = SimpleUploadedFile("镇江.docx", official_manuscript())
    assert_unavailable(client.post(reverse("editorial:manuscript_upload", args=[issue.pk]),
                                   {"column": column.pk, "files": [manuscript]}))
    seed = next(SEEDS.glob("*.txt"))
    assert_unavailable(client.post(reverse("editorial:archive_upload"), {
        "files": [SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain")]}))
    spreadsheet = SimpleUploadedFile("单位.csv", "单位名称,份数\n省社科院,4\n".encode(),
                                     content_type="text/csv")
    assert_unavailable(client.post(reverse("admin:bulletins_organisation_import"),
                                   {"format": "0", "import_file": spreadsheet}))


@pytest.mark.django_db
def test_a_reading_room_download_answers_503(issue, redis_down):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    reader = User.objects.create_user("duzhe", password="pw")
    reader.groups.add(Group.objects.get(name=READER_GROUP))
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    number = str(issue.number)
    assert_unavailable(client.get(reverse("reading:issue_pdf", args=[issue.publication.slug, issue.year,
                                                                      number])))


def _wait_for_server(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - our own server
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_with_the_database_out_of_reach_the_login_says_the_system_is_unavailable(tmp_path):
    """A real server whose PostgreSQL is a closed port: the login form shows, its POST is a 503."""
    pytest.importorskip("psycopg")
    port = _closed_port()
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings_test", ALLOWED_HOSTS="127.0.0.1", HTTPS="off",
                       DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/bulletins",
                       CACHE_DIR=str(tmp_path / "cache"))
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "config.wsgi",  # noqa: S603
                               "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              env=environment, cwd=settings.BASE_DIR, stderr=subprocess.DEVNULL)
    try:
        login_url = f"http://127.0.0.1:{port}/admin/login/"
        _wait_for_server(login_url)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with opener.open(login_url, timeout=10) as form:
            assert form.status == 200
            page = form.read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "zhubian",
                                       "password": "mima-12345", "next": "/admin/"}).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(login_url, data=body, timeout=10)
        assert refused.value.code == 503
        assert "系统暂时无法访问数据库，请稍后重试。" in refused.value.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
