"""Reading statistics of delivery: per issue (送达, 打开, 签收 by unit) and per unit over a period.

Each is one query, whatever the number of units; the XLSX exports write every text cell as text,
so that a unit's name beginning with = + - @ is never taken for a formula.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from bulletins.formats import text_cells
from bulletins.models import Delivery, Issue, Organisation, Publication
from bulletins.services.delivery import deliveries, working_days_between


@dataclass
class IssueFigures:
    rows: list[Delivery]
    delivered: int = 0
    opened: int = 0  # opened, signed or not
    signed: int = 0

    @property
    def unsigned(self) -> int:
        return self.delivered - self.signed

    @property
    def opened_unsigned(self) -> int:
        return self.opened - self.signed

    @property
    def not_opened(self) -> int:
        return self.delivered - self.opened


def issue_figures(*, issue: Issue) -> IssueFigures:
    """The issue's deliveries, with the counts of delivered, opened and signed units."""
    rows = deliveries(issue=issue)
    return IssueFigures(rows=rows, delivered=len(rows),
                        opened=sum(1 for row in rows if row.opened_at or row.signed_at),
                        signed=sum(1 for row in rows if row.signed_at))


@dataclass
class UnitFigures:
    unit: Organisation
    received: int = 0
    signed: int = 0
    in_time: int = 0  # signed within the working days allowed
    late: int = 0  # signed after them, or not signed and past them

    @property
    def unsigned(self) -> int:
        return self.received - self.signed


def unit_figures(*, start: datetime.date, end: datetime.date, within: int,
                 publication: Publication | None = None,
                 today: datetime.date | None = None) -> list[UnitFigures]:
    """Per unit, the issues delivered between `start` and `end` (local dates, both included):
    received, signed, signed within `within` working days, and late."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = Delivery.objects.filter(delivered_at__gte=since, delivered_at__lt=until,
                                   issue__status=Issue.Status.PUBLISHED)
    if publication is not None:
        rows = rows.filter(issue__publication=publication)
    figures: dict[int, UnitFigures] = {}
    for row in rows.select_related("unit").only("unit", "delivered_at", "signed_at").order_by("unit__name"):
        unit = figures.setdefault(row.unit_id, UnitFigures(unit=row.unit))
        unit.received += 1
        delivered = timezone.localdate(row.delivered_at)
        if row.signed_at:
            unit.signed += 1
            if working_days_between(delivered, timezone.localdate(row.signed_at)) <= within:
                unit.in_time += 1
            else:
                unit.late += 1
        elif working_days_between(delivered, today) > within:
            unit.late += 1
    return list(figures.values())


def _sheet(title: str, headers: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(values)
    text_cells(ws)
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = max(
            10, min(40, max(len(str(c.value or "")) for c in column) * 2))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _time(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


ISSUE_HEADERS = ["单位", "发送方式", "送达时间", "状态", "首次打开", "最近打开", "打开次数",
                 "签收时间", "签收人", "催收次数", "最近催收"]


def issue_figures_xlsx(*, issue: Issue, figures: IssueFigures) -> bytes:
    rows = [[row.unit.name, row.role, _time(row.delivered_at), row.state, _time(row.opened_at),
             _time(row.last_opened_at), row.open_count, _time(row.signed_at), row.signed_by_name,
             row.reminders, _time(row.last_reminded_at)] for row in figures.rows]
    rows.append(["合计", "", f"送达{figures.delivered}", f"签收{figures.signed}",
                 f"打开{figures.opened}", "", "", "", "", "", ""])
    return _sheet("签收情况", ISSUE_HEADERS, rows)


UNIT_HEADERS = ["单位", "收到期数", "已签收", "按时签收", "逾期", "未签收"]


def unit_figures_xlsx(*, figures: list[UnitFigures], within: int) -> bytes:
    headers = [*UNIT_HEADERS[:3], f"{within}个工作日内签收", *UNIT_HEADERS[4:]]
    rows = [[f.unit.name, f.received, f.signed, f.in_time, f.late, f.unsigned] for f in figures]
    return _sheet("各单位签收统计", headers, rows)
