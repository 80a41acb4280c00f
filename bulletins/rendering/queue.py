"""The background render of one issue's PDF (django-tasks) and queueing it after a commit.

The services queue a render whenever an issue's content changes; the task renders it in the
worker into the PDF cache, where 下载PDF finds it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction
from django_tasks import task

from bulletins.availability import REDIS_UNAVAILABLE
from bulletins.models import Issue
from bulletins.rendering.background import (
    LOST_MESSAGE,
    RenderJob,
    RenderState,
    RenderStatus,
    render_job_to_cache,
    render_status,
    set_render_state,
)

logger = logging.getLogger(__name__)

# A render whose worker died is queued again once; lost a second time, it is failed.
LOST_RENDER_ATTEMPTS = 2

_queue_unreachable_told: ContextVar[Callable[[], None] | None] = ContextVar(
    "render_queue_unreachable_told", default=None)


@task()
def render_issue(issue_id: int) -> str:
    """Render the issue as it is when the task runs into the PDF cache; return the final state."""
    issue = Issue.objects.select_related("publication").filter(pk=issue_id).first()
    if issue is None:
        return RenderState.NONE.value
    return render_job_to_cache(RenderJob.for_issue(issue)).state.value


def enqueue_issue_render(issue: Issue, job: RenderJob | None = None, *, retry: bool = False) -> RenderStatus:
    """Queue a render unless the PDF is cached, a render of this very content is under way or
    has failed (then only when `retry`, the editor's 重新生成)."""
    job = job or RenderJob.for_issue(issue)
    status = render_status_checked(issue, job)
    if status.state in (RenderState.READY, RenderState.QUEUED, RenderState.RUNNING):
        return status
    if status.state == RenderState.FAILED and not retry:
        return status
    return _enqueue(issue, job, attempt=1)


def render_status_checked(issue: Issue, job: RenderJob) -> RenderStatus:
    """The render's state, noticing a render whose worker died: it is queued again once, then
    told as failed (LOST_MESSAGE) so that nobody waits for it forever."""
    status = render_status(job)
    if not status.lost:
        return status
    if status.attempt >= LOST_RENDER_ATTEMPTS:
        logger.error("The render of issue %s was lost twice: is the task worker running?", issue.pk)
        set_render_state(job.key, RenderState.FAILED, LOST_MESSAGE)
        return render_status(job)
    logger.warning("The render of issue %s was lost (its worker died): queued again.", issue.pk)
    return _enqueue(issue, job, attempt=status.attempt + 1)


def _enqueue(issue: Issue, job: RenderJob, *, attempt: int) -> RenderStatus:
    set_render_state(job.key, RenderState.QUEUED, attempt=attempt)
    render_issue.enqueue(issue.pk)
    # An immediate backend has already rendered it.
    return render_status(job)


def _enqueue_after_commit(issue_id: int) -> None:
    issue = Issue.objects.select_related("publication").filter(pk=issue_id).first()
    if issue is None:
        return
    try:
        enqueue_issue_render(issue)
    except REDIS_UNAVAILABLE:
        logger.warning("Redis is unreachable: the PDF of issue %s is rendered when asked for.", issue_id)
        tell = _queue_unreachable_told.get()
        if tell is not None:
            tell()


def queue_issue_render(issue: Issue) -> None:
    """Once the current transaction commits, queue a background render of the issue's PDF.

    A queue that cannot be reached does not undo the save: the PDF is then rendered when it
    is first asked for, and whoever `telling_if_queue_unreachable` names is told.
    """
    transaction.on_commit(partial(_enqueue_after_commit, issue.pk), robust=True)


@contextmanager
def telling_if_queue_unreachable(tell: Callable[[], None]) -> Iterator[None]:
    """Call `tell` (e.g. to say so to the user of a page) when a render the writes of this block
    queue after their commit finds the queue out of reach."""
    token = _queue_unreachable_told.set(tell)
    try:
        yield
    finally:
        _queue_unreachable_told.reset(token)
