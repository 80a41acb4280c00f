"""Background tasks (django-tasks): issue PDFs are rendered by the worker, not in a web request."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django_tasks import task

from bulletins.models import Issue
from bulletins.rendering.background import (
    RenderJob,
    RenderState,
    RenderStatus,
    render_job_to_cache,
    render_status,
    set_render_state,
)

logger = logging.getLogger(__name__)


@task()
def render_issue(issue_id: int) -> str:
    """Render the issue as it is when the task runs into the PDF cache; return the final state."""
    issue = Issue.objects.select_related("publication").filter(pk=issue_id).first()
    if issue is None:
        return RenderState.NONE.value
    return render_job_to_cache(RenderJob.for_issue(issue)).state.value


def enqueue_issue_render(issue: Issue, job: RenderJob | None = None) -> RenderStatus:
    """Queue a render unless the PDF is cached or a render of this very content is under way."""
    job = job or RenderJob.for_issue(issue)
    status = render_status(job)
    if status.state in (RenderState.READY, RenderState.QUEUED, RenderState.RUNNING):
        return status
    set_render_state(job.key, RenderState.QUEUED)
    render_issue.enqueue(issue.pk)
    # An immediate backend has already rendered it.
    return render_status(job)


def _enqueue_after_commit(issue_id: int) -> None:
    issue = Issue.objects.select_related("publication").filter(pk=issue_id).first()
    if issue is not None:
        enqueue_issue_render(issue)


def queue_issue_render(issue: Issue) -> None:
    """Once the current transaction commits, queue a background render of the issue's PDF.

    A queue that cannot be reached does not undo the save: the PDF is then rendered when it
    is first asked for.
    """
    transaction.on_commit(partial(_enqueue_after_commit, issue.pk), robust=True)


@task()
def render_issues_batch(job_id: int, issue_ids: list[int]) -> dict:
    """Render many issues into the cache, one by one, saving the progress after each."""
    from bulletins.batch import batch_item_done, batch_running
    from bulletins.batch_models import BatchJob

    job = BatchJob.objects.get(pk=job_id)
    issues = Issue.objects.select_related("publication").in_bulk(issue_ids)
    with batch_running(job):
        for issue_id in issue_ids:
            issue = issues.get(issue_id)
            if issue is None:
                batch_item_done(job, failure=(f"#{issue_id}", "该期已删除。"))
                continue
            status = render_job_to_cache(RenderJob.for_issue(issue))
            failure = (str(issue), status.message) if status.state == RenderState.FAILED else None
            batch_item_done(job, failure=failure)
    job.refresh_from_db()
    return {"done": job.done, "failed": len(job.failures)}


@task()
def import_archive_batch(job_id: int, token: str, *, dry_run: bool, replace: bool,
                         accepted: list[int], unit_values: dict[str, dict[str, str]] | None = None) -> dict:
    """Import (or check) uploaded archive files one by one; the reports go to the cache."""
    from bulletins.archive.importer import archive_import_files
    from bulletins.batch import (
        ARCHIVE_UPLOAD_TIMEOUT,
        archive_results_key,
        archive_uploads_key,
        batch_count_import,
        batch_finished,
        batch_running,
        batch_started,
    )
    from bulletins.batch_models import BatchJob
    from bulletins.upload_cache import upload_cache

    cache = upload_cache()
    job = BatchJob.objects.select_related("created_by").get(pk=job_id)
    uploads = cache.get(archive_uploads_key(token))
    if uploads is None:
        batch_started(job)
        job.failures = [{"item": "上传的文件", "message": "上传的文件已过期，请重新上传。"}]
        job.save(update_fields=["failures"])
        batch_finished(job, status=BatchJob.Status.FAILED)
        return {"done": 0, "failed": job.total}
    files = [(name, {"content": content}) for name, content in uploads]
    with batch_running(job):
        # A check tries every file in full, doubts or not, so that the editor sees what it gives.
        results = archive_import_files(
            files, dry_run=dry_run, replace=replace, accept_warnings=dry_run, accepted=accepted,
            unit_values={int(index): values for index, values in (unit_values or {}).items()},
            by=job.created_by, each=lambda result: batch_count_import(job, result))
        # The reports are there before the job shows as finished.
        cache.set(archive_results_key(job), results, ARCHIVE_UPLOAD_TIMEOUT)
        # Files wait for confirmation only when there is something to confirm.
        if not dry_run or not any(result.ok for result in results):
            cache.delete(archive_uploads_key(token))
    return {"done": len(results), "failed": sum(not result.ok for result in results)}
