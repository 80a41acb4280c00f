"""审阅: the issue as it will print, page by page, with the 校对 summary and the timeline, where
the reviewer gives 审核意见 and the signer 签发意见 as part of 审核通过 and 签发."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from bulletins.models import Issue
from bulletins.rendering.background import RenderJob, RenderState, cached_pdf
from bulletins.rendering.queue import enqueue_issue_render
from bulletins.rendering.raster import pdf_page_count, pdf_page_png
from bulletins.services.printing import issue_pdf_of_record
from editorial import workflow

POLL_SECONDS = 2
# The verbs taken on this page, each with the opinion it records.
REVIEW_VERBS = ("approve", "sign_off", "return_for_changes", "reopen")


def _issue(pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("publication"), pk=pk)


def _pdf(issue: Issue) -> bytes | None:
    """The PDF of record, or the one sign-off would store, from the render cache; never laid
    out in the request."""
    return issue_pdf_of_record(issue) or cached_pdf(RenderJob.for_issue(issue))


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_review(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    pdf = _pdf(issue)
    status = None
    if pdf is None:
        # Rendered by the worker (in its render child); this page refreshes until it is there.
        status = enqueue_issue_render(issue)
    return TemplateResponse(request, "admin/bulletins/issue/review.html", {
        **admin.site.each_context(request),
        "title": f"审阅：{issue.publication.full_name}{issue.number_label}",
        "original": issue, "status": status,
        "failed": status is not None and status.state == RenderState.FAILED,
        "pages": range(1, pdf_page_count(pdf) + 1) if pdf is not None else (),
        "poll_seconds": POLL_SECONDS,
        "actions": [a for a in workflow.available_actions(issue, request.user) if a in REVIEW_VERBS],
        "events": issue.events.select_related("revision").order_by("created_at", "pk"),
    })


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_review_page(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One page of that PDF as an image (the PDF is drawn, never laid out, here)."""
    pdf = _pdf(_issue(pk))
    png = pdf_page_png(pdf, number) if pdf is not None else None
    if png is None:
        raise Http404("没有这一页。")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response
