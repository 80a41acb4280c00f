"""信息工作考核: per unit and period, items submitted, adopted, adopted higher up, 批示, points, quota, rank.

Everything is counted by grouped queries, so a report takes the same few queries whatever the number
of units and items. An adoption counts once its issue is printed, in the month of the issue's date;
an item counts as submitted in the month it was submitted; a recognition in the month of its date.
"""

from __future__ import annotations

import calendar
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from bulletins.formats import text_cells
from bulletins.models import Organisation
from intake.models import Adoption, Recognition, Reporter, ScoringRules, Submission
from intake.services import scoring_rules_for

HEADERS = ["排名", "单位", "报送", "单篇采用", "综合采用", "采用合计", "上级采用", "领导批示",
           "未完成月任务（月）", "得分", "完成任务"]


@dataclass
class UnitScore:
    unit_id: int
    unit: str
    submitted: int = 0
    adopted_single: int = 0
    adopted_combined: int = 0
    higher: int = 0
    instructions: int = 0
    points: int = 0
    months_short: int = 0
    quota_met: bool = True
    rank: int = 0

    @property
    def adopted(self) -> int:
        return self.adopted_single + self.adopted_combined

    def as_row(self) -> list:
        return [self.rank, self.unit, self.submitted, self.adopted_single, self.adopted_combined,
                self.adopted, self.higher, self.instructions, self.months_short, self.points,
                "是" if self.quota_met else "否"]


@dataclass
class Report:
    year: int
    month: int | None
    rules: ScoringRules
    rows: list[UnitScore] = field(default_factory=list)

    @property
    def title(self) -> str:
        period = f"{self.year}年{self.month}月" if self.month else f"{self.year}年度"
        return f"{period}信息工作考核通报"

    @property
    def max_points(self) -> int:
        return max((row.points for row in self.rows), default=0)

    def row_for(self, unit_id: int) -> UnitScore | None:
        return next((row for row in self.rows if row.unit_id == unit_id), None)


def _period(year: int, month: int | None) -> tuple[datetime.date, datetime.date]:
    if month:
        return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _next_day(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=1)


def _in_month(year: int, month: int) -> Q:
    first, last = _period(year, month)
    return Q(submitted_at__gte=_aware(first), submitted_at__lt=_aware(_next_day(last)))


def unit_report(*, year: int, month: int | None = None) -> Report:
    """The ranked figures of every unit that has a 信息员 or has submitted, for a year or one month."""
    rules = scoring_rules_for(year=year)
    first, last = _period(year, month)
    units = (Organisation.objects.filter(Q(pk__in=Reporter.objects.values("unit_id"))
                                         | Q(pk__in=Submission.objects.values("unit_id")))
             .order_by("name").values_list("pk", "name"))
    rows = {pk: UnitScore(unit_id=pk, unit=name) for pk, name in units}

    # One conditional count per month (plain range comparisons: no time-zone conversion per row).
    months = list(range(first.month, last.month + 1))
    per_month = {
        entry["unit_id"]: {m: entry[f"m{m}"] for m in months}
        for entry in (Submission.objects.submitted()
                      .filter(submitted_at__gte=_aware(first), submitted_at__lt=_aware(_next_day(last)))
                      .values("unit_id")
                      .annotate(**{f"m{m}": Count("pk", filter=_in_month(year, m)) for m in months})
                      .order_by())
    }

    adoptions = (Adoption.objects.final().filter(issue__date__range=(first, last))
                 .values("submission__unit_id", "mode").annotate(n=Count("pk")).order_by())
    points: dict[int, int] = defaultdict(int)
    for entry in adoptions:
        row = rows[entry["submission__unit_id"]]
        if entry["mode"] == Adoption.Mode.SINGLE:
            row.adopted_single += entry["n"]
            points[row.unit_id] += entry["n"] * rules.single_points
        else:
            row.adopted_combined += entry["n"]
            points[row.unit_id] += entry["n"] * rules.combined_points

    recognitions = (Recognition.objects.filter(date__range=(first, last))
                    .values("submission__unit_id", "kind", "level").annotate(n=Count("pk")).order_by())
    for entry in recognitions:
        row = rows[entry["submission__unit_id"]]
        if entry["kind"] == Recognition.Kind.HIGHER:
            row.higher += entry["n"]
        else:
            row.instructions += entry["n"]
        points[row.unit_id] += entry["n"] * rules.points_for(entry["kind"], entry["level"])

    judged = _quota_months(year, month)
    for row in rows.values():
        counts = per_month.get(row.unit_id, {})
        row.submitted = sum(counts.values())
        short = [m for m in judged if counts.get(m, 0) < rules.monthly_quota]
        row.quota_met = not short
        row.months_short = len([m for m in short if _month_over(year, m)])
        row.points = points[row.unit_id] - row.months_short * rules.quota_deduction
    return Report(year=year, month=month, rules=rules, rows=_ranked(list(rows.values())))


def _quota_months(year: int, month: int | None) -> list[int]:
    """The months whose quota is judged: those of the period that have begun."""
    today = timezone.localdate()
    months = [month] if month else list(range(1, 13))
    return [m for m in months if datetime.date(year, m, 1) <= today]


def _month_over(year: int, month: int) -> bool:
    return datetime.date(year, month, calendar.monthrange(year, month)[1]) < timezone.localdate()


def _ranked(rows: list[UnitScore]) -> list[UnitScore]:
    """Highest points first; equal points share a rank (1, 2, 2, 4)."""
    rows.sort(key=lambda r: (-r.points, -r.adopted, r.unit))
    for place, row in enumerate(rows, start=1):
        row.rank = rows[place - 2].rank if place > 1 and rows[place - 2].points == row.points else place
    return rows


def report_xlsx(*, report: Report) -> bytes:
    """The report as a workbook for the 通报; every text cell is stored as text, never as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = report.title[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append(row.as_row())
    text_cells(sheet)  # unit names are user text
    sheet.column_dimensions["B"].width = 30
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
