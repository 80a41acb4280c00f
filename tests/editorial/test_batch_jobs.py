"""Batch jobs: PDFs of many issues and archive imports of many files in the background, with
progress in the admin."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bulletins.batch_models import BatchJob
from bulletins.models import Article, Issue
from bulletins.rendering.background import RenderJob, RenderState, render_status
from editorial.permissions import EDITOR_GROUP, SIGNER_GROUP
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
    # An imported issue is recorded as printed, as if signed: importing needs the 签发 role too.
    user.groups.add(*Group.objects.filter(name__in=[EDITOR_GROUP, SIGNER_GROUP]))
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


SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_9, SEED_365 = "004_ceb4e9f67c3b5b87.txt", "002_6a137115d7a85250.txt"


def archive_uploads():
    return [SimpleUploadedFile(name, (SEEDS / name).read_bytes(), content_type="text/plain")
            for name in (SEED_9, SEED_365)] + [SimpleUploadedFile("空文件.txt", b"")]


def watch_progress(monkeypatch):
    """Record the job's progress as the admin would show it before each file is read."""
    from bulletins.archive import importer

    seen = []
    real = importer.archive_import_file

    def watching(**kwargs):
        job = BatchJob.objects.get(status="running")
        seen.append(f"{job.done} / {job.total}")
        return real(**kwargs)

    monkeypatch.setattr(importer, "archive_import_file", watching)
    return seen


def run_queued(callbacks):
    for callback in callbacks:
        callback()


def test_an_upload_of_several_archive_files_is_checked_and_imported_in_the_background(
        client, editor, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("editorial:archive_upload"), {"files": archive_uploads()})
    job = BatchJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("editorial:archive_job", args=[job.pk])
    # Nothing was read within the request: the page says the check is waiting and refreshes.
    waiting = client.get(response.url).content.decode()
    assert "试导入往期简报：排队中，已处理 0 / 3 个文件。" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting

    seen = watch_progress(monkeypatch)
    run_queued(queued)
    assert seen == ["0 / 3", "1 / 3", "2 / 3"]
    job.refresh_from_db()
    assert (job.kind, job.status, job.done) == ("archive_check", "finished", 3)
    assert job.failures == [{"item": "空文件.txt", "message": "文件为空，没有可导入的内容。"}]
    preview = client.get(response.url)
    page = preview.content.decode()
    assert "以下是试导入的结果，尚未保存。" in page and "确认导入" in page
    assert "党委中心组 理论学习通讯 2023年第9期（总第453期）" in page
    assert 'http-equiv="refresh"' not in page
    assert Issue.objects.count() == 0

    with django_capture_on_commit_callbacks() as queued:
        confirmed = client.post(reverse("editorial:archive_confirm"), {"token": preview.context["token"]})
    importing = BatchJob.objects.get(kind="archive_import")
    assert confirmed.url == reverse("editorial:archive_job", args=[importing.pk])
    assert Issue.objects.count() == 0
    seen.clear()
    run_queued(queued)
    assert seen == ["0 / 3", "1 / 3", "2 / 3"]
    assert sorted(Issue.objects.values_list("number", flat=True)) == [9, 365]
    assert Issue.objects.get(number=9).events.get().actor == editor
    done = client.get(confirmed.url).content.decode()
    assert "导入完成。" in done and "空文件.txt：文件为空，没有可导入的内容。" in done

    importing.refresh_from_db()
    assert (importing.status, importing.done, len(importing.failures)) == ("finished", 3, 1)
    listing = client.get(reverse("admin:bulletins_batchjob_changelist")).content.decode()
    assert "导入往期简报" in listing and "3 / 3" in listing
    detail = client.get(reverse("admin:bulletins_batchjob_change", args=[importing.pk])).content.decode()
    assert "<li>空文件.txt：文件为空，没有可导入的内容。</li>" in detail
    # The check's preview cannot be confirmed a second time.
    again = client.get(reverse("editorial:archive_job", args=[job.pk]))
    assert again.status_code == 404
    assert "这批文件已确认导入，或试导入的结果已过期，不能再次确认。" in again.content.decode()


