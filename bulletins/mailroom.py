"""The mailroom sheet (分发清单) of an issue: who gets how many copies, and where to send them.

The sheet lists the organisations as the directory has them now (copies, contact, address),
because it is what the mailroom posts today. For a published issue the printed lines shown
at the top are the frozen ones, and the print run is the one fixed when it was published.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from bulletins.formats import text_cells
from bulletins.models import ADDITION_LABEL, DistributionLine, Issue
from bulletins.rendering.fonts import current_fonts
from bulletins.rendering.html import font_context
from bulletins.rendering.pdf import write_pdf

HEADERS = ["序号", "发送方式", "单位", "份数", "联系人及电话", "邮寄地址", "邮编"]


@dataclass(frozen=True)
class MailroomRow:
    number: int
    role: str
    organisation: str
    copies: int
    contact: str
    address: str
    postcode: str

    def as_list(self) -> list:
        return [self.number, self.role, self.organisation, self.copies, self.contact,
                self.address, self.postcode]


@dataclass(frozen=True)
class MailroomSheet:
    issue: Issue
    title: str
    lines: list[DistributionLine]
    rows: list[MailroomRow]
    total_copies: int
    reserve: int
    print_run: int | None
    print_run_by_hand: bool
    is_published: bool

    @property
    def organisation_count(self) -> int:
        return len(self.rows)

    @property
    def filename_stem(self) -> str:
        return f"{self.issue.publication.short_name or self.issue.publication.name}" \
               f"{self.issue.number_label}分发清单"

    def totals_text(self) -> str:
        text = f"共 {self.organisation_count} 个单位，{self.total_copies} 份"
        if self.reserve:
            text += f"，另留存 {self.reserve} 份"
        if self.print_run is not None:
            text += f"；共印 {self.print_run} 份"
            if self.print_run_by_hand:
                text += "（印数为人工设定）"
        return text + "。"


def mailroom_sheet(*, issue: Issue) -> MailroomSheet:
    """Build the rows and totals of the issue's mailroom sheet."""
    additions = {r.organisation_id for r in issue.recipients.all()
                 if r.is_addition and r.organisation_id}
    rows = []
    for number, (role, organisation) in enumerate(issue.recipient_organisations(), start=1):
        label = role
        if organisation.pk in additions:
            label = f"{label}（{ADDITION_LABEL}）"
        rows.append(MailroomRow(
            number=number, role=label, organisation=organisation.name,
            copies=organisation.copies, contact=organisation.contact,
            address=organisation.address, postcode=organisation.postcode))
    is_published = issue.status == Issue.Status.PUBLISHED
    return MailroomSheet(
        issue=issue,
        title=f"{issue.publication.full_name} {issue.number_label} 分发清单",
        lines=issue.distribution_lines(),
        rows=rows,
        total_copies=sum(row.copies for row in rows),
        reserve=issue.publication.print_run_reserve,
        print_run=issue.effective_print_run,
        print_run_by_hand=issue.print_run is not None and not is_published,
        is_published=is_published,
    )


def mailroom_xlsx(*, sheet: MailroomSheet) -> bytes:
    """Write the sheet as an XLSX workbook with one worksheet."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "分发清单"
    ws.append([sheet.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    for line in sheet.lines:
        ws.append([str(line)])
    ws.append(HEADERS)
    header_row = ws.max_row
    thin = Side(style="thin")
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = Border(top=thin, bottom=thin)
    for row in sheet.rows:
        ws.append(row.as_list())
    ws.append(["合计", "", f"{sheet.organisation_count} 个单位", sheet.total_copies])
    ws[ws.max_row][0].font = Font(bold=True)
    if sheet.reserve:
        ws.append(["留存", "", "", sheet.reserve])
    if sheet.print_run is not None:
        ws.append(["共印", "", "", sheet.print_run])
    for column, width in zip("ABCDEFG", [6, 14, 36, 8, 24, 40, 10], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    text_cells(ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mailroom_html(*, sheet: MailroomSheet) -> str:
    return render_to_string("bulletins/pdf/mailroom.html",
                            {"sheet": sheet, "headers": HEADERS, **font_context(current_fonts())})


def mailroom_pdf(*, sheet: MailroomSheet) -> bytes:
    """Render the sheet as a PDF, in the bulletin fonts, fetching nothing from outside."""
    return write_pdf(mailroom_html(sheet=sheet))
