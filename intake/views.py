"""The intake pages beside the admin: the workbench, the buttons of an item, adoption, calls, the report."""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from intake import services
from intake.admin import is_handler, reporter_unit_id
from intake.forms import AdoptForm, PeriodForm
from intake.models import Call, Reporter, Submission
from intake.reports import report_xlsx, unit_report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT = 20

# Each button of an item: the service, what it takes from the form, and what is said when done.
STEPS = {
    "submit": (services.submission_submit, None, "“{title}”已报送，等待编辑部采编。"),
    "withdraw": (services.submission_withdraw, None, "“{title}”已撤回，回到草稿。"),
    "reject": (services.reject, "reason", "“{title}”已退稿。"),
    "archive": (services.submission_archive, "note", "“{title}”已存档。"),
    "revoke": (services.adoption_revoke, "reason", "已撤销采用“{title}”。"),
}


def _error_text(error: PermissionDenied | ValidationError) -> str:
    return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)


def workbench(request: HttpRequest) -> HttpResponse:
    """A 信息员's calls, items and standing; the office's waiting items and open calls."""
    unit_id = reporter_unit_id(request.user)
    context = {**admin.site.each_context(request), "title": "信息报送工作台",
               "is_handler": is_handler(request.user)}
    today = timezone.localdate()
    open_calls = Call.objects.filter(deadline__gte=today - datetime.timedelta(days=7))
    if unit_id is not None:
        reporter = Reporter.objects.select_related("unit").get(user_id=request.user.pk)
        report = unit_report(year=today.year)
        context.update(unit=reporter.unit, standing=report.row_for(unit_id), unit_count=len(report.rows),
                       calls=open_calls.addressed_to(unit_id),
                       items=Submission.objects.of_unit(unit_id)[:RECENT])
    if context["is_handler"]:
        context.update(waiting=Submission.objects.waiting().select_related("unit")[:RECENT],
                       waiting_count=Submission.objects.waiting().count(),
                       office_calls=open_calls[:RECENT])
    return render(request, "admin/intake/workbench.html", context)


@require_POST
def submission_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STEPS:
        raise Http404
    service, argument, done = STEPS[action]
    item = get_object_or_404(Submission.objects.select_related("unit"), pk=pk)
    arguments = {argument: request.POST.get("text", "")} if argument else {}
    try:
        service(submission=item, by=request.user, **arguments)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done.format(title=item.title))
    return redirect("admin:intake_submission_change", item.pk)


def adopt_view(request: HttpRequest) -> HttpResponse:
    """采用 one item, or 合并采用 several, into a draft issue as a new article."""
    if not is_handler(request.user):
        raise PermissionDenied(services.NO_HANDLER_MESSAGE.format(action="采用"))
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
    items = list(Submission.objects.filter(pk__in=ids).select_related("unit").order_by("submitted_at", "pk"))
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.adopt(submissions=items, issue=form.cleaned_data["issue"],
                                     column=form.cleaned_data["column"], by=request.user,
                                     title=form.cleaned_data["title"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已采用为“{article.title}”，可继续修改。")
            return redirect("admin:bulletins_article_change", article.pk)
    context = {**admin.site.each_context(request), "title": "采用报送信息", "items": items, "form": form}
    return render(request, "admin/intake/adopt.html", context)


@require_POST
def call_remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=pk)
    try:
        pending = services.call_remind(call=call, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        if pending:
            names = "、".join(u.name for u in pending)
            messages.success(request, f"已向{len(pending)}个未报送单位发出催报：{names}。")
        else:
            messages.info(request, "所有单位都已报送，无需催报。")
    return redirect("admin:intake_call_change", call.pk)


def _period(request: HttpRequest) -> PeriodForm:
    form = PeriodForm.from_request(request.GET)
    if not form.is_valid():
        form = PeriodForm.from_request({})
        form.is_valid()
    return form


def report_view(request: HttpRequest) -> HttpResponse:
    """The ranked figures with a bar per unit; a 信息员 sees their own unit's figures and rank."""
    handler = is_handler(request.user) and request.user.has_perm("intake.view_report")
    unit_id = reporter_unit_id(request.user)
    if not handler and unit_id is None:
        raise PermissionDenied("您没有查看信息工作考核的权限。")
    form = _period(request)
    report = unit_report(year=form.cleaned_data["year"], month=form.cleaned_data["month"])
    rows = report.rows if handler else [r for r in report.rows if r.unit_id == unit_id]
    query = request.GET.urlencode()
    context = {**admin.site.each_context(request), "title": report.title, "report": report, "rows": rows,
               "form": form, "handler": handler, "unit_count": len(report.rows),
               "xlsx_url": f"{reverse('intake:report_xlsx')}?{query}"}
    return render(request, "admin/intake/report.html", context)


def report_xlsx_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("intake.view_report"):
        raise PermissionDenied("您没有导出信息工作考核的权限。")
    form = _period(request)
    report = unit_report(year=form.cleaned_data["year"], month=form.cleaned_data["month"])
    response = HttpResponse(report_xlsx(report=report), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=f"{report.title}.xlsx")
    return response
