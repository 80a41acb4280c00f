"""Batch jobs in the background: start one, and run it item by item with its progress saved."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bulletins.batch_models import BatchJob
from bulletins.models import Issue


def batch_render_start(*, issues: Iterable[Issue], label: str, by=None) -> BatchJob:
    """Create a job that renders the PDFs of `issues` into the cache, queued after commit."""
    from bulletins.tasks import render_issues_batch

    ids = [issue.pk for issue in issues]
    job = BatchJob.objects.create(kind=BatchJob.Kind.RENDER, label=label[:200], total=len(ids),
                                  created_by=by)
    transaction.on_commit(partial(render_issues_batch.enqueue, job.pk, ids))
    return job


def batch_started(job: BatchJob) -> None:
    job.status = BatchJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])


def batch_item_done(job: BatchJob, *, failure: tuple[str, str] | None = None) -> None:
    """Count one item as done (a failure is listed with its message); visible at once."""
    BatchJob.objects.filter(pk=job.pk).update(done=F("done") + 1)
    if failure is not None:
        item, message = failure
        job.failures.append({"item": item, "message": message})
        job.save(update_fields=["failures"])


def batch_finished(job: BatchJob, *, status: BatchJob.Status = BatchJob.Status.FINISHED) -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
