"""Word manuscripts into an issue: upload .docx files under a column, see what each becomes, confirm."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bulletins.models import Column, Issue
from bulletins.services.manuscripts import import_manuscripts, manuscript_read
from bulletins.upload_cache import upload_cache
from editorial.views.archive import MultipleFileField

SESSION_KEY = "manuscript_uploads"
PERMISSION = "bulletins.add_article"
# Uploads wait for confirmation in the cache, never under MEDIA_ROOT (served as is), and expire.
UPLOAD_TIMEOUT = 60 * 60
MAX_FILES = 40
NOTHING_IMPORTED_MESSAGE = "{count} 篇稿件一篇也没有导入（要么全部导入，要么都不导入），原因如下："


class ManuscriptUploadForm(forms.Form):
    column = forms.ModelChoiceField(queryset=Column.objects.none(), label="栏目",
                                    error_messages={"required": "请选择文章所在的栏目。",
                                                    "invalid_choice": "所选栏目不属于本期的刊物。"})
    files = MultipleFileField(
        label="Word 稿件",
        help_text="可一次选择多个 .docx 文件（Word 或 WPS 保存），每个文件成为一篇文章。"
                  "旧版 .doc 文件请先另存为 .docx。",
        error_messages={"required": "请选择要导入的 Word 稿件。"},
    )

    def __init__(self, *args, issue: Issue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(publication_id=issue.publication_id)
        self.fields["files"].widget.attrs["accept"] = (
            ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多导入 {MAX_FILES} 个文件。")
        # Damaged or oversized files are reported one by one in the preview.
        return files


def _issue(request: HttpRequest, pk: int) -> Issue:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied("您没有增加文章的权限。")
    return get_object_or_404(Issue.objects.select_related("publication"), pk=pk)


def _context(request: HttpRequest, issue: Issue, **extra) -> dict:
    return {**admin.site.each_context(request), "title": "导入Word稿件", "issue": issue,
            "issue_url": reverse("admin:bulletins_issue_change", args=[issue.pk]), **extra}


def _cache_key(token: str) -> str:
    return f"manuscript-import:{token}"


def _read(upload) -> tuple[str, bytes]:
    return Path(upload.name).name, upload.read()


@require_http_methods(["GET", "POST"])
def manuscript_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a column and .docx files; show per file what would be created."""
    issue = _issue(request, pk)
    if not issue.is_editable:
        return render(request, "admin/bulletins/manuscripts/upload.html", _context(
            request, issue, form=None,
            refused=f"{issue.number_label}{issue.get_status_display()}，不能再增加文章。"), status=409)
    if request.method == "POST":
        form = ManuscriptUploadForm(request.POST, request.FILES, issue=issue)
    else:
        form = ManuscriptUploadForm(initial={"column": request.GET.get("column")}, issue=issue)
    if request.method != "POST" or not form.is_valid():
        return render(request, "admin/bulletins/manuscripts/upload.html",
                      _context(request, issue, form=form))
    column = form.cleaned_data["column"]
    results = [manuscript_read(name=name, content=content)
               for name, content in map(_read, form.cleaned_data["files"])]
    # The preview is the real import of what could be read, rolled back.
    tried = iter(import_manuscripts(issue=issue, column=column, by=request.user, dry_run=True,
                                    manuscripts=[result.manuscript for result in results if result.ok]
                                    ).results)
    results = [next(tried) if result.ok else result for result in results]
    token = uuid.uuid4().hex
    # What was read waits for confirmation (not the files: reading them is the slow part).
    good = [result.manuscript for result in results if result.ok]
    if good:  # a refused file is not kept
        upload_cache().set(_cache_key(token), {"issue": issue.pk, "column": column.pk, "manuscripts": good},
                           UPLOAD_TIMEOUT)
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), token]
    return render(request, "admin/bulletins/manuscripts/preview.html", _context(
        request, issue, column=column, results=results, token=token,
        importable=sum(result.ok for result in results)))


@require_POST
def manuscript_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the articles of the previewed files: all of them, or none."""
    issue = _issue(request, pk)
    token = request.POST.get("token", "")
    tokens = list(request.session.get(SESSION_KEY, []))
    pending = upload_cache().get(_cache_key(token)) if token in tokens else None
    if not pending or pending["issue"] != issue.pk:
        form = ManuscriptUploadForm(issue=issue)
        return render(request, "admin/bulletins/manuscripts/upload.html", _context(
            request, issue, form=form, refused="上传的稿件已过期或已导入，请重新上传。"), status=400)
    upload_cache().delete(_cache_key(token))
    request.session[SESSION_KEY] = [t for t in tokens if t != token]
    column = get_object_or_404(Column, pk=pending["column"], publication_id=issue.publication_id)
    outcome = import_manuscripts(issue=issue, column=column, manuscripts=pending["manuscripts"],
                                 by=request.user)
    if outcome.saved:
        titles = "、".join(f"《{result.article.title}》" for result in outcome.results)
        messages.success(request, f"已在栏目“{column.name}”导入 {len(outcome.results)} 篇文章：{titles}。")
    else:
        messages.error(request, NOTHING_IMPORTED_MESSAGE.format(count=len(outcome.results)))
        for result in outcome.failed:
            messages.error(request, result.error)
    return HttpResponseRedirect(reverse("admin:bulletins_issue_change", args=[issue.pk]))


upload_view = admin.site.admin_view(manuscript_upload)
confirm_view = admin.site.admin_view(manuscript_confirm)
