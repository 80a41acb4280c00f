"""Batch jobs in the background: start one, and run it item by item with its progress saved."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bulletins.batch_models import BatchJob


def batch_create(*, kind: BatchJob.Kind, label: str, total: int, by=None) -> BatchJob:
    return BatchJob.objects.create(kind=kind, label=label[:200], total=total, created_by=by)


def batch_started(job: BatchJob) -> None:
    job.status = BatchJob.Status.RUNNING
    job.started_at = job.progress_at = timezone.now()
    job.save(update_fields=["status", "started_at", "progress_at"])


def batch_item_done(job: BatchJob, *, failure: tuple[str, str] | None = None) -> None:
    """Count one item as done (a failure is listed with its message); visible at once."""
    BatchJob.objects.filter(pk=job.pk).update(done=F("done") + 1, progress_at=timezone.now())
    if failure is not None:
        item, message = failure
        job.failures.append({"item": item, "message": message})
        job.save(update_fields=["failures"])


def batch_finished(job: BatchJob, *, status: BatchJob.Status = BatchJob.Status.FINISHED) -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])


@contextmanager
def batch_running(job: BatchJob) -> Iterator[BatchJob]:
    """The job runs for the block and is finished after it, or marked failed if it raises."""
    batch_started(job)
    try:
        yield job
    except BaseException:
        batch_finished(job, status=BatchJob.Status.FAILED)
        raise
    batch_finished(job)


# A running job with no progress for this long lost its worker: one item (a render, an archive
# file) never takes as long.
LOST_AFTER = datetime.timedelta(minutes=15)
LOST_ITEM = "后台任务进程"
LOST_MESSAGE = ("中断：自{since}起再无进展，后台任务进程多半已停止。已处理 {done} / {total} 个，"
                "其余未处理；请重新发起。")


def batch_notice_lost(*, jobs=None) -> int:
    """End as failed the running jobs whose worker died (no progress for LOST_AFTER), saying how
    far they got; return how many. Called by the pages that show jobs."""
    cutoff = timezone.now() - LOST_AFTER
    lost = (jobs if jobs is not None else BatchJob.objects.all()).filter(
        status=BatchJob.Status.RUNNING, progress_at__lt=cutoff)
    count = 0
    for job in lost:
        with transaction.atomic():
            ended = BatchJob.objects.filter(pk=job.pk, status=BatchJob.Status.RUNNING,
                                            progress_at__lt=cutoff).select_for_update().first()
            if ended is None:
                continue  # it moved on meanwhile
            since = timezone.localtime(ended.progress_at).strftime("%Y-%m-%d %H:%M")
            ended.failures.append({"item": LOST_ITEM, "message": LOST_MESSAGE.format(
                since=since, done=ended.done, total=ended.total)})
            ended.status, ended.finished_at = BatchJob.Status.FAILED, timezone.now()
            ended.save(update_fields=["failures", "status", "finished_at"])
            count += 1
    return count


def batch_count_import(job: BatchJob, result) -> None:
    """Count one imported archive file in the job, listing it with its message if it failed."""
    if result.ok:
        batch_item_done(job)
        return
    # The importer's messages start with the file's name, which the job lists as the item.
    batch_item_done(job, failure=(result.name, result.error.removeprefix(f"{result.name}：")))
