"""Admin pages to import past issues: upload files, preview what was found, confirm.

One file is checked and imported within the request (about a second for a printed PDF). Several
files are handed to the task worker, both for the check and for the import: the editor follows
the job's progress on a page that refreshes itself, then sees the same reports.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bulletins.archive.importer import ImportResult, archive_import_files
from bulletins.batch import batch_notice_lost
from bulletins.batch_models import BatchJob
from bulletins.models import Organisation
from bulletins.tasks import batch_archive_start
from bulletins.upload_cache import (
    ARCHIVE_UPLOAD_TIMEOUT,
    archive_results_key,
    archive_uploads_key,
    upload_cache,
)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_PDF_SIZE = 50 * 1024 * 1024  # a printed issue embeds its fonts
SESSION_KEY = "archive_import_uploads"
JOBS_SESSION_KEY = "archive_import_jobs"  # background check job -> its upload token
# Importing adds issues and replaces the ones imported before; each issue is then refused or
# imported by the `import` verb of the lifecycle table, which asks for the 签发 permission.
PERMISSIONS = ("bulletins.add_issue", "bulletins.change_issue")
# Uploads of more files than this are checked and imported by the task worker.
INLINE_FILES = 1
POLL_SECONDS = 2
# The preview's choice for a name of a 版记 line that is no unit of its own: `unit:<file>:<name>`.
UNIT_FIELD_PREFIX = "unit:"
UPLOAD_EXPIRED = "上传的文件已过期，没有导入任何文件，请重新上传这些文件。"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # the importer explains what is wrong with it
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ArchiveUploadForm(forms.Form):
    files = MultipleFileField(
        label="往期简报文件",
        help_text="可一次选择多个文件：印发的 PDF（.pdf，须含文字层）、从 PDF 提取的文本（.txt）、"
                  "Markdown（.md）或归档 JSON（.json）。",
        error_messages={"required": "请选择要导入的文件。"},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            is_pdf = upload.name.lower().endswith(".pdf")
            if upload.size > (MAX_PDF_SIZE if is_pdf else MAX_FILE_SIZE):
                limit = "50 MB" if is_pdf else "5 MB"
                raise forms.ValidationError(f"文件“{upload.name}”超过 {limit}，无法导入。")
        return files


def _check_permission(request: HttpRequest) -> None:
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied("您没有导入往期简报的权限。")


def _context(request: HttpRequest, **extra) -> dict:
    return {**admin.site.each_context(request), "title": "导入往期简报", **extra}


def _import_all(uploads: list[tuple[str, bytes]], *, request: HttpRequest, dry_run: bool,
                replace: bool, accepted: set[int] | None = None,
                unit_values: dict[int, dict[str, str]] | None = None) -> list[ImportResult]:
    """Import each file; in the preview every file is tried in full, doubts or not, so that the
    editor sees what it would give; on confirmation a file in doubt is imported only if ticked."""
    return archive_import_files([(name, {"content": content}) for name, content in uploads],
                                dry_run=dry_run, replace=replace, accept_warnings=dry_run,
                                accepted=accepted or (), unit_values=unit_values, by=request.user)


def _unit_values(post) -> dict[int, dict[str, str]]:
    """The preview's choices per file: keep the name only in the printed line, create it, or an
    existing unit's id to merge it into."""
    values: dict[int, dict[str, str]] = {}
    for key in post:
        if key.startswith(UNIT_FIELD_PREFIX):
            index, _, name = key.removeprefix(UNIT_FIELD_PREFIX).partition(":")
            if index.isdigit() and name:
                values.setdefault(int(index), {})[name] = post[key]
    return values


def _preview(request: HttpRequest, *, results: list[ImportResult], token: str) -> HttpResponse:
    """What a dry run of the uploaded files found, to confirm (with choices for the 版记 names
    that are no units of their own)."""
    replacements = [label for result in results for label in result.replacements]
    has_fragments = any(report.fragments for result in results for report in result.issues)
    return render(request, "admin/bulletins/archive/preview.html", _context(
        request, results=results, token=token, importable=any(r.ok for r in results),
        replacements=replacements, preview=True,
        organisations=Organisation.objects.order_by("name").only("pk", "name", "active")
        if has_fragments else []))


