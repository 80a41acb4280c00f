"""The reading room at /archive/: who may read, what is shown, search and its messages."""

import datetime
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django_tasks import default_task_backend

from bulletins.models import Issue
from bulletins.rendering import pdf as pdf_module
from bulletins.rendering.background import RenderJob, RenderState, set_render_state
from bulletins.services import article_create
from bulletins.tasks import render_issue
from editorial.readers import READER_GROUP
from editorial.views.reading import NOT_ALLOWED_MESSAGE, issue_url
from tests.factories import ColumnFactory, IssueFactory, PublicationFactory
from tests.printing import forget_rendering

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = User.objects.create_user("duzhe", password="mima-12345")
    user.groups.add(Group.objects.get(name=READER_GROUP))
    client.force_login(user)
    return user


def _issue(publication, *, number, status=Issue.Status.PUBLISHED, year=2023, articles=(), **fields):
    issue = IssueFactory(publication=publication, number=number, year=year,
                         date=datetime.date(year, 1 + number % 12, 1 + number % 28), **fields)
    column = publication.columns.first() or ColumnFactory(publication=publication, name="经验交流")
    for title, body in articles:
        article_create(issue=issue, column=column, title=title, body=body)
    Issue.objects.filter(pk=issue.pk).update(status=status)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def archive():
    publication = PublicationFactory(name="工作简报", slug="gzjb")
    printed = _issue(publication, number=7, articles=[
        ("镇江市：强化示范带动", "<p>镇江市把中心组学习纳入全市<strong>党建</strong>考核指标。</p>"),
        ("扬州市开展专题研讨", "<p>扬州市推进治党建设。</p>")])
    draft = _issue(publication, number=8, status=Issue.Status.DRAFT,
                   articles=[("草稿文章", "<p>镇江市党建草稿内容。</p>")])
    signed = _issue(publication, number=9, status=Issue.Status.SIGNED,
                    articles=[("已签发未印发", "<p>镇江市党建签发内容。</p>")])
    return {"publication": publication, "printed": printed, "draft": draft, "signed": signed}


def test_the_reader_group_holds_only_reading_permissions():
    group = Group.objects.get(name=READER_GROUP)
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "view_article", "view_column", "view_issue", "view_publication"]


@pytest.mark.parametrize("path", ["/archive/", "/archive/search/?q=%E5%85%9A%E5%BB%BA",
                                  "/archive/gzjb/2023/7/", "/archive/gzjb/2023/7/pdf/"])
