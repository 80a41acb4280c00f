"""Batch jobs: PDFs of many issues rendered in the background, with progress in the admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from bulletins.batch_models import BatchJob
from bulletins.models import Article
from bulletins.rendering.background import RenderJob, RenderState, render_status
from editorial.permissions import EDITOR_GROUP
from tests.factories import PublicationFactory
from tests.printing import build_issue, forget_rendering

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues():
    first = build_issue(articles=1, paragraphs=1, publication=PublicationFactory(name="甲刊"))
    second = build_issue(articles=1, paragraphs=1, publication=PublicationFactory(name="乙刊"))
    broken = build_issue(articles=1, paragraphs=1, publication=PublicationFactory(name="丙刊"))
    Article.objects.filter(issue=broken).update(body="<p>缺字\U000f0041。</p>")
    for issue in (first, second, broken):
        forget_rendering(issue)
    return first, second, broken


@pytest.fixture
def editor(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    return user


def test_the_action_renders_the_selected_issues_with_progress_and_failures(
        client, editor, issues, monkeypatch, django_capture_on_commit_callbacks):
    from bulletins import tasks

    seen = []
    real = tasks.render_job_to_cache

    def watching(job):
        seen.append(BatchJob.objects.get().done)  # the progress as the admin shows it meanwhile
        return real(job)

    monkeypatch.setattr(tasks, "render_job_to_cache", watching)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:bulletins_issue_changelist"), {
            "action": "render_pdfs_in_background", "_selected_action": [i.pk for i in issues]},
            follow=True)
    job = BatchJob.objects.get()
    assert "已在后台开始生成 3 期的PDF，进度见" in response.content.decode()
    assert seen == [0, 1, 2]
    assert (job.status, job.done, job.total, job.created_by) == ("finished", 3, 3, editor)
    first, second, broken = issues
    assert [f["item"] for f in job.failures] == [str(broken)]
    assert job.failures[0]["message"].startswith("无法生成PDF：《")
    assert render_status(RenderJob.for_issue(first)).state == RenderState.READY
    assert render_status(RenderJob.for_issue(broken)).state == RenderState.FAILED

    page = client.get(reverse("admin:bulletins_batchjob_changelist")).content.decode()
    assert "3 期简报的PDF" in page and "3 / 3" in page and "已完成" in page
    detail = client.get(reverse("admin:bulletins_batchjob_change", args=[job.pk])).content.decode()
    assert f"<li>{broken}：无法生成PDF：《" in detail


def test_progress_while_running_is_shown(client, editor):
    BatchJob.objects.create(kind="render", label="5 期简报的PDF", total=5, done=2, status="running",
                            failures=[{"item": "某期", "message": "无法生成PDF：排版超时。"}])
    page = client.get(reverse("admin:bulletins_batchjob_changelist")).content.decode()
    assert "2 / 5" in page and "进行中" in page


def test_render_issues_command_can_queue_a_batch(issues, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("render_issues", "--background")
    job = BatchJob.objects.get()
    assert (job.done, job.total, len(job.failures)) == (3, 3, 1)