def test_a_running_archive_job_shows_its_progress_and_failures_so_far(client, editor):
    job = BatchJob.objects.create(kind="archive_import", label="4 个往期简报文件", total=4, done=2,
                                  status="running", created_by=editor,
                                  failures=[{"item": "坏.pdf", "message": "文件已损坏。"}])
    page = client.get(reverse("editorial:archive_job", args=[job.pk])).content.decode()
    assert "导入往期简报：进行中，已处理 2 / 4 个文件，其中 1 个失败。" in page
    assert "坏.pdf：文件已损坏。" in page
    assert 'http-equiv="refresh"' in page


def test_an_archive_job_is_shown_only_to_who_started_it(client, editor):
    other = User.objects.create_user("other", password="pw", is_staff=True)
    job = BatchJob.objects.create(kind="archive_import", label="2 个往期简报文件", total=2,
                                  created_by=other)
    assert client.get(reverse("editorial:archive_job", args=[job.pk])).status_code == 404


def test_the_job_list_links_each_archive_job_of_the_editor_to_its_report(client, editor):
    check = BatchJob.objects.create(kind="archive_check", label="2 个往期简报文件", total=2,
                                    created_by=editor)
    importing = BatchJob.objects.create(kind="archive_import", label="3 个往期简报文件", total=3,
                                        done=3, status="finished", created_by=editor)
    render = BatchJob.objects.create(kind="render", label="5 期简报的PDF", total=5, created_by=editor)
    other = BatchJob.objects.create(
        kind="archive_import", label="4 个往期简报文件", total=4,
        created_by=User.objects.create_user("other", password="pw", is_staff=True))
    listing = client.get(reverse("admin:bulletins_batchjob_changelist")).content.decode()
    for job in (check, importing):
        assert f'<a href="{reverse("editorial:archive_job", args=[job.pk])}">查看报告</a>' in listing
    for job in (render, other):  # no report page, or one only its starter may open
        assert reverse("editorial:archive_job", args=[job.pk]) not in listing
    detail = client.get(reverse("admin:bulletins_batchjob_change", args=[importing.pk])).content.decode()
    assert f'<a href="{reverse("editorial:archive_job", args=[importing.pk])}">查看报告</a>' in detail


@pytest.mark.parametrize("jobs", [2, 40])
def test_the_job_list_takes_the_same_queries_however_many_jobs(client, editor, jobs,
                                                               django_assert_max_num_queries):
    for number in range(jobs):
        BatchJob.objects.create(kind=("archive_import", "render")[number % 2], label=f"任务{number}",
                                total=2, created_by=editor)
    with django_assert_max_num_queries(8):  # one of them looks for jobs whose worker died
        response = client.get(reverse("admin:bulletins_batchjob_changelist"))
    assert response.status_code == 200


def test_uploads_gone_from_the_cache_fail_the_job_with_a_message(editor):
    from bulletins.tasks import import_archive_batch

    job = BatchJob.objects.create(kind="archive_import", label="2 个往期简报文件", total=2,
                                  created_by=editor)
    import_archive_batch.call(job.pk, "no-such-token", dry_run=False, replace=False, accepted=[])
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.failures == [{"item": "上传的文件", "message": "上传的文件已过期，请重新上传。"}]


def test_the_import_command_records_its_progress_and_failures_as_a_job(tmp_path, monkeypatch):
    for name in (SEED_9, SEED_365):
        shutil.copy(SEEDS / name, tmp_path / name)
    (tmp_path / "空文件.txt").write_bytes(b"")
    seen = watch_progress(monkeypatch)
    out = StringIO()
    with pytest.raises(CommandError, match="共 3 个文件，成功 2 个，失败 1 个。"):
        call_command("import_archive", str(tmp_path), stdout=out)
    assert seen == ["0 / 3", "1 / 3", "2 / 3"]
    job = BatchJob.objects.get()
    assert (job.kind, job.status, job.done, job.total) == ("archive_import", "finished", 3, 3)
    empty = tmp_path / "空文件.txt"
    assert job.failures == [{"item": str(empty), "message": "文件为空，没有可导入的内容。"}]
    assert f"[1/3] 文件 {tmp_path / SEED_365}：" in out.getvalue()
    assert Issue.objects.count() == 2

    call_command("import_archive", str(tmp_path / SEED_9), "--dry-run", stdout=StringIO())
    check = BatchJob.objects.get(kind="archive_check")
    assert (check.status, check.done, check.failures) == ("finished", 1, [])