def test_without_login_the_reader_is_sent_to_the_login_page(client, archive, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/archive/login/?next={quote(path, safe='/')}"


def test_a_logged_in_user_without_the_reader_role_is_refused(client, archive):
    client.force_login(User.objects.create_user("other", password="mima-12345"))
    response = client.get("/archive/")
    assert response.status_code == 403
    assert NOT_ALLOWED_MESSAGE in response.content.decode()


def test_staff_users_may_read(client, archive):
    client.force_login(User.objects.create_user("staff", password="mima-12345", is_staff=True))
    assert client.get("/archive/").status_code == 200


def test_readers_log_in_on_the_reading_room_page_not_the_admin(client, archive):
    user = User.objects.create_user("duzhe2", password="mima-12345")
    user.groups.add(Group.objects.get(name=READER_GROUP))
    response = client.post("/archive/login/", {"username": "duzhe2", "password": "mima-12345",
                                               "next": "/archive/gzjb/2023/7/"})
    assert response.status_code == 302 and response["Location"] == "/archive/gzjb/2023/7/"
    client.logout()
    response = client.post("/archive/login/", {"username": "duzhe2", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302  # readers are not staff


def test_only_printed_issues_appear(client, reader, archive):
    index = client.get("/archive/").content.decode()
    assert "共1期" in index and "第7期" in index and "第8期" not in index and "第9期" not in index
    year = client.get("/archive/gzjb/2023/").content.decode()
    assert "第7期" in year and "镇江市：强化示范带动" in year
    assert "第8期" not in year and "草稿文章" not in year and "已签发未印发" not in year
    assert client.get("/archive/gzjb/2023/8/").status_code == 404
    assert client.get("/archive/gzjb/2023/9/").status_code == 404
    assert client.get("/archive/gzjb/2023/9/pdf/").status_code == 404
    assert client.get("/archive/gzjb/2023/xyz/").status_code == 404
    search = client.get("/archive/search/", {"q": "党建"}).content.decode()
    assert "找到 <strong>2</strong> 篇文章" in search
    assert "草稿" not in search and "签发内容" not in search


def test_the_issue_page_reads_like_the_printed_issue(client, reader, archive):
    response = client.get(issue_url(archive["printed"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "工作简报" in page and "第7期" in page
    assert page.index("目") < page.index("镇江市：强化示范带动") < page.index("扬州市开展专题研讨")
    assert "把中心组学习纳入全市<strong>党建</strong>考核指标" in page
    assert 'href="/archive/gzjb/2023/7/pdf/"' in page
    assert "<mark>" not in page


def test_the_issue_page_marks_the_query(client, reader, archive):
    page = client.get(issue_url(archive["printed"]), {"q": "党建"}).content.decode()
    assert "全市<strong><mark>党建</mark></strong>考核指标" in page
    assert "推进治<mark>党建</mark>设" in page


def test_the_pdf_is_downloaded_under_its_chinese_name(client, reader, archive):
    response = client.get("/archive/gzjb/2023/7/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"gzjb-2023-7.pdf\"; "
        f"filename*=UTF-8''{quote('建设学习型党组织、学习型领导班子工作简报2023年第7期.pdf')}")


def test_search_lists_hits_with_issue_title_and_marked_snippet(client, reader, archive):
    page = client.get("/archive/search/", {"q": "镇江"}).content.decode()
    assert "找到 <strong>1</strong> 篇文章" in page
    assert "建设学习型党组织、学习型领导班子 工作简报 2023年第7期" in page
    assert "<mark>镇江</mark>市：强化示范带动" in page
    assert "<mark>镇江</mark>市把中心组学习" in page
    assert 'href="/archive/gzjb/2023/7/?q=%E9%95%87%E6%B1%9F#article-' in page


@pytest.mark.parametrize(("q", "message"), [
    ("", "请输入要检索的文字。"),
    ("，。！？", "检索词中没有可检索的文字或数字，请换用汉字、字母或数字。"),
    ("党" * 1000, "检索词过长（1000个字），请不超过100个字。"),
])
def test_empty_or_absurd_queries_get_a_clear_message(client, reader, archive, q, message):
    response = client.get("/archive/search/", {"q": q})
    assert response.status_code == 200
    assert f'role="alert">{message}</p>' in response.content.decode()


def test_search_filters_and_pagination(client, reader):
    publication = PublicationFactory(name="理论学习通讯", slug="llxx")
    other = PublicationFactory(name="工作简报", slug="gzjb")
    for number in range(1, 26):
        _issue(publication, number=number, year=2000 + number % 5,
               articles=[(f"第{number}篇", f"<p>主题教育第{number}次。</p>")])
    _issue(other, number=1, articles=[("他刊", "<p>主题教育。</p>")])
    def search(**params):
        return client.get("/archive/search/", {"q": "主题教育", **params}).content.decode()

    first = search(publication="llxx")
    assert "找到 <strong>25</strong> 篇文章，第 1/2 页" in first
    assert "他刊" not in first and "page=2" in first
    second = search(publication="llxx", page=2)
    assert second.count('class="title"') == 5
    years = search(year_from=2001, year_to=2002)
    assert "找到 <strong>10</strong> 篇文章" in years
    wrong = search(year_from=2003, year_to=2001)
    assert "起始年份不能晚于截止年份。" in wrong


def _many_issues(count: int):
    publication = PublicationFactory(name="工作简报", slug="gzjb")
    for number in range(1, count + 1):
        _issue(publication, number=number, articles=[
            (f"镇江第{number}篇", "<p>镇江市党建工作。</p>"),
            (f"扬州第{number}篇", "<p>扬州市党建工作。</p>")])
    return publication


@pytest.mark.parametrize(("path", "queries"), [
    # session, user, the user's and the group's permissions, then the page's own
    ("/archive/", 4 + 2), ("/archive/gzjb/", 4 + 2), ("/archive/gzjb/2023/", 4 + 4),
    # an issue: and its view record (made if missing, counted) and the reader's deliveries of it
    ("/archive/gzjb/2023/3/?q=%E5%85%9A%E5%BB%BA", 4 + 5 + 3),
    ("/archive/search/?q=%E5%85%9A%E5%BB%BA", 4 + 5),
])
def test_pages_answer_in_a_bounded_number_of_queries(client, reader, django_assert_max_num_queries,
                                                     path, queries, settings):
    # Sessions in use are saved again once a minute so that they expire when idle (3 statements a
    # request, whatever the page); the counts are those of the page itself.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    _many_issues(12)
    with django_assert_max_num_queries(queries):
        assert client.get(path).status_code == 200


def test_the_admin_search_uses_the_index_and_finds_drafts(client, archive):
    admin = User.objects.create_superuser("root", password="mima-12345")
    client.force_login(admin)
    issues = client.get(reverse("admin:bulletins_issue_changelist"), {"q": "党建"})
    assert sorted(issue.number for issue in issues.context["cl"].result_list) == [7, 8, 9]
    articles = client.get(reverse("admin:bulletins_article_changelist"), {"q": "治党建设"})
    assert [a.title for a in articles.context["cl"].result_list] == ["扬州市开展专题研讨"]
    by_name = client.get(reverse("admin:bulletins_issue_changelist"), {"q": "工作简报"})
    assert by_name.context["cl"].result_count == 3
    refused = client.get(reverse("admin:bulletins_article_changelist"), {"q": "，，"})
    assert refused.context["cl"].result_count == 0
    assert "检索词中没有可检索的文字或数字" in refused.content.decode()


def test_a_pdf_request_never_renders_in_the_web_process(client, reader, archive, settings, monkeypatch):
    """Without a PDF of record the request queues a render and says so; the worker renders;
    the next request serves the cached PDF. WeasyPrint is never called while serving."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    forget_rendering(archive["printed"])
    real_render = pdf_module.render_document

    def refuse(*args, **kwargs):
        raise AssertionError("a PDF rendered in the web process")

    monkeypatch.setattr(pdf_module, "render_document", refuse)
    waiting = client.get("/archive/gzjb/2023/7/pdf/")
    assert waiting.status_code == 200
    page = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "PDF排队等待生成……本页每 3 秒刷新一次，生成后即开始下载。" in page
    [queued] = default_task_backend.results
    assert (queued.task.name, queued.args) == ("render_issue", [archive["printed"].pk])
    assert client.get("/archive/gzjb/2023/7/pdf/").status_code == 200
    assert len(default_task_backend.results) == 1  # queued once, not on every click

    monkeypatch.setattr(pdf_module, "render_document", real_render)
    assert render_issue.call(archive["printed"].pk) == "ready"  # the worker
    monkeypatch.setattr(pdf_module, "render_document", refuse)
    response = client.get("/archive/gzjb/2023/7/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_failed_render_is_told_not_retried_on_every_click(client, reader, archive, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    forget_rendering(archive["printed"])
    job = RenderJob.for_issue(archive["printed"])
    set_render_state(job.key, RenderState.FAILED, "无法生成PDF：排版超时：超过 180 秒仍未完成。")
    for _ in range(2):
        response = client.get("/archive/gzjb/2023/7/pdf/")
        assert response.status_code == 503
        assert "无法生成PDF：排版超时：超过 180 秒仍未完成。" in response.content.decode()
    assert default_task_backend.results == []
