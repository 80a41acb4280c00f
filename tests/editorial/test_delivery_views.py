"""Delivery in the reading room (收到的简报, 签收, what a unit may read, marked downloads) and the
office's pages (签收情况, 催收, statistics, XLSX), with their query counts for 300 units."""

import datetime
import hashlib
import io

import pdfplumber
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from weasyprint import HTML

from bulletins.models import Delivery, DeliveryEvent, Issue, Organisation
from bulletins.services import article_create
from bulletins.services.delivery import issue_deliver, unit_reader_add
from editorial.permissions import EDITOR_GROUP
from editorial.readers import READER_GROUP, RECEIVER_GROUP
from editorial.views.reading import issue_url
from tests.factories import ColumnFactory, IssueFactory, OrganisationFactory, PublicationFactory, print_issue

pytestmark = pytest.mark.django_db


def _printed(publication, number: int, units, title: str) -> Issue:
    issue = IssueFactory(publication=publication, number=number, date=datetime.date(2023, 11, number))
    article_create(issue=issue, column=publication.columns.first() or ColumnFactory(publication=publication),
                   title=title, body=f"<p>{title}的正文，镇江市党建。</p>")
    for unit in units:
        issue.recipients.create(role="发", organisation=unit, position=unit.pk)
    print_issue(issue=issue)
    issue_deliver(issue=issue)
    return issue


@pytest.fixture
def room():
    publication = PublicationFactory(name="内部简报", slug="nbjb", restricted_to_recipients=True)
    nanjing, suzhou = OrganisationFactory(name="南京市委宣传部"), OrganisationFactory(name="苏州市委宣传部")
    ours = _printed(publication, 3, [nanjing], "南京经验")
    theirs = _printed(publication, 4, [suzhou], "苏州做法")
    reader = User.objects.create_user("nanjing", password="pw", last_name="李明")
    reader.groups.add(Group.objects.get(name=RECEIVER_GROUP))
    unit_reader_add(unit=nanjing, user=reader)
    return {"publication": publication, "ours": ours, "theirs": theirs, "reader": reader,
            "nanjing": nanjing, "suzhou": suzhou}


def test_a_units_reader_finds_its_issue_under_received_and_is_refused_the_others(client, room):
    client.force_login(room["reader"])
    page = client.get(reverse("reading:received")).content.decode()
    assert "南京市委宣传部" in page and str(room["ours"]) in page and str(room["theirs"]) not in page

    assert client.get(issue_url(room["ours"])).status_code == 200
    refused = client.get(issue_url(room["theirs"]))
    assert refused.status_code == 403
    assert "本期仅限收文单位阅览，没有发给您所在的单位。" in refused.content.decode()
    assert client.get(issue_url(room["theirs"]) + "pdf/").status_code == 403
    year = client.get(reverse("reading:year", args=["nbjb", 2023])).content.decode()
    assert "第3期" in year and "第4期" not in year
    index = client.get(reverse("reading:index")).content.decode()
    assert "第4期" not in index
    found = client.get(reverse("reading:search"), {"q": "镇江"}).content.decode()
    assert "南京经验" in found and "苏州做法" not in found


