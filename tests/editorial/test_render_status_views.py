"""Saving an issue queues its render; the issue page and 下载PDF follow the render's state."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from bulletins.models import Article
from bulletins.tasks import render_issue
from tests.editorial.admin_forms import change_form_data
from tests.printing import build_issue, forget_rendering

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def issue():
    issue = build_issue(articles=2, paragraphs=2)
    forget_rendering(issue)
    return issue


@pytest.fixture
def queue(settings):
    """A queue that keeps the tasks instead of running them, as when the worker is busy."""
    settings.TASKS = DUMMY
    default_task_backend.clear()
    return default_task_backend


def _no_weasyprint(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("WeasyPrint called while serving a download")

    monkeypatch.setattr("bulletins.rendering.pdf.render_document", refuse)


def test_saving_queues_a_render_and_the_next_download_is_a_cache_hit(
        client, admin_user, issue, queue, monkeypatch, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    data = change_form_data(client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])))
    data["editor_note"] = "请各单位认真学习。"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data)
    assert response.status_code == 302
    [queued] = queue.results
    assert (queued.task.name, queued.args) == ("render_issue", [issue.pk])

    page = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    status_url = reverse("editorial:issue_render_status", args=[issue.pk])
    assert f'data-state="loading" data-url="{status_url}"' in page  # the page fetches its box
    page = client.get(status_url).content.decode()
    assert '<li class="warning">PDF排队等待生成……（本页会自动更新）</li>' in page
    assert 'data-state="queued"' in page

    # Asked for before the worker got to it: a page that waits, and no second task.
    waiting = client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "PDF排队等待生成……本页每 2 秒自动刷新，生成后即开始下载。" in html
    assert '<a href="/admin/">简报编辑印发系统</a>' in html
    assert len(queue.results) == 1

    assert render_issue.call(issue.pk) == "ready"  # what the worker does
    _no_weasyprint(monkeypatch)
    download = client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF-")
    page = client.get(status_url).content.decode()
    assert '<p class="help">PDF已生成，可直接下载。</p>' in page


def test_a_download_of_an_issue_never_rendered_queues_it(client, admin_user, issue, queue):
    client.force_login(admin_user)
    response = client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    assert response.status_code == 200
    assert "本页每 2 秒自动刷新" in response.content.decode()
    assert [r.args for r in queue.results] == [[issue.pk]]


def test_a_failed_render_is_shown_on_the_issue_page(client, admin_user, issue):
    article = issue.articles.order_by("position").first()
    Article.objects.filter(pk=article.pk).update(body="<p>这个字\U000f0041印不出。</p>")
    assert render_issue.call(issue.pk) == "failed"
    client.force_login(admin_user)
    page = client.get(reverse("editorial:issue_render_status", args=[issue.pk])).content.decode()
    assert (f'<li class="error">无法生成PDF：《{article.title}》中的字符“\U000f0041”（U+F0041）'
            "在已配置的字体中都没有字形") in page
    assert 'data-state="failed"' in page


def test_the_status_box_is_fetched_again_while_pending(client, admin_user, issue, queue):
    client.force_login(admin_user)
    client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    url = reverse("editorial:issue_render_status", args=[issue.pk])
    assert 'data-state="queued"' in client.get(url).content.decode()
    render_issue.call(issue.pk)
    box = client.get(url).content.decode()
    assert 'data-state="ready"' in box and "PDF已生成，可直接下载。" in box


def test_the_status_needs_the_view_permission(client, issue):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("clerk", password="pw", is_staff=True))
    assert client.get(reverse("editorial:issue_render_status", args=[issue.pk])).status_code == 403


def _worker_died_while_rendering(issue, *, attempt):
    """What a worker killed in the middle of a render leaves: a running state that never ends,
    begun longer ago than the render's deadline."""
    from bulletins.rendering.background import RenderJob, render_deadline
    from bulletins.rendering.cache import pdf_cache

    started = timezone.now() - render_deadline() - datetime.timedelta(seconds=1)
    pdf_cache().set(f"{RenderJob.for_issue(issue).key}:state",
                    {"state": "running", "message": "", "attempt": attempt, "at": started.isoformat()})


def test_a_render_whose_worker_died_is_queued_again_once_then_failed_with_a_button(
        client, admin_user, issue, queue):
    client.force_login(admin_user)
    status_url = reverse("editorial:issue_render_status", args=[issue.pk])
    _worker_died_while_rendering(issue, attempt=1)
    assert 'data-state="queued"' in client.get(status_url).content.decode()
    assert [r.args for r in queue.results] == [[issue.pk]]

    _worker_died_while_rendering(issue, attempt=2)  # the worker took it up again, and died again
    box = client.get(status_url).content.decode()
    assert 'data-state="failed"' in box
    assert ("无法生成PDF：后台任务进程在生成时中断（已自动重试一次）。请点“重新生成”；"
            "如仍不成功，请联系系统管理员检查后台任务进程。") in box
    again_url = reverse("editorial:issue_render_again", args=[issue.pk])
    assert f'<form method="post" action="{again_url}">' in box and 'value="重新生成"' in box
    # 下载PDF no longer waits for it: it says why.
    download = client.get(reverse("editorial:issue_pdf", args=[issue.pk]), follow=True)
    assert "后台任务进程在生成时中断" in download.content.decode()
    assert len(queue.results) == 1

    response = client.post(again_url, follow=True)
    assert "已重新开始生成PDF。" in response.content.decode()
    assert len(queue.results) == 2
    assert 'data-state="queued"' in client.get(status_url).content.decode()
    assert render_issue.call(issue.pk) == "ready"
    assert 'data-state="ready"' in client.get(status_url).content.decode()


def test_a_render_still_within_its_deadline_is_waited_for(client, admin_user, issue, queue):
    from bulletins.rendering.background import RenderJob, RenderState, set_render_state

    client.force_login(admin_user)
    set_render_state(RenderJob.for_issue(issue).key, RenderState.RUNNING)
    box = client.get(reverse("editorial:issue_render_status", args=[issue.pk])).content.decode()
    assert 'data-state="running"' in box
    assert queue.results == []
