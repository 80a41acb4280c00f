"""The office's delivery pages: an issue's 签收情况 with 催收, and the units' statistics, with XLSX."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from bulletins.delivery_figures import issue_figures, issue_figures_xlsx, unit_figures, unit_figures_xlsx
from bulletins.models import Issue, Organisation, Publication
from bulletins.services.delivery import issue_deliver, remind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REMINDED_MESSAGE = "已向{count}个单位催收：{units}。"
NOTHING_TO_REMIND_MESSAGE = "没有需要催收的单位：所选单位都已签收。"
NONE_CHOSEN_MESSAGE = "请先勾选要催收的单位。"
DELIVERED_MESSAGE = "已按版记送达{count}个单位。"
NOTHING_TO_DELIVER_MESSAGE = "本次印发已经送达，没有新的单位需要送达。"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _issue(pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("publication"), pk=pk)


@permission_required("bulletins.view_delivery", raise_exception=True)
def issue_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    figures = issue_figures(issue=issue)
    groups = [(state, [row for row in figures.rows if row.state == state])
              for state in ("未打开", "已打开未签收", "已签收")]
    return render(request, "admin/bulletins/issue/delivery.html", {
        **admin.site.each_context(request), "title": f"{issue}：送达与签收", "issue": issue,
        "figures": figures, "groups": groups,
        "can_remind": request.user.has_perm("bulletins.remind_delivery"),
    })


@permission_required("bulletins.view_delivery", raise_exception=True)
def issue_delivery_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    content = issue_figures_xlsx(issue=issue, figures=issue_figures(issue=issue))
    return _xlsx(content, f"{issue.publication.full_name}{issue.number_label}签收情况.xlsx")


@require_POST
def issue_remind(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    units = None
    if "all" not in request.POST:
        ids = [value for value in request.POST.getlist("unit") if value.isdigit()]
        if not ids:
            messages.error(request, NONE_CHOSEN_MESSAGE)
            return redirect("editorial:issue_delivery", issue.pk)
        units = list(Organisation.objects.filter(pk__in=ids))
    try:
        reminded = remind(issue=issue, by=request.user, units=units)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if reminded:
            messages.success(request, REMINDED_MESSAGE.format(
                count=len(reminded), units="、".join(row.unit.name for row in reminded)))
        else:
            messages.warning(request, NOTHING_TO_REMIND_MESSAGE)
    return redirect("editorial:issue_delivery", issue.pk)


@require_POST
@permission_required("bulletins.remind_delivery", raise_exception=True)
def issue_deliver_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Deliver by hand: an issue printed before delivery existed, or whose delivery failed."""
    issue = _issue(pk)
    try:
        delivered = issue_deliver(issue=issue)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if delivered:
            messages.success(request, DELIVERED_MESSAGE.format(count=len(delivered)))
        else:
            messages.warning(request, NOTHING_TO_DELIVER_MESSAGE)
    return redirect("editorial:issue_delivery", issue.pk)


class StatisticsForm(forms.Form):
    start = forms.DateField(label="送达日期自", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="至", widget=forms.DateInput(attrs={"type": "date"}))
    within = forms.IntegerField(label="按时签收（工作日内）", min_value=0, max_value=60, initial=3)
    publication = forms.ModelChoiceField(label="刊物", queryset=Publication.objects.all(), required=False,
                                         empty_label="全部刊物")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def _statistics_form(request: HttpRequest) -> StatisticsForm:
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today, "within": 3}
    data = request.GET if "start" in request.GET else {k: str(v) for k, v in initial.items()}
    return StatisticsForm(data)


@permission_required("bulletins.view_delivery", raise_exception=True)
def statistics(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    figures = None
    if form.is_valid():
        data = form.cleaned_data
        figures = unit_figures(start=data["start"], end=data["end"], within=data["within"],
                               publication=data["publication"])
        if request.GET.get("format") == "xlsx":
            return _xlsx(unit_figures_xlsx(figures=figures, within=data["within"]),
                         f"各单位签收统计{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.xlsx")
    return render(request, "admin/bulletins/delivery/statistics.html", {
        **admin.site.each_context(request), "title": "各单位签收统计", "form": form, "figures": figures,
        "totals": _totals(figures or []), "query": request.GET.urlencode(),
    })


def _totals(figures) -> dict[str, int]:
    return {name: sum(getattr(f, name) for f in figures)
            for name in ("received", "signed", "in_time", "late", "unsigned")}


issue_delivery_view = admin.site.admin_view(issue_delivery)
issue_delivery_xlsx_view = admin.site.admin_view(issue_delivery_xlsx)
issue_remind_view = admin.site.admin_view(issue_remind)
issue_deliver_view = admin.site.admin_view(issue_deliver_now)
statistics_view = admin.site.admin_view(statistics)