def test_an_open_publication_is_read_whole_and_staff_read_everything(client, room):
    room["publication"].restricted_to_recipients = False
    room["publication"].save()
    client.force_login(room["reader"])
    assert client.get(issue_url(room["theirs"])).status_code == 200

    room["publication"].restricted_to_recipients = True
    room["publication"].save()
    staff = User.objects.create_user("office", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(issue_url(room["theirs"])).status_code == 200
    plain = User.objects.create_user("duzhe", password="pw")
    plain.groups.add(Group.objects.get(name=READER_GROUP))
    client.force_login(plain)
    assert client.get(issue_url(room["theirs"])).status_code == 403
    assert "不是任何单位的收文员" in client.get(reverse("reading:received")).content.decode()


def test_drafts_are_never_delivered_nor_shown(client, room):
    draft = IssueFactory(publication=room["publication"], number=9)
    draft.recipients.create(role="发", organisation=room["nanjing"])
    client.force_login(room["reader"])
    assert client.get(reverse("reading:received_issue", args=[draft.pk])).status_code == 404
    assert not Delivery.objects.filter(issue=draft).exists()


def test_signing_for_in_the_reading_room_once(client, room):
    client.force_login(room["reader"])
    url = reverse("reading:sign", args=[room["ours"].pk])
    page = client.post(url, {"unit": room["nanjing"].pk}, follow=True).content.decode()
    assert f"已为南京市委宣传部签收{room['ours'].number_label}。" in page
    delivery = Delivery.objects.get(issue=room["ours"])
    assert delivery.signed_by == room["reader"] and delivery.signed_by_name == "李明"
    assert "南京市委宣传部已签收" in page
    again = client.post(url, {"unit": room["nanjing"].pk}, follow=True).content.decode()
    assert "南京市委宣传部已于" in again and "不必再次签收" in again
    refused = client.post(reverse("reading:sign", args=[room["theirs"].pk]), {"unit": room["suzhou"].pk})
    assert refused.status_code == 403
    assert "本期没有发给您所在的单位，不能签收。" in refused.content.decode()


def test_opening_the_issue_is_counted_once_per_reader(client, room):
    client.force_login(room["reader"])
    for _ in range(2):
        client.get(issue_url(room["ours"]))
    delivery = Delivery.objects.get(issue=room["ours"])
    assert delivery.open_count == 2 and delivery.opened_at is not None
    assert room["ours"].reader_views.get().count == 2


def test_a_downloaded_copy_carries_the_readers_watermark_and_the_record_is_unchanged(client, room):
    issue = room["ours"]
    record = HTML(string="<p>签发稿正文</p>").write_pdf()
    issue.printed_pdf.save("record.pdf", ContentFile(record))
    Issue.objects.filter(pk=issue.pk).update(printed_pdf_sha256=hashlib.sha256(record).hexdigest())
    client.force_login(room["reader"])

    page = client.get(issue_url(issue)).content.decode()
    assert hashlib.sha256(record).hexdigest() in page
    before = timezone.localtime()
    response = client.get(issue_url(issue) + "pdf/")
    assert response.status_code == 200
    copy = response.content
    assert copy != record
    with pdfplumber.open(io.BytesIO(copy)) as pdf:
        page = pdf.pages[0]
        footer = page.within_bbox((0, page.height - 30, page.width, page.height)).extract_text()
        assert "签发稿正文" in page.extract_text()
    assert footer.startswith("南京市委宣传部 李明 ")
    stamped_at = datetime.datetime.strptime(footer.split(" ", 2)[2] + " +0800", "%Y-%m-%d %H:%M %z")
    assert abs(stamped_at - before) <= datetime.timedelta(minutes=1)
    with issue.printed_pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(record).hexdigest()


# ---- the office ---------------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = User.objects.create_user("bianji", password="pw", is_staff=True, last_name="编辑甲")
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def wide():
    """An issue delivered to 300 units: a third signed, a third opened, a third untouched."""
    Organisation.objects.bulk_create(Organisation(name=f"第{n:03d}单位") for n in range(300))
    units = list(Organisation.objects.order_by("name"))
    issue = IssueFactory(publication=PublicationFactory(), number=1)
    print_issue(issue=issue)
    now = timezone.now()
    signer = User.objects.create_user("signer", last_name="收文员")
    Delivery.objects.bulk_create(
        Delivery(issue=issue, unit=unit, role="发", delivered_at=now,
                 opened_at=now if n % 3 else None, signed_at=now if n % 3 == 2 else None,
                 signed_by=signer if n % 3 == 2 else None, signed_by_name="收文员" if n % 3 == 2 else "")
        for n, unit in enumerate(units))
    return issue


def test_the_issue_delivery_page_shows_each_state_in_bounded_queries(client, editor, wide,
                                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("editorial:issue_delivery", args=[wide.pk]))
    page = response.content.decode()
    assert "送达 300 个单位：已签收 100，已打开未签收 100，未打开 100。" in page
    assert "未打开（100）" in page and "已签收（100）" in page
    with django_assert_max_num_queries(8):
        xlsx = client.get(reverse("editorial:issue_delivery_xlsx", args=[wide.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 302 and sheet["A2"].value == "第000单位" and sheet["D2"].value == "未打开"


def test_remind_from_the_issue_page_all_or_chosen(client, editor, wide):
    url = reverse("editorial:issue_remind", args=[wide.pk])
    chosen = list(Delivery.objects.filter(issue=wide).order_by("unit__name")
                  .values_list("unit_id", flat=True)[:3])
    page = client.post(url, {"unit": chosen}, follow=True).content.decode()
    # The third unit (n == 2) has signed: two are reminded.
    assert "已向2个单位催收：第000单位、第001单位。" in page
    page = client.post(url, {"all": "1"}, follow=True).content.decode()
    assert "已向200个单位催收" in page
    assert DeliveryEvent.objects.filter(action="reminded").count() == 202
    assert client.post(url, {}, follow=True).content.decode().count("请先勾选要催收的单位。") == 1


def test_statistics_per_unit_in_bounded_queries_and_as_xlsx(client, editor, wide,
                                                            django_assert_max_num_queries):
    today = timezone.localdate()
    params = {"start": today - datetime.timedelta(days=7), "end": today, "within": 3}
    with django_assert_max_num_queries(12):
        page = client.get(reverse("editorial:delivery_statistics"), params).content.decode()
    assert page.count("<tr><td>第") == 300
    assert "<th>合计</th><td>300</td><td>100</td><td>100</td><td>0</td><td>200</td>" in page
    xlsx = client.get(reverse("editorial:delivery_statistics"), {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]] == ["单位", "收到期数", "已签收", "3个工作日内签收", "逾期", "未签收"]
    assert sheet.max_row == 301


def test_xlsx_cells_that_look_like_formulas_stay_text(client, editor):
    unit = OrganisationFactory(name='=HYPERLINK("http://x.example","点我")')
    issue = IssueFactory(publication=PublicationFactory(), number=1)
    issue.recipients.create(role="送", organisation=unit)
    print_issue(issue=issue)
    issue_deliver(issue=issue)
    content = client.get(reverse("editorial:issue_delivery_xlsx", args=[issue.pk])).content
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.data_type == "s" and cell.value == unit.name


def test_a_reader_may_not_open_the_office_pages(client, room):
    client.force_login(room["reader"])
    response = client.get(reverse("editorial:issue_delivery", args=[room["ours"].pk]))
    assert response.status_code in (302, 403)
    response = client.post(reverse("editorial:issue_remind", args=[room["ours"].pk]), {"all": "1"})
    assert response.status_code in (302, 403)
    assert not DeliveryEvent.objects.filter(action="reminded").exists()


def test_an_editor_gives_a_unit_its_readers_on_the_units_admin_page(client, editor):
    from tests.editorial.admin_forms import change_form_data

    unit = OrganisationFactory(name="南京市委宣传部")
    person = User.objects.create_user("nanjing", password="pw")
    url = reverse("admin:bulletins_organisation_change", args=[unit.pk])
    data = change_form_data(client.get(url))
    data["readers-0-user"] = person.pk
    assert client.post(url, data).status_code == 302
    reader = unit.readers.get()
    assert reader.user == person and reader.created_by == editor
    assert person.groups.filter(name=RECEIVER_GROUP).exists()

    data = change_form_data(client.get(url))
    data["readers-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not unit.readers.exists()
    assert not person.groups.filter(name=RECEIVER_GROUP).exists()


def test_an_issue_printed_before_delivery_is_delivered_by_hand_once(client, editor):
    unit = OrganisationFactory(name="南京市委宣传部")
    issue = IssueFactory(publication=PublicationFactory(), number=1)
    issue.recipients.create(role="发", organisation=unit)
    print_issue(issue=issue)  # printed without the workflow's delivery
    page = client.get(reverse("editorial:issue_delivery", args=[issue.pk])).content.decode()
    assert "本期尚未送达任何单位" in page and "按版记送达" in page
    url = reverse("editorial:issue_deliver", args=[issue.pk])
    assert "已按版记送达1个单位。" in client.post(url, follow=True).content.decode()
    assert "没有新的单位需要送达" in client.post(url, follow=True).content.decode()
    assert Delivery.objects.get(issue=issue).unit == unit
