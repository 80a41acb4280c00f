"""Background tasks (django-tasks): issue PDFs are rendered by the worker, not in a web request."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django_tasks import task

from bulletins.batch import (
    batch_count_import,
    batch_create,
    batch_finished,
    batch_item_done,
    batch_running,
    batch_started,
)
from bulletins.batch_models import BatchJob
from bulletins.models import Issue
from bulletins.rendering.background import RenderJob, RenderState, render_job_to_cache

# Rendering one issue is queued by the services, below this module: it lives with the rendering.
from bulletins.rendering.queue import enqueue_issue_render, queue_issue_render, render_issue
from bulletins.upload_cache import (
    ARCHIVE_UPLOAD_TIMEOUT,
    archive_results_key,
    archive_uploads_key,
    upload_cache,
)

__all__ = ["batch_archive_start", "batch_render_start", "enqueue_issue_render", "import_archive_batch",
           "queue_issue_render", "render_issue", "render_issues_batch"]

logger = logging.getLogger(__name__)


@task()
def render_issues_batch(job_id: int, issue_ids: list[int]) -> dict:
    """Render many issues into the cache, one by one, saving the progress after each."""
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
        # Files wait for confirmation only when there is something to confirm.
        if not dry_run or not any(result.ok for result in results):
            cache.delete(archive_uploads_key(token))
    return {"done": len(results), "failed": sum(not result.ok for result in results)}


# ---- starting a batch job: created now, queued once the transaction commits ----


def batch_render_start(*, issues: Iterable[Issue], label: str, by=None) -> BatchJob:
    """Create a job that renders the PDFs of `issues` into the cache, queued after commit."""
    ids = [issue.pk for issue in issues]
    job = batch_create(kind=BatchJob.Kind.RENDER, label=label, total=len(ids), by=by)
    transaction.on_commit(partial(render_issues_batch.enqueue, job.pk, ids))
    return job


def batch_archive_start(*, token: str, count: int, dry_run: bool, replace: bool = False,
                        accepted: Iterable[int] = (), unit_values: dict[int, dict[str, str]] | None = None,
                        by=None) -> BatchJob:
    """Create a job that imports (or, as a dry run, checks) the files uploaded under `token`;
    `unit_values` are the preview's choices for the 版记 names of each file, by file index."""
    kind = BatchJob.Kind.ARCHIVE_CHECK if dry_run else BatchJob.Kind.ARCHIVE_IMPORT
    job = batch_create(kind=kind, label=f"{count} 个往期简报文件", total=count, by=by)
    # Task arguments travel as JSON, whose object keys are strings.
    values = {str(index): choices for index, choices in (unit_values or {}).items()}
    transaction.on_commit(partial(import_archive_batch.enqueue, job.pk, token, dry_run=dry_run,
                                  replace=replace, accepted=sorted(accepted), unit_values=values))
    return job