def run_database_queue() -> None:
    """Run the queued tasks as db_worker does (its loop closes connections a test needs)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[])
    for result in DBTaskResult.objects.ready():
        result.claim("test")
        worker.run_task(result)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_database_queue_worker_imports_the_uploaded_files(
        client, editor, settings, django_capture_on_commit_callbacks):
    # The real queue of a single machine: the task and its arguments go through the database.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editorial:archive_upload"), {"files": archive_uploads()})
    assert BatchJob.objects.get().status == "queued"
    run_database_queue()
    preview = client.get(response.url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("editorial:archive_confirm"), {"token": preview.context["token"]})
    run_database_queue()
    importing = BatchJob.objects.get(kind="archive_import")
    assert (importing.status, importing.done, len(importing.failures)) == ("finished", 3, 1)
    assert sorted(Issue.objects.values_list("number", flat=True)) == [9, 365]


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")
def test_the_redis_queue_worker_checks_the_uploaded_files(
        client, editor, settings, django_capture_on_commit_callbacks):
    import django_rq
    from django_tasks.signals import task_enqueued
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    enqueued = []

    def keep(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(keep)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("editorial:archive_upload"), {"files": archive_uploads()})
    finally:
        task_enqueued.disconnect(keep)
    [task_result] = enqueued
    queue = django_rq.get_queue("default", job_class=Job)
    job = Job.fetch(task_result.id, connection=queue.connection)
    # Run this job only (the Redis database may hold other runs' jobs), as the worker would.
    SimpleWorker([queue], connection=queue.connection, job_class=Job).execute_job(job, queue)
    batch = BatchJob.objects.get()
    assert (batch.status, batch.done, len(batch.failures)) == ("finished", 3, 1)
    assert "以下是试导入的结果，尚未保存。" in client.get(response.url).content.decode()


class _WorkerKilled(BaseException):
    """The worker process vanishing: nothing after it runs (see the test below)."""


def test_an_archive_job_whose_worker_died_ends_failed_with_the_files_it_had_done(
        client, editor, monkeypatch, django_capture_on_commit_callbacks):
    from bulletins import batch
    from bulletins.archive import importer

    with django_capture_on_commit_callbacks() as queued:
        preview = client.post(reverse("editorial:archive_upload"), {"files": archive_uploads()})
    run_queued(queued)
    token = client.get(preview.url).context["token"]
    with django_capture_on_commit_callbacks() as queued:
        confirmed = client.post(reverse("editorial:archive_confirm"), {"token": token})
    real = importer.archive_import_file

    def dies_at_the_third_file(**kwargs):
        if BatchJob.objects.get(kind="archive_import").done == 2:
            raise _WorkerKilled
        return real(**kwargs)
    monkeypatch.setattr(importer, "archive_import_file", dies_at_the_third_file)
    # Killed outright, the worker records nothing more: the job stays 进行中.
    monkeypatch.setattr(batch, "batch_finished", lambda job, **kwargs: None)
    run_queued(queued)  # the task backend records the task as failed; the job knows nothing
    monkeypatch.undo()
    job = BatchJob.objects.get(kind="archive_import")
    assert (job.status, job.done) == ("running", 2)
    assert "进行中，已处理 2 / 3 个文件" in client.get(confirmed.url).content.decode()  # not yet late

    BatchJob.objects.filter(pk=job.pk).update(progress_at=job.progress_at - batch.LOST_AFTER)
    page = client.get(confirmed.url).content.decode()

    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "导入往期简报：出错中止，已处理 2 / 3 个文件，其中 1 个失败。" in page
    assert "后台任务进程：中断：自" in page
    assert "再无进展，后台任务进程多半已停止。已处理 2 / 3 个，其余未处理；请重新发起。" in page
    assert "党委中心组 理论学习通讯 2023年第9期" in page.split('id="archive-job-done"')[1]
    assert 'http-equiv="refresh"' not in page
    assert sorted(Issue.objects.values_list("number", flat=True)) == [9, 365]
