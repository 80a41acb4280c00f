"""The background render of one issue's PDF (django-tasks) and queueing it after a commit.

The services queue a render whenever an issue's content changes; the task renders it in the
worker into the PDF cache, where 下载PDF finds it.
"""

from __future__ import annotations

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