@require_http_methods(["GET", "POST"])
def archive_upload(request: HttpRequest) -> HttpResponse:
    """Upload one or more files and show, per file, what a dry run found."""
    _check_permission(request)
    form = ArchiveUploadForm(request.POST, request.FILES) if request.method == "POST" else ArchiveUploadForm()
    if request.method != "POST" or not form.is_valid():
        return render(request, "admin/bulletins/archive/upload.html", _context(request, form=form))
    token = uuid.uuid4().hex
    uploads = [(Path(upload.name).name, upload.read()) for upload in form.cleaned_data["files"]]
    # The token is honoured only in the session that uploaded the files.
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), token]
    # Uploads wait for confirmation in the cache, never under MEDIA_ROOT (served as is), and
    # expire; only those that can be confirmed are kept (a job's are dropped by the job).
    if len(uploads) > INLINE_FILES:
        upload_cache().set(archive_uploads_key(token), uploads, ARCHIVE_UPLOAD_TIMEOUT)
        job = batch_archive_start(token=token, count=len(uploads), dry_run=True, by=request.user)
        request.session[JOBS_SESSION_KEY] = {**request.session.get(JOBS_SESSION_KEY, {}),
                                             str(job.pk): token}
        return redirect("editorial:archive_job", pk=job.pk)
    # The preview shows what a confirmed replacement would do; confirming it is a separate choice.
    results = _import_all(uploads, request=request, dry_run=True, replace=True)
    if any(result.ok for result in results):
        upload_cache().set(archive_uploads_key(token), uploads, ARCHIVE_UPLOAD_TIMEOUT)
    return _preview(request, results=results, token=token)


def _upload_again(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "admin/bulletins/archive/upload.html", _context(
        request, form=ArchiveUploadForm(), expired=message), status=400)


@require_POST
def archive_confirm(request: HttpRequest) -> HttpResponse:
    """Import the files uploaded for the preview; each file in its own transaction."""
    _check_permission(request)
    token = request.POST.get("token", "")
    tokens = list(request.session.get(SESSION_KEY, []))
    uploads = upload_cache().get(archive_uploads_key(token)) if token in tokens else None
    if token in tokens and uploads is None:
        # This session's upload, never confirmed, and gone: its time was up.
        request.session[SESSION_KEY] = [t for t in tokens if t != token]
        return _upload_again(request, UPLOAD_EXPIRED)
    if not uploads:
        return _upload_again(request, "上传的文件已过期或已导入，请重新上传。")
    request.session[SESSION_KEY] = [t for t in tokens if t != token]
    accepted = {int(value) for value in request.POST.getlist("accept") if value.isdigit()}
    replace = request.POST.get("replace") == "1"
    unit_values = _unit_values(request.POST)
    if len(uploads) > INLINE_FILES:
        # The worker reads the files from the cache and removes them when it is done.
        job = batch_archive_start(token=token, count=len(uploads), dry_run=False, replace=replace,
                                  accepted=accepted, unit_values=unit_values, by=request.user)
        return redirect("editorial:archive_job", pk=job.pk)
    upload_cache().delete(archive_uploads_key(token))
    results = _import_all(uploads, request=request, dry_run=False, replace=replace, accepted=accepted,
                          unit_values=unit_values)
    return render(request, "admin/bulletins/archive/done.html", _context(request, results=results))


@require_GET
def archive_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background check or import of archive files: its progress, then its reports."""
    _check_permission(request)
    jobs = BatchJob.objects.filter(created_by=request.user, kind__in=BatchJob.ARCHIVE_KINDS)
    batch_notice_lost(jobs=jobs.filter(pk=pk))
    job = get_object_or_404(jobs, pk=pk)
    if job.status == BatchJob.Status.FAILED:
        # The files done before it stopped, each with its report.
        return render(request, "admin/bulletins/archive/job.html", _context(
            request, job=job, done_results=upload_cache().get(archive_results_key(job)) or []))
    results = upload_cache().get(archive_results_key(job)) if job.status == BatchJob.Status.FINISHED else None
    if results is None:
        return render(request, "admin/bulletins/archive/job.html", _context(
            request, job=job, poll_seconds=POLL_SECONDS,
            running=job.status in (BatchJob.Status.QUEUED, BatchJob.Status.RUNNING)))
    if job.kind == BatchJob.Kind.ARCHIVE_IMPORT:
        return render(request, "admin/bulletins/archive/done.html", _context(request, results=results))
    token = request.session.get(JOBS_SESSION_KEY, {}).get(str(job.pk))
    if token is None or token not in request.session.get(SESSION_KEY, []):
        return render(request, "admin/bulletins/archive/job.html", _context(
            request, job=job, gone="这批文件已确认导入，或试导入的结果已过期，不能再次确认。"), status=404)
    return _preview(request, results=results, token=token)


upload_view = admin.site.admin_view(archive_upload)
confirm_view = admin.site.admin_view(archive_confirm)
job_view = admin.site.admin_view(archive_job)
