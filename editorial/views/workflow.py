"""The workflow buttons of the issue page: each posts here and calls one transition."""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from bulletins.models import Issue
from bulletins.proofreading import proofread_issue
from editorial import workflow

DONE_MESSAGES = {
    "submit": "{issue}已送审。",
    "withdraw": "{issue}已撤回送审，回到草稿。",
    "approve": "{issue}已审核通过，等待签发。",
    "return_for_changes": "{issue}已退回修改。",
    "sign_off": "{issue}已签发，签发稿PDF已保存。",
    "publish": "{issue}已登记印发。",
    "reopen": "{issue}已重新打开，回到草稿。",
}
BAD_NUMBER_MESSAGE = "印数须为正整数。"
BAD_DATE_MESSAGE = "印发日期格式应为 2023-11-25。"


def _publish_arguments(request: HttpRequest) -> dict:
    print_run = request.POST.get("print_run", "").strip()
    printed_on = request.POST.get("printed_on", "").strip()
    arguments = {}
    if print_run:
        if not print_run.isdigit() or int(print_run) < 1:
            raise ValidationError(BAD_NUMBER_MESSAGE)
        arguments["print_run"] = int(print_run)
    if printed_on:
        try:
            arguments["printed_on"] = datetime.date.fromisoformat(printed_on)
        except ValueError as error:
            raise ValidationError(BAD_DATE_MESSAGE) from error
    return arguments


def _arguments(action: str, request: HttpRequest) -> dict:
    text = request.POST.get("text", "")
    if action in ("return_for_changes", "reopen"):
        return {"reason": text}
    if action == "publish":
        return _publish_arguments(request)
    return {"note": text}


@require_POST
def issue_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DONE_MESSAGES:
        raise Http404
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    step = getattr(workflow, action)
    try:
        step(issue=issue, by=request.user, **_arguments(action, request))
    except (PermissionDenied, ValidationError) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, DONE_MESSAGES[action].format(issue=issue.number_label))
        if action == "submit":
            # Findings never block; the submitter and the reviewer see the same list.
            messages.info(request, proofread_issue(issue).summary())
    if request.POST.get("back") == "review":
        return redirect("editorial:issue_review", issue.pk)
    return redirect("admin:bulletins_issue_change", issue.pk)


transition_view = admin.site.admin_view(issue_transition)
