"""The mailroom sheet: rows, totals, XLSX and PDF."""

import datetime
import io

import pdfplumber
import pytest
from openpyxl import load_workbook

from bulletins.mailroom import mailroom_pdf, mailroom_sheet, mailroom_xlsx
from bulletins.models import Role
from bulletins.services import issue_add_recipient, issue_create
from tests.factories import DistributionListFactory, OrganisationFactory, PublicationFactory, print_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    publication = PublicationFactory(name="工作简报", name_prefix="", short_name="简报",
                                     print_run_reserve=10)
    report = DistributionListFactory(publication=publication, role=Role.REPORT, is_default=True,
                                     position=0)
    report.members.create(position=0, organisation=OrganisationFactory(
        name="中央协调办", copies=2, contact="王明 010-66000000", address="北京市西城区某路1号",
        postcode="100000"))
    issue_list = DistributionListFactory(publication=publication, role=Role.ISSUE,
                                         is_default=True, position=1)
    issue_list.members.create(position=0, organisation=OrganisationFactory(
        name="各设区市委宣传部", copies=13, address="各市"))
    issue_list.members.create(position=1, organisation=OrganisationFactory(
        name="已撤销单位", copies=50, active=False))
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), number=454)
    issue_add_recipient(issue=issue, role=Role.SEND, is_addition=True,
                        organisation=OrganisationFactory(name="省社科院", copies=3))
    return issue


def test_rows_follow_the_printing_order_with_copies_and_addresses(issue):
    sheet = mailroom_sheet(issue=issue)
    assert [row.as_list() for row in sheet.rows] == [
        [1, "报", "中央协调办", 2, "王明 010-66000000", "北京市西城区某路1号", "100000"],
        [2, "送（本期增发）", "省社科院", 3, "", "", ""],
        [3, "发", "各设区市委宣传部", 13, "", "各市", ""],
    ]
    assert sheet.title == "工作简报 2023年第454期 分发清单"
    assert sheet.totals_text() == "共 3 个单位，18 份，另留存 10 份；共印 28 份。"
    assert sheet.filename_stem == "简报2023年第454期分发清单"


def test_a_print_run_set_by_hand_is_marked(issue):
    issue.print_run = 2000
    issue.save()
    assert mailroom_sheet(issue=issue).totals_text() == (
        "共 3 个单位，18 份，另留存 10 份；共印 2000 份（印数为人工设定）。")


def test_a_published_issue_shows_its_printed_lines_and_print_run(issue):
    print_issue(issue=issue)
    OrganisationFactory._meta.model.objects.filter(name="中央协调办").update(
        name="中央协调小组办公室", copies=5)
    issue.refresh_from_db()
    sheet = mailroom_sheet(issue=issue)
    assert [str(line) for line in sheet.lines] == [
        "报：中央协调办", "发：各设区市委宣传部", "本期增发：省社科院"]
    assert sheet.rows[0].organisation == "中央协调小组办公室"
    assert (sheet.print_run, sheet.is_published) == (28, True)
    assert sheet.totals_text() == "共 3 个单位，21 份，另留存 10 份；共印 28 份。"


def test_xlsx_holds_title_lines_rows_and_totals(issue):
    workbook = load_workbook(io.BytesIO(mailroom_xlsx(sheet=mailroom_sheet(issue=issue))))
    ws = workbook["分发清单"]
    values = [[cell for cell in row if cell is not None]
              for row in ws.iter_rows(values_only=True)]
    assert values == [
        ["工作简报 2023年第454期 分发清单"],
        ["报：中央协调办"],
        ["发：各设区市委宣传部"],
        ["本期增发：省社科院"],
        ["序号", "发送方式", "单位", "份数", "联系人及电话", "邮寄地址", "邮编"],
        [1, "报", "中央协调办", 2, "王明 010-66000000", "北京市西城区某路1号", "100000"],
        [2, "送（本期增发）", "省社科院", 3],
        [3, "发", "各设区市委宣传部", 13, "各市"],
        ["合计", "3 个单位", 18],
        ["留存", 10],
        ["共印", 28],
    ]


def test_pdf_shows_every_recipient_and_the_totals(issue):
    pdf = mailroom_pdf(sheet=mailroom_sheet(issue=issue))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(page.extract_text() for page in document.pages).replace(" ", "")
    for expected in ("工作简报", "2023年第454期分发清单", "中央协调办", "北京市西城区某路1号",
                     "省社科院", "各设区市委宣传部", "共3个单位，18份，另留存10份；共印28份。"):
        assert expected in text, expected
    assert "已撤销单位" not in text


def test_building_the_sheet_takes_a_fixed_number_of_queries(issue, django_assert_max_num_queries):
    big = DistributionListFactory(publication=issue.publication, role=Role.COPY)
    for i in range(40):
        big.members.create(position=i, organisation=OrganisationFactory(copies=1))
    issue_add_recipient(issue=issue, role=Role.COPY, distribution_list=big)
    with django_assert_max_num_queries(16):
        sheet = mailroom_sheet(issue=issue)
    assert sheet.organisation_count == 43
