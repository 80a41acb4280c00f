"""Delivery to the units of the 版记: who receives, 签收, 催收, view records and the figures."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bulletins.delivery_figures import issue_figures, unit_figures
from bulletins.models import Delivery, DeliveryEvent, DeliveryView, Issue, IssueRecipient
from bulletins.services import article_create, issue_add_recipient, issue_create, organisation_merge
from bulletins.services.delivery import (
    deliveries,
    delivery_record_open,
    issue_deliver,
    remind,
    remind_overdue,
    sign_for,
    unit_reader_add,
    working_days_between,
)
from editorial import workflow
from editorial.permissions import EDITOR_GROUP
from editorial.readers import RECEIVER_GROUP
from tests.factories import (
    ColumnFactory,
    DistributionListFactory,
    IssueFactory,
    OrganisationFactory,
    PublicationFactory,
    print_issue,
)

pytestmark = pytest.mark.django_db
A = DeliveryEvent.Action


def local(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=timezone.get_current_timezone())


def make_user(name: str, group: str, *, staff: bool = False) -> User:
    user = User.objects.create_user(name, email=f"{name}@example.cn", password="pw", is_staff=staff,
                                    last_name=name)
    user.groups.add(Group.objects.get(name=group))
    return user


def receiver(name: str, *units) -> User:
    user = make_user(name, RECEIVER_GROUP)
    for unit in units:
        unit_reader_add(unit=unit, user=user)
    return user


@pytest.fixture
def editor():
    return make_user("编辑甲", EDITOR_GROUP, staff=True)


@pytest.fixture
def units():
    return {name: OrganisationFactory(name=name) for name in
            ("省委办公厅", "省政府办公厅", "南京市委宣传部", "苏州市委宣传部", "省档案馆", "省委党校")}


@pytest.fixture
def printed(editor, units):
    """A signed-off issue: 报 a list, 发 a list, 送 one unit, 本期增发 one."""
    publication = PublicationFactory()
    above = DistributionListFactory(publication=publication, role="报", name="上级")
    above.members.create(organisation=units["省委办公厅"], position=0)
    above.members.create(organisation=units["省政府办公厅"], position=1)
    below = DistributionListFactory(publication=publication, role="发", name="各市")
    below.members.create(organisation=units["南京市委宣传部"], position=0)
    below.members.create(organisation=units["苏州市委宣传部"], position=1)
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    article_create(issue=issue, column=ColumnFactory(publication=publication), title="会议精神",
                   body="<p>正文。</p>", by=editor)
    issue_add_recipient(issue=issue, role="报", distribution_list=above, by=editor)
    issue_add_recipient(issue=issue, role="发", distribution_list=below, by=editor)
    issue_add_recipient(issue=issue, role="送", organisation=units["省档案馆"], by=editor)
    issue_add_recipient(issue=issue, role="发", organisation=units["省委党校"], is_addition=True, by=editor)
    # 苏州 is stopped before printing: it drops out of the printed 版记, so it receives nothing.
    units["苏州市委宣传部"].active = False
    units["苏州市委宣传部"].save()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SIGNED)
    issue.refresh_from_db()
    return issue


def publish(issue, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(issue=issue, by=editor)
    issue.refresh_from_db()
    return issue


def test_printing_delivers_to_exactly_the_frozen_recipients(printed, editor, units,
                                                            django_capture_on_commit_callbacks):
    reader = receiver("南京收文员", units["南京市委宣传部"])
    issue = publish(printed, editor, django_capture_on_commit_callbacks)

    rows = deliveries(issue=issue)
    assert [(row.unit.name, row.role) for row in rows] == [
        ("省委办公厅", "报"), ("省政府办公厅", "报"), ("省档案馆", "送"), ("南京市委宣传部", "发"),
        ("省委党校", "本期增发")]
    printed_names = "、".join(text for _, text in issue.printed_distribution)
    assert all(row.unit.name in printed_names for row in rows)
    assert "苏州市委宣传部" not in printed_names
    assert all(row.delivered_at and row.signed_at is None and row.reminders == 0 for row in rows)
    assert DeliveryEvent.objects.filter(action=A.DELIVERED).count() == 5
    # The unit's 收文员 is mailed the link; units without readers get no mail.
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert mail.outbox[0].subject == f"《{issue}》已送达，请签收"
    assert f"/archive/received/{issue.pk}/" in mail.outbox[0].body
    assert not mail.outbox[0].attachments


def test_a_unit_removed_from_the_directory_afterwards_keeps_what_it_had_and_nobody_new_gets_it(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    before = [row.unit.name for row in deliveries(issue=issue)]
    below = IssueRecipient.objects.get(issue=issue, role="发",
                                       distribution_list__isnull=False).distribution_list
    below.members.filter(organisation=units["南京市委宣传部"]).delete()
    below.members.create(organisation=OrganisationFactory(name="无锡市委宣传部"), position=5)
    units["省档案馆"].active = False
    units["省档案馆"].save()

    assert issue_deliver(issue=issue) == []
    assert [row.unit.name for row in deliveries(issue=issue)] == before
    assert not Delivery.objects.filter(unit__name="无锡市委宣传部").exists()


def test_a_draft_is_not_delivered():
    issue = IssueFactory()
    with pytest.raises(ValidationError) as error:
        issue_deliver(issue=issue)
    assert error.value.messages == [f"{issue.number_label}尚未印发，不能送达。"]


def test_the_pdf_is_attached_with_the_units_watermark_when_the_publication_says_so(
        printed, editor, units, django_capture_on_commit_callbacks):
    import pdfplumber
    from django.core.files.base import ContentFile
    from weasyprint import HTML

    receiver("党校收文员", units["省委党校"])
    printed.publication.delivery_attaches_pdf = True
    printed.publication.save()
    printed.printed_pdf.save("record.pdf", ContentFile(HTML(string="<p>正文</p>").write_pdf()))
    issue = publish(printed, editor, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    name, content, kind = message.attachments[0]
    assert kind == "application/pdf" and name == f"{issue}.pdf"
    import io
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        assert "省委党校" in pdf.pages[0].extract_text()


def test_sign_for_once_then_it_says_already_signed(printed, editor, units,
                                                   django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    reader = receiver("档案馆收文员", units["省档案馆"])
    reader.first_name, reader.last_name = "", "王收文"
    reader.save()

    delivery = sign_for(issue=issue, by=reader)
    assert delivery.unit == units["省档案馆"]
    assert delivery.signed_by == reader and delivery.signed_by_name == "王收文"
    assert delivery.opened_at == delivery.signed_at  # signing opens it
    with pytest.raises(ValidationError) as error:
        sign_for(issue=issue, by=reader)
    when = timezone.localtime(delivery.signed_at).strftime("%Y-%m-%d %H:%M")
    assert error.value.messages == [f"省档案馆已于{when}由王收文签收本期，不必再次签收。"]
    assert DeliveryEvent.objects.filter(action=A.SIGNED).count() == 1


def test_sign_for_refuses_the_wrong_role_and_a_unit_it_was_not_sent_to(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="只有“收文员”角色可以签收"):
        sign_for(issue=issue, by=editor)
    outsider = receiver("苏州收文员", units["苏州市委宣传部"])
    with pytest.raises(PermissionDenied) as error:
        sign_for(issue=issue, by=outsider)
    assert str(error.value) == "本期没有发给您所在的单位，不能签收。"


def test_a_reader_of_two_receiving_units_chooses_which_one_signs(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    reader = receiver("两单位收文员", units["省委办公厅"], units["省政府办公厅"])
    with pytest.raises(ValidationError, match="请选择为哪个单位签收"):
        sign_for(issue=issue, by=reader)
    assert sign_for(issue=issue, by=reader, unit=units["省政府办公厅"]).unit == units["省政府办公厅"]
    # One left: no choice needed.
    assert sign_for(issue=issue, by=reader).unit == units["省委办公厅"]


def test_remind_reaches_only_the_units_that_have_not_signed_and_is_recorded(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    signer = receiver("党校收文员", units["省委党校"])
    late = receiver("档案馆收文员", units["省档案馆"])
    sign_for(issue=issue, by=signer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reminded = remind(issue=issue, by=editor)
    assert sorted(row.unit.name for row in reminded) == [
        "南京市委宣传部", "省委办公厅", "省政府办公厅", "省档案馆"]
    assert [m.to for m in mail.outbox] == [[late.email]]
    assert mail.outbox[0].subject == f"催收：《{issue}》尚未签收"
    events = DeliveryEvent.objects.filter(action=A.REMINDED)
    assert events.count() == 4 and {e.actor_name for e in events} == {"编辑甲"}
    assert Delivery.objects.get(unit=units["省委党校"]).reminders == 0

    chosen = remind(issue=issue, by=editor, units=[units["省档案馆"], units["省委党校"]])
    assert [row.unit.name for row in chosen] == ["省档案馆"]
    assert Delivery.objects.get(unit=units["省档案馆"]).reminders == 2


def test_remind_needs_the_editors_role(printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="只有“编辑”角色可以催收"):
        remind(issue=issue, by=receiver("档案馆收文员", units["省档案馆"]))


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 12, 4)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, datetime.date(2026, 12, 6)) == 0  # Sunday
    assert working_days_between(friday, datetime.date(2026, 12, 7)) == 1  # Monday
    assert working_days_between(friday, datetime.date(2026, 12, 18)) == 10
    assert working_days_between(datetime.date(2026, 12, 7), friday) == 0


def test_automatic_reminders_after_n_working_days(printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    issue.publication.remind_after_working_days = 2
    issue.publication.save()
    friday = local(2026, 12, 4, 10, 0)
    Delivery.objects.update(delivered_at=friday)
    sign_for(issue=issue, by=receiver("党校收文员", units["省委党校"]))

    assert remind_overdue(today=datetime.date(2026, 12, 7)) == []  # Monday: one working day
    reminded = remind_overdue(today=datetime.date(2026, 12, 8))  # Tuesday: two
    assert len(reminded) == 4 and "省委党校" not in {row.unit.name for row in reminded}
    assert set(DeliveryEvent.objects.filter(action=A.REMINDED).values_list("automatic", flat=True)) == {True}
    # Reminded today: the next one is two working days later.
    Delivery.objects.filter(reminders=1).update(
        last_reminded_at=local(2026, 12, 8, 9, 0))
    assert remind_overdue(today=datetime.date(2026, 12, 9)) == []
    assert len(remind_overdue(today=datetime.date(2026, 12, 10))) == 4


def test_a_publication_without_automatic_reminders_is_left_alone(
        printed, editor, django_capture_on_commit_callbacks):
    publish(printed, editor, django_capture_on_commit_callbacks)
    Delivery.objects.update(delivered_at=timezone.now() - datetime.timedelta(days=30))
    assert remind_overdue() == []


def test_opening_keeps_one_view_record_per_reader_with_a_count(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    reader = receiver("档案馆收文员", units["省档案馆"])
    for _ in range(3):
        delivery_record_open(issue=issue, by=reader)
    delivery_record_open(issue=issue, by=editor)

    view = DeliveryView.objects.get(issue=issue, user=reader)
    assert view.count == 3 and view.first_at <= view.last_at
    assert DeliveryView.objects.count() == 2
    row = Delivery.objects.get(unit=units["省档案馆"])
    assert row.opened_at is not None and row.open_count == 3 and row.last_opened_at >= row.opened_at
    assert DeliveryEvent.objects.filter(action=A.OPENED).count() == 1
    # The editor reads for no unit: no unit's delivery is marked opened by it.
    assert Delivery.objects.filter(opened_at__isnull=False).count() == 1


def test_figures_for_an_issue_and_for_units_over_a_period(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    monday = local(2026, 11, 2, 9, 0)
    Delivery.objects.update(delivered_at=monday)
    archive, school = receiver("档案馆收文员", units["省档案馆"]), receiver("党校收文员", units["省委党校"])
    nanjing = receiver("南京收文员", units["南京市委宣传部"])
    sign_for(issue=issue, by=archive)
    sign_for(issue=issue, by=school)
    delivery_record_open(issue=issue, by=nanjing)
    # 省档案馆 signed on Wednesday (2 working days), 省委党校 the next Monday (5).
    Delivery.objects.filter(unit=units["省档案馆"]).update(
        signed_at=local(2026, 11, 4, 9, 0))
    Delivery.objects.filter(unit=units["省委党校"]).update(
        signed_at=local(2026, 11, 9, 9, 0))

    figures = issue_figures(issue=issue)
    assert (figures.delivered, figures.opened, figures.signed) == (5, 3, 2)
    assert (figures.opened_unsigned, figures.not_opened, figures.unsigned) == (1, 2, 3)

    # A second issue, later, to 省档案馆 only, not signed yet.
    other = IssueFactory(publication=issue.publication, number=99)
    print_issue(issue=other)
    Delivery.objects.create(issue=other, unit=units["省档案馆"], role="送",
                            delivered_at=local(2026, 11, 20, 9, 0))
    by_unit = {f.unit.name: f for f in unit_figures(start=datetime.date(2026, 11, 1),
                                                    end=datetime.date(2026, 11, 30), within=3,
                                                    today=datetime.date(2026, 11, 30))}
    archive_figures = by_unit["省档案馆"]
    assert (archive_figures.received, archive_figures.signed, archive_figures.in_time,
            archive_figures.late, archive_figures.unsigned) == (2, 1, 1, 1, 1)
    school_figures = by_unit["省委党校"]
    assert (school_figures.received, school_figures.in_time, school_figures.late) == (1, 0, 1)
    assert (by_unit["省委办公厅"].late, by_unit["省委办公厅"].unsigned) == (1, 1)
    # Outside the period: nothing.
    assert unit_figures(start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 31), within=3) == []


def test_merging_units_keeps_their_deliveries_and_readers(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    reader = receiver("档案馆收文员", units["省档案馆"])
    organisation_merge(source=units["省档案馆"], target=units["省委党校"])
    # Both had the issue: the target's delivery stays, and the reader now reads for the target.
    assert [row.unit.name for row in deliveries(issue=issue)].count("省委党校") == 1
    assert sign_for(issue=issue, by=reader).unit == units["省委党校"]


def test_the_cron_command_reminds_the_overdue_units(printed, editor, units,
                                                    django_capture_on_commit_callbacks):
    from django.core.management import CommandError, call_command

    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    issue.publication.remind_after_working_days = 1
    issue.publication.save()
    Delivery.objects.update(delivered_at=timezone.now() - datetime.timedelta(days=10))
    out = io.StringIO()
    call_command("remind_deliveries", stdout=out)
    assert out.getvalue().splitlines()[-1] == "共催收5个单位。"
    assert f"{issue}\t省档案馆\t第1次催收" in out.getvalue()
    out = io.StringIO()
    call_command("remind_deliveries", stdout=out)  # the same day again
    assert out.getvalue().splitlines() == ["共催收0个单位。"]
    with pytest.raises(CommandError, match="日期格式应为"):
        call_command("remind_deliveries", "--date", "12/07")


def test_a_reopened_issue_cannot_be_signed_for_until_printed_again(
        printed, editor, units, django_capture_on_commit_callbacks):
    issue = publish(printed, editor, django_capture_on_commit_callbacks)
    reader = receiver("档案馆收文员", units["省档案馆"])
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    issue.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        sign_for(issue=issue, by=reader)
    assert error.value.messages == [f"{issue.number_label}已重新打开修改，不在印发状态，暂不能签收。"]
    with pytest.raises(ValidationError) as error:
        remind(issue=issue, by=editor)
    assert error.value.messages == [f"{issue.number_label}不在印发状态，不能催收。"]


def test_the_watermark_font_is_checked_at_start(settings, tmp_path):
    from bulletins.checks import check_stamp_font

    assert check_stamp_font() == []
    settings.BULLETIN_STAMP_FONT = str(tmp_path / "missing.ttf")
    (error,) = check_stamp_font()
    assert error.id == "bulletins.E002" and "无法读取" in error.msg
