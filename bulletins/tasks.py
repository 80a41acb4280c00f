"""Background tasks (django-tasks): issue PDFs are rendered by the worker, not in a web request."""

from __future__ import annotations

import logging

from django_tasks import task

from bulletins.models import Issue
from bulletins.rendering.background import RenderJob, RenderState, render_job_to_cache

# Rendering one issue is queued by the services, below this module: it lives with the rendering.
from bulletins.rendering.queue import enqueue_issue_render, queue_issue_render, render_issue

__all__ = ["enqueue_issue_render", "import_archive_batch", "queue_issue_render", "render_issue",
           "render_issues_batch"]

logger = logging.getLogger(__name__)


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
        done: list = []

        def each(result) -> None:
            # Each file's report is kept as soon as it is done: a worker that dies leaves them.
            done.append(result)
            cache.set(archive_results_key(job), done, ARCHIVE_UPLOAD_TIMEOUT)
            batch_count_import(job, result)

        results = archive_import_files(
            files, dry_run=dry_run, replace=replace, accept_warnings=dry_run, accepted=accepted,
            unit_values={int(index): values for index, values in (unit_values or {}).items()},
            by=job.created_by, each=each)
        # The reports are there before the job shows as finished.
        cache.set(archive_results_key(job), results, ARCHIVE_UPLOAD_TIMEOUT)
        if not dry_run:
            cache.delete(archive_uploads_key(token))
    return {"done": len(results), "failed": sum(not result.ok for result in results)}
