"""The reading room's 收到的简报 (/archive/received/): what was delivered to the units a 收文员 reads for.

签收 is one click on the issue page (or here); the page lists the issues newest first, with the
reminders (催收) of the ones not signed for at the top.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from bulletins.models import Delivery, Issue
from bulletins.services.delivery import reader_units, sign_for
from editorial.views.reading import issue_url, reader_required

PER_PAGE = 30
NOT_A_RECEIVER_MESSAGE = "您不是任何单位的收文员，没有收到的简报。如需设置，请联系编辑部。"
SIGNED_MESSAGE = "已为{unit}签收{issue}。"


@require_GET
@reader_required
def received(request: HttpRequest) -> HttpResponse:
    units = reader_units(request.user)
    if not units:
        raise PermissionDenied(NOT_A_RECEIVER_MESSAGE)
    rows = (Delivery.objects.for_reader(request.user).filter(issue__status=Issue.Status.PUBLISHED)
            .select_related("issue__publication", "unit")
            .order_by("-delivered_at", "-pk"))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    reminded = list(rows.filter(signed_at__isnull=True, reminders__gt=0).order_by("-last_reminded_at")[:20])
    for delivery in [*page.object_list, *reminded]:
        delivery.url = issue_url(delivery.issue)
    return render(request, "bulletins/web/received.html", {
        "units": units, "page": page, "reminded": reminded,
    })


@require_GET
@reader_required
def received_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The address in delivery mails: the issue's page in the reading room."""
    issue = get_object_or_404(Issue.objects.published().select_related("publication"), pk=pk)
    return redirect(issue_url(issue))


@require_POST
@reader_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.published().select_related("publication"), pk=pk)
    unit_id = request.POST.get("unit", "")
    unit = next((u for u in reader_units(request.user) if str(u.pk) == unit_id), None)
    try:
        delivery = sign_for(issue=issue, by=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, SIGNED_MESSAGE.format(unit=delivery.unit.name, issue=issue.number_label))
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/archive/") else issue_url(issue))
