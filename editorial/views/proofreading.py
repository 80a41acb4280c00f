"""The 校对 panel's page and actions: apply safe fixes, dismiss findings, undo a dismissal.

Every action is a POST that calls a service and returns to the page it came from, with a
message saying what happened.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from bulletins.models import Article, Issue, ProofreadingDismissal
from bulletins.services import (
    article_proofreading_fix,
    article_proofreading_fix_all,
    issue_proofreading_fix_all,
    proofreading_dismissal_remove,
    proofreading_finding_dismiss,
)
from editorial.proofreading import panel_context


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return HttpResponseRedirect(f"{target.split('#')[0]}#proofreading")


def _issue_page(issue_id: int) -> str:
    return reverse("admin:bulletins_issue_change", args=[issue_id])


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, "".join(error.messages))


@require_GET
@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_proofreading(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue's findings on a page of their own, for the editor and the reviewer."""
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    context = {
        **admin.site.each_context(request),
        "title": f"校对：{issue}",
        "original": issue,
        "opts": Issue._meta,
        "standalone": True,
        **panel_context(request, issue),
    }
    return TemplateResponse(request, "admin/bulletins/proofreading/issue.html", context)


@require_POST
@staff_member_required
@permission_required("bulletins.change_article", raise_exception=True)
def article_fix(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("issue"), pk=pk)
    try:
        finding = article_proofreading_fix(article=article, token=request.POST.get("token", ""),
                                           by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已改正《{article.title}》{finding.location}：{finding.message}")
    return _back(request, _issue_page(article.issue_id))


@require_POST
@staff_member_required
@permission_required("bulletins.change_article", raise_exception=True)
def article_fix_all(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("issue"), pk=pk)
    try:
        count = article_proofreading_fix_all(article=article, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已在《{article.title}》中改正 {count} 处。")
    return _back(request, _issue_page(article.issue_id))


@require_POST
@staff_member_required
@permission_required("bulletins.change_article", raise_exception=True)
def issue_fix_all(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, pk=pk)
    try:
        count = issue_proofreading_fix_all(issue=issue, by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已在本期各篇文章中改正 {count} 处。")
    return _back(request, _issue_page(issue.pk))


@require_POST
@staff_member_required
@permission_required("bulletins.add_proofreadingdismissal", raise_exception=True)
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue, pk=pk)
    article_id = request.POST.get("article") or None
    article = (get_object_or_404(Article.objects.select_related("issue"), pk=article_id, issue=issue)
               if article_id else None)
    try:
        dismissal = proofreading_finding_dismiss(issue=issue, article=article,
                                                 key=request.POST.get("key", ""),
                                                 reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已忽略：{dismissal.message}（理由：{dismissal.reason}）")
    return _back(request, _issue_page(issue.pk))


@require_POST
@staff_member_required
@permission_required("bulletins.delete_proofreadingdismissal", raise_exception=True)
def dismissal_remove(request: HttpRequest, pk: int) -> HttpResponse:
    dismissal = get_object_or_404(ProofreadingDismissal, pk=pk)
    proofreading_dismissal_remove(dismissal=dismissal)
    messages.success(request, f"已恢复：{dismissal.message}")
    return _back(request, _issue_page(dismissal.issue_id))
