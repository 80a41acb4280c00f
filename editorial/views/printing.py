"""Views beside the admin: the printed issue as an HTML preview, its PDF, Word and OFD editions."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bulletins.models import Issue, IssueEvent
from bulletins.rendering import MissingGlyphError
from bulletins.rendering.background import RenderJob, RenderState, cached_pdf
from bulletins.rendering.docx import (
    DOCX_CONTENT_TYPE,
    issue_docx_display_name,
    issue_docx_filename,
    render_issue_docx,
)
from bulletins.rendering.fonts import FontFace, current_fonts
from bulletins.rendering.html import printed_issue, render_issue_html
from bulletins.rendering.ofd import (
    OFD_CONTENT_TYPE,
    issue_ofd_display_name,
    issue_ofd_filename,
    render_issue_ofd,
)
from bulletins.rendering.pdf import issue_pdf_display_name, issue_pdf_filename
from bulletins.rendering.queue import enqueue_issue_render, render_status_checked
from bulletins.services.printing import issue_pdf_of_record

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
    return HttpResponse(render_issue_html(printed_issue(issue), for_screen=True, font_url=_font_url))


def _font_url(face: FontFace) -> str:
    return reverse("editorial:font_file", args=[face.token])


FONT_TYPES = {".otf": "font/otf", ".ttf": "font/ttf", ".ttc": "font/collection", ".woff2": "font/woff2"}


@require_GET
@staff_member_required
def font_file(request: HttpRequest, token: str) -> FileResponse:
    """A font file the preview uses, named by its token: only the configured faces, by name."""
    face = current_fonts().face_by_token(token)
    if face is None:
        raise Http404("没有这个字体。")
    response = FileResponse(open(face.path, "rb"),  # noqa: SIM115 - FileResponse closes it
                            content_type=FONT_TYPES.get(Path(face.path).suffix.lower(), "font/otf"))
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of record once the issue is signed off; before that, the rendered PDF from the
    cache, or, while it is being rendered in the background, a page that waits for it."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    pdf = issue_pdf_of_record(issue)
    if pdf is not None:
        return pdf_response(pdf, issue)
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
    return pdf_response(pdf, issue)


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def event_pdf(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    """A PDF signed off earlier, kept with its sign-off event even after a reopening."""
    event = get_object_or_404(IssueEvent.objects.select_related("issue__publication").exclude(pdf=""),
                              issue_id=pk, pk=event_pk)
    with event.pdf.open("rb") as stored:
        return pdf_response(stored.read(), event.issue)


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def event_sheet(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    """The 签发单 made at a sign-off, kept with its event (earlier ones too after a reopening)."""
    event = get_object_or_404(IssueEvent.objects.select_related("issue__publication")
                              .exclude(sheet_pdf=""), issue_id=pk, pk=event_pk)
    return _sheet_response(event)


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The 签发单 of the issue's latest sign-off."""
    event = IssueEvent.objects.select_related("issue__publication").exclude(sheet_pdf="") \
        .filter(issue_id=pk).order_by("-created_at", "-pk").first()
    if event is None:
        raise Http404("本期还没有签发单。")
    return _sheet_response(event)


def _sheet_response(event: IssueEvent) -> HttpResponse:
    with event.sheet_pdf.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    issue = event.issue
    stem = issue_pdf_display_name(issue).removesuffix(".pdf")
    response["Content-Disposition"] = _content_disposition(
        ascii_name=issue_pdf_filename(issue).replace(".pdf", f"-sheet-{event.pk}.pdf"),
        display_name=f"{stem}签发单.pdf")
    return response


def pdf_response(pdf: bytes, issue: Issue) -> HttpResponse:
    """The issue's PDF as a download under its Chinese name."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = _content_disposition(
        ascii_name=issue_pdf_filename(issue), display_name=issue_pdf_display_name(issue))
    return response


def _edition(request: HttpRequest, pk: int, *, label: str, render, content_type: str,
             ascii_name, display_name) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    try:
        data = render(issue)
    except MissingGlyphError as error:
        messages.error(request, f"无法生成{label}：{error}")
        return redirect("admin:bulletins_issue_change", issue.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = _content_disposition(
        ascii_name=ascii_name(issue), display_name=display_name(issue))
    return response


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _edition(request, pk, label="Word文件", render=render_issue_docx,
                    content_type=DOCX_CONTENT_TYPE, ascii_name=issue_docx_filename,
                    display_name=issue_docx_display_name)


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_ofd(request: HttpRequest, pk: int) -> HttpResponse:
    return _edition(request, pk, label="OFD文件", render=render_issue_ofd,
                    content_type=OFD_CONTENT_TYPE, ascii_name=issue_ofd_filename,
                    display_name=issue_ofd_display_name)


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_render_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The render status box of the issue page, fetched again while a render is under way."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    return TemplateResponse(request, "admin/bulletins/issue/_render_status.html", {
        "issue": issue, "render": render_status_checked(issue, RenderJob.for_issue(issue)),
        "poll_seconds": POLL_SECONDS,
    })


@require_POST
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_render_again(request: HttpRequest, pk: int) -> HttpResponse:
    """重新生成: queue a render of the issue again after it failed."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    status = enqueue_issue_render(issue, retry=True)
    if status.state == RenderState.FAILED:
        messages.error(request, status.message)
    else:
        messages.info(request, "已重新开始生成PDF。")
    return redirect("admin:bulletins_issue_change", issue.pk)
