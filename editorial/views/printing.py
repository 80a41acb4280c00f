"""Views beside the admin: the printed issue as an HTML preview and as its PDF."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from bulletins.models import Issue
from bulletins.rendering.background import RenderJob, RenderState, cached_pdf, render_status
from bulletins.rendering.html import printed_issue, render_issue_html
from bulletins.rendering.pdf import issue_pdf_display_name, issue_pdf_filename
from bulletins.tasks import enqueue_issue_render

# How often the waiting page and the issue page ask again while a render is under way.
POLL_SECONDS = 2


def _content_disposition(*, ascii_name: str, display_name: str) -> str:
    """attachment with an ASCII name and the Chinese one (RFC 6266 / RFC 5987)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(display_name)}"


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, pk=pk)
    return HttpResponse(render_issue_html(printed_issue(issue), for_screen=True))


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF from the cache; otherwise queue its render and show a page that waits for it."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    job = RenderJob.for_issue(issue)
    pdf = cached_pdf(job)
    if pdf is None:
        status = enqueue_issue_render(issue, job)
        if status.state == RenderState.FAILED:
            messages.error(request, status.message)
            return redirect("admin:bulletins_issue_change", issue.pk)
        pdf = cached_pdf(job) if status.state == RenderState.READY else None
        if pdf is None:
            return TemplateResponse(request, "admin/bulletins/issue/pdf_waiting.html", {
                **admin.site.each_context(request), "issue": issue, "status": status,
                "poll_seconds": POLL_SECONDS,
                "title": f"{issue.publication.full_name}{issue.number_label}：生成PDF",
            })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _content_disposition(
        ascii_name=issue_pdf_filename(issue), display_name=issue_pdf_display_name(issue))
    return response


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_render_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The render status box of the issue page, fetched again while a render is under way."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    return TemplateResponse(request, "admin/bulletins/issue/_render_status.html", {
        "issue": issue, "render": render_status(RenderJob.for_issue(issue)),
        "poll_seconds": POLL_SECONDS,
    })
