"""Points computed from the year's own rules, the monthly quota, the ranking, the XLSX and the command."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from bulletins.services import issue_create
from intake.models import Submission
from intake.reports import report_xlsx, unit_report
from intake.services import (
    adopt,
    recognition_record,
    scoring_rules_save,
    submission_create,
    submission_submit,
)
from tests.factories import print_issue

pytestmark = pytest.mark.django_db

RULES_2025 = {"single_points": 5, "combined_points": 3, "higher_city": 20, "instruction_province": 50,
              "monthly_quota": 1, "quota_deduction": 2}


def sent(unit, reporter, title, month=11, year=2025):
    item = submission_submit(submission=submission_create(unit=unit, by=reporter, title=title,
                                                          body=f"<p>{title}。</p>"), by=reporter)
    when = datetime.datetime(year, month, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    Submission.objects.filter(pk=item.pk).update(submitted_at=when)  # as if sent then
    item.refresh_from_db()
    return item


@pytest.fixture
def year_2025(unit, other_unit, reporter, other_reporter, editor, column):
    """常山县发改局: one item alone, one merged with 教育局's, adopted higher (市) and 批示 (省)."""
    scoring_rules_save(year=2025, by=editor, **RULES_2025)
    issue = issue_create(publication=column.publication, date=datetime.date(2025, 11, 20), by=editor)
    alone = sent(unit, reporter, "单篇")
    merged = [sent(unit, reporter, "综合甲"), sent(other_unit, other_reporter, "综合乙")]
    adopt(submissions=[alone], issue=issue, column=column, by=editor)
    adopt(submissions=merged, issue=issue, column=column, by=editor)
    recognition_record(submission=alone, by=editor, kind="higher", level="city", name="市政务信息",
                       date=datetime.date(2025, 11, 25), note="第12期")
    recognition_record(submission=alone, by=editor, kind="instruction", level="province", name="王省长",
                       date=datetime.date(2025, 11, 28), note="批示件")
    return issue


def figures(report):
    return [(r.unit, r.submitted, r.adopted_single, r.adopted_combined, r.higher, r.instructions,
             r.months_short, r.points, r.rank) for r in report.rows]


def test_adoptions_count_only_once_their_issue_is_printed(year_2025, editor):
    assert [r.adopted for r in unit_report(year=2025, month=11).rows] == [0, 0]
    print_issue(issue=year_2025, by=editor)
    assert [r.adopted for r in unit_report(year=2025, month=11).rows] == [2, 1]


def test_an_adopted_article_removed_from_the_draft_counts_nothing(year_2025, editor):
    from bulletins.services import article_delete
    article_delete(article=year_2025.articles.get(title="单篇"), by=editor)
    print_issue(issue=year_2025, by=editor)
    assert [(r.adopted_single, r.adopted_combined) for r in unit_report(year=2025, month=11).rows] == [
        (0, 1), (0, 1)]


def test_the_points_of_a_month_from_the_rules_of_its_year(year_2025, editor):
    print_issue(issue=year_2025, by=editor)
    # 发改局 5 (单篇) + 3 (综合) + 20 (市级刊物) + 50 (省级批示); 教育局 3 (综合).
    assert figures(unit_report(year=2025, month=11)) == [
        ("常山县发改局", 2, 1, 1, 1, 1, 0, 78, 1),
        ("常山县教育局", 1, 0, 1, 0, 0, 0, 3, 2),
    ]


def test_the_year_deducts_every_month_the_quota_was_missed(year_2025, editor):
    print_issue(issue=year_2025, by=editor)
    report = unit_report(year=2025)
    # Only November had an item: eleven months short, 2 points each.
    assert figures(report) == [
        ("常山县发改局", 2, 1, 1, 1, 1, 11, 78 - 22, 1),
        ("常山县教育局", 1, 0, 1, 0, 0, 11, 3 - 22, 2),
    ]
    assert [r.quota_met for r in report.rows] == [False, False]


def test_the_monthly_quota_is_met_or_not(year_2025, editor, unit, reporter):
    report = unit_report(year=2025, month=11)
    assert [(r.unit, r.submitted, r.quota_met) for r in report.rows] == [
        ("常山县发改局", 2, True), ("常山县教育局", 1, True)]
    assert [(r.unit, r.quota_met, r.months_short) for r in unit_report(year=2025, month=10).rows] == [
        ("常山县发改局", False, 1), ("常山县教育局", False, 1)]


def test_next_years_rules_never_change_last_years_ranking(year_2025, editor):
    print_issue(issue=year_2025, by=editor)
    before = figures(unit_report(year=2025))
    scoring_rules_save(year=2026, by=editor, single_points=50, combined_points=1, monthly_quota=9)
    assert figures(unit_report(year=2025)) == before
    with pytest.raises(ValidationError) as refused:
        scoring_rules_save(year=2025, by=editor, single_points=50)
    assert refused.value.messages == ["2025年已结束，当年的计分规则随考核结果留存，不能修改。"]


def test_a_new_year_starts_from_the_last_years_rules(year_2025, editor):
    rules = scoring_rules_save(year=2026, by=editor, quota_deduction=7)
    assert (rules.single_points, rules.monthly_quota, rules.quota_deduction) == (5, 1, 7)


def test_equal_points_share_a_rank(unit, other_unit, reporter, other_reporter):
    # No rules for 2025: the defaults (2 items a month, 2 points off when missed).
    report = unit_report(year=2025, month=11)
    assert report.rules.pk is None
    assert [(r.unit, r.points, r.rank) for r in report.rows] == [
        ("常山县发改局", -2, 1), ("常山县教育局", -2, 1)]


def test_xlsx_keeps_text_as_text(year_2025, editor, unit):
    from bulletins.models import Organisation
    Organisation.objects.filter(pk=unit.pk).update(name="=HYPERLINK(\"http://x\")")
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report=unit_report(year=2025, month=11))))
    sheet = book.active
    assert sheet["A1"].value == "2025年11月信息工作考核通报"
    assert [c.value for c in sheet[2]][:3] == ["排名", "单位", "报送"]
    names = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=2).data_type for r in (3, 4)}
    assert names == {"=HYPERLINK(\"http://x\")": "s", "常山县教育局": "s"}


def test_the_command_prints_a_line_per_unit_and_writes_xlsx(year_2025, editor, tmp_path, capsys):
    print_issue(issue=year_2025, by=editor)
    call_command("intake_report", "--year", "2025", "--month", "11")
    assert capsys.readouterr().out.splitlines() == ["常山县发改局\t2\t2\t78\t1", "常山县教育局\t1\t1\t3\t2"]
    target = tmp_path / "tongbao.xlsx"
    call_command("intake_report", "--year", "2025", "-o", str(target))
    assert "已导出 2025年度信息工作考核通报：2 个单位" in capsys.readouterr().out
    assert openpyxl.load_workbook(target).active["B3"].value == "常山县发改局"


def test_the_command_refuses_a_wrong_month(db):
    from django.core.management import CommandError
    with pytest.raises(CommandError, match="月份须在 1 到 12 之间。"):
        call_command("intake_report", "--year", "2025", "--month", "13")
