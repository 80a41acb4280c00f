"""Download an issue's mailroom sheet (分发清单) as PDF or XLSX."""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from bulletins.mailroom import mailroom_pdf, mailroom_sheet, mailroom_xlsx
from bulletins.models import Issue

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(pk: int):
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    return mailroom_sheet(issue=issue)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=filename)
    return response


@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_mailroom_pdf(request, pk: int) -> HttpResponse:
    sheet = _sheet(pk)
    return _download(mailroom_pdf(sheet=sheet), "application/pdf", f"{sheet.filename_stem}.pdf")


@staff_member_required
@permission_required("bulletins.view_issue", raise_exception=True)
def issue_mailroom_xlsx(request, pk: int) -> HttpResponse:
    sheet = _sheet(pk)
    return _download(mailroom_xlsx(sheet=sheet), XLSX_TYPE, f"{sheet.filename_stem}.xlsx")
