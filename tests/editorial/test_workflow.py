"""The path of an issue: every allowed and refused transition, per role, with its message."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from bulletins.models import Issue, IssueEvent
from bulletins.services import article_create, issue_create, issue_delete, lifecycle
from editorial import workflow
from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP, WRITER_GROUP
from tests.factories import ColumnFactory, DistributionListFactory, OrganisationFactory, PublicationFactory

pytestmark = pytest.mark.django_db

S = Issue.Status
A = IssueEvent.Action


def make_user(name: str, *groups: str) -> User:
    user = User.objects.create_user(name, email=f"{name}@example.cn", password="pw", is_staff=True,
                                    first_name="", last_name=name)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def people():
    return {
        "writer": make_user("撰稿人", WRITER_GROUP),
        "editor": make_user("编辑甲", EDITOR_GROUP),
        "editor2": make_user("编辑乙", EDITOR_GROUP),
        "reviewer": make_user("审核人", REVIEWER_GROUP),
        "signer": make_user("签发人", SIGNER_GROUP),
    }


@pytest.fixture
def issue(people):
    publication = PublicationFactory()
    dl = DistributionListFactory(publication=publication, is_default=True, role="发")
    dl.members.create(organisation=OrganisationFactory(name="各设区市委宣传部", copies=3), position=0)
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=people["editor"])
    article_create(issue=issue, column=ColumnFactory(publication=publication), title="学习贯彻会议精神",
                   body="<p>正文。</p>", by=people["editor"])
    return issue


def steps(issue):
    return [(e.action, e.from_status, e.to_status, e.actor_name, e.note)
            for e in issue.events.order_by("created_at", "pk")]


def test_the_whole_path_is_on_record(issue, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(issue=issue, by=people["editor"], note="请审核")
        workflow.return_for_changes(issue=issue, by=people["reviewer"], reason="第二段数字有误")
        workflow.submit(issue=issue, by=people["editor"])
        workflow.approve(issue=issue, by=people["reviewer"], note="同意")
        workflow.sign_off(issue=issue, by=people["signer"])
        workflow.publish(issue=issue, by=people["editor"], print_run=120,
                         printed_on=datetime.date(2023, 11, 27))
    issue.refresh_from_db()
    assert issue.status == S.PUBLISHED
    assert steps(issue) == [
        (A.CREATED, "", S.DRAFT, "编辑甲", ""),
        (A.SUBMITTED, S.DRAFT, S.SUBMITTED, "编辑甲", "请审核"),
        (A.RETURNED, S.SUBMITTED, S.DRAFT, "审核人", "第二段数字有误"),
        (A.SUBMITTED, S.DRAFT, S.SUBMITTED, "编辑甲", ""),
        (A.APPROVED, S.SUBMITTED, S.APPROVED, "审核人", "同意"),
        (A.SIGNED, S.APPROVED, S.SIGNED, "签发人", ""),
        (A.PUBLISHED, S.SIGNED, S.PUBLISHED, "编辑甲", ""),
    ]
    assert all(event.revision_id for event in issue.events.all())
    assert (issue.print_run, issue.printed_on) == (120, datetime.date(2023, 11, 27))
    assert issue.printed_distribution == [["发", "各设区市委宣传部"]]
    signed = issue.events.get(action=A.SIGNED)
    assert signed.pdf_sha256 == issue.printed_pdf_sha256 and len(signed.pdf_sha256) == 64
    assert issue.printed_pdf_revision_id == signed.revision_id


def test_each_step_mails_the_people_whose_turn_it_is(issue, people, django_capture_on_commit_callbacks):
    sent = []
    for step, kwargs in [
        (workflow.submit, {"by": people["editor"], "note": "请审核"}),
        (workflow.return_for_changes, {"by": people["reviewer"], "reason": "标题太长"}),
        (workflow.submit, {"by": people["editor"]}),
        (workflow.approve, {"by": people["reviewer"]}),
        (workflow.sign_off, {"by": people["signer"]}),
    ]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step(issue=issue, **kwargs)
        sent.append([(m.subject, sorted(m.to)) for m in mail.outbox])
    label = str(issue)
    assert sent == [
        [(f"{label}已送审，请审核", ["审核人@example.cn"])],
        [(f"{label}被退回修改", ["编辑甲@example.cn"])],
        [(f"{label}已送审，请审核", ["审核人@example.cn"])],
        [(f"{label}已审核通过，请签发", ["签发人@example.cn"])],
        [(f"{label}已签发，请安排印发", ["编辑乙@example.cn", "编辑甲@example.cn"])],
    ]


def test_the_returned_mail_carries_the_reason_and_a_link(issue, people, django_capture_on_commit_callbacks):
    workflow.submit(issue=issue, by=people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(issue=issue, by=people["reviewer"], reason="标题太长")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "理由：标题太长" in body
    assert f"http://127.0.0.1:8000/admin/bulletins/issue/{issue.pk}/change/" in body


def test_a_failing_mail_server_never_blocks_a_step(issue, people, settings,
                                                   django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(issue=issue, by=people["editor"])
    issue.refresh_from_db()
    assert issue.status == S.SUBMITTED


# Refusals: the role, then the state, each with its Chinese message.

ROLE_REFUSALS = [
    ("submit", "writer", {}, "您没有送审的权限：只有“编辑”角色可以送审。"),
    ("submit", "reviewer", {}, "您没有送审的权限：只有“编辑”角色可以送审。"),
    ("approve", "editor", {}, "您没有审核的权限：只有“审核”角色可以审核。"),
    ("approve", "signer", {}, "您没有审核的权限：只有“审核”角色可以审核。"),
    ("return_for_changes", "editor", {"reason": "x"}, "您没有退回修改的权限：只有“审核”角色可以退回修改。"),
    ("sign_off", "reviewer", {}, "您没有签发的权限：只有“签发”角色可以签发。"),
    ("sign_off", "editor", {}, "您没有签发的权限：只有“签发”角色可以签发。"),
    ("publish", "signer", {}, "您没有登记印发的权限：只有“编辑”角色可以登记印发。"),
    ("publish", "writer", {}, "您没有登记印发的权限：只有“编辑”角色可以登记印发。"),
    ("reopen", "editor", {"reason": "x"}, "您没有重新打开修改的权限：只有“签发”角色可以重新打开修改。"),
]
STATE_FOR = {"submit": S.DRAFT, "approve": S.SUBMITTED, "return_for_changes": S.SUBMITTED,
             "sign_off": S.APPROVED, "publish": S.SIGNED, "reopen": S.SIGNED}


@pytest.mark.parametrize(("action", "role", "kwargs", "message"), ROLE_REFUSALS)
def test_a_user_without_the_role_is_refused(issue, people, action, role, kwargs, message):
    Issue.objects.filter(pk=issue.pk).update(status=STATE_FOR[action])
    issue.refresh_from_db()
    with pytest.raises(PermissionDenied) as error:
        getattr(workflow, action)(issue=issue, by=people[role], **kwargs)
    assert str(error.value) == message
    issue.refresh_from_db()
    assert issue.status == STATE_FOR[action]
    assert not issue.events.exclude(action=A.CREATED).exists()


STATE_REFUSALS = [
    ("submit", S.SUBMITTED, "editor", {}, "送审"),
    ("approve", S.DRAFT, "reviewer", {}, "审核通过"),
    ("approve", S.APPROVED, "reviewer", {}, "审核通过"),
    ("return_for_changes", S.DRAFT, "reviewer", {"reason": "x"}, "退回修改"),
    ("return_for_changes", S.SIGNED, "signer", {"reason": "x"}, "退回修改"),
    ("sign_off", S.SUBMITTED, "signer", {}, "签发"),
    ("publish", S.APPROVED, "editor", {}, "登记印发"),
    ("publish", S.DRAFT, "editor", {}, "登记印发"),
    ("reopen", S.APPROVED, "signer", {"reason": "x"}, "重新打开修改"),
    ("withdraw", S.APPROVED, "editor", {}, "撤回送审"),
]


@pytest.mark.parametrize(("action", "state", "role", "kwargs", "verb"), STATE_REFUSALS)
def test_a_step_not_allowed_from_the_current_state_is_refused(issue, people, action, state, role, kwargs,
                                                             verb):
    Issue.objects.filter(pk=issue.pk).update(status=state, submitted_by=people["editor"])
    issue.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        getattr(workflow, action)(issue=issue, by=people[role], **kwargs)
    assert error.value.messages == [f"2023年第1期当前为“{Issue.Status(state).label}”，不能{verb}。"]
    assert not issue.events.exclude(action=A.CREATED).exists()


def test_a_step_locks_and_reads_the_issue_once(issue, people, django_assert_num_queries):
    workflow.submit(issue=issue, by=people["editor"])
    with django_assert_num_queries(10):  # the reviewer's permissions: 2
        workflow.approve(issue=issue, by=people["reviewer"])
    Issue.objects.filter(pk=issue.pk).update(status=S.SIGNED)
    with django_assert_num_queries(15):
        workflow.publish(issue=issue, by=people["editor"])
    assert issue.status == S.PUBLISHED


def test_a_signer_may_return_an_approved_issue_with_a_reason(issue, people):
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])
    with pytest.raises(ValidationError) as error:
        workflow.return_for_changes(issue=issue, by=people["signer"], reason="  ")
    assert error.value.messages == ["请填写退回修改的理由。"]
    with pytest.raises(PermissionDenied):
        workflow.return_for_changes(issue=issue, by=people["reviewer"], reason="再看看")
    workflow.return_for_changes(issue=issue, by=people["signer"], reason="请补充数据来源")
    issue.refresh_from_db()
    assert (issue.status, issue.events.last().note) == (S.DRAFT, "请补充数据来源")


def test_only_the_submitter_withdraws(issue, people):
    workflow.submit(issue=issue, by=people["editor"])
    with pytest.raises(PermissionDenied) as error:
        workflow.withdraw(issue=issue, by=people["editor2"])
    assert str(error.value) == "只有送审人编辑甲可以撤回送审。"
    workflow.withdraw(issue=issue, by=people["editor"], note="还要改")
    issue.refresh_from_db()
    assert steps(issue)[-1] == (A.WITHDRAWN, S.SUBMITTED, S.DRAFT, "编辑甲", "还要改")


def test_an_issue_without_articles_cannot_be_submitted_or_printed(people):
    empty = issue_create(publication=PublicationFactory(), date=datetime.date(2023, 11, 25))
    with pytest.raises(ValidationError) as error:
        workflow.submit(issue=empty, by=people["editor"])
    assert error.value.messages == ["2023年第1期还没有文章，不能送审。"]
    Issue.objects.filter(pk=empty.pk).update(status=S.SIGNED)
    empty.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        workflow.publish(issue=empty, by=people["editor"])
    assert error.value.messages == ["2023年第1期还没有文章，不能登记印发。"]


def test_submitting_lists_every_unprintable_character_at_once(issue, people):
    article = issue.articles.get()
    article.title = "标题\U000f0041"
    article.body = "<p>正文\U000f0042</p>"
    article.save()
    with pytest.raises(ValidationError) as error:
        workflow.submit(issue=issue, by=people["editor"])
    assert error.value.messages == [
        "以下字符在已配置的字体中都没有字形，无法印刷，请先修改："
        "《标题\U000f0041》中的“\U000f0041”（U+F0041）；《标题\U000f0041》中的“\U000f0042”（U+F0042）。"]
    issue.refresh_from_db()
    assert issue.status == S.DRAFT


def test_reopening_needs_a_reason_and_keeps_the_signed_pdf_on_record(issue, people):
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])
    workflow.sign_off(issue=issue, by=people["signer"])
    workflow.publish(issue=issue, by=people["editor"])
    issue.refresh_from_db()
    printed_sha = issue.printed_pdf_sha256
    with pytest.raises(ValidationError) as error:
        workflow.reopen(issue=issue, by=people["signer"], reason="")
    assert error.value.messages == ["请填写重新打开修改的理由。"]
    workflow.reopen(issue=issue, by=people["signer"], reason="第3页人名有误，需更正重印")
    issue.refresh_from_db()
    assert issue.status == S.DRAFT and not issue.printed_pdf
    signed = issue.events.get(action=A.SIGNED)
    assert signed.pdf_sha256 == printed_sha
    assert signed.pdf.storage.exists(signed.pdf.name)
    # The printed 版记 stays as printed.
    assert issue.printed_distribution == [["发", "各设区市委宣传部"]]


def test_an_issue_that_left_draft_cannot_be_deleted(issue, people):
    workflow.submit(issue=issue, by=people["editor"])
    with pytest.raises(ValidationError) as error:
        issue_delete(issue=issue, by=people["editor"])
    assert error.value.messages == ["2023年第1期当前为“送审”，只有草稿可以删除。"]
    workflow.withdraw(issue=issue, by=people["editor"])
    with pytest.raises(ValidationError) as error:
        issue_delete(issue=issue, by=people["editor"])
    assert error.value.messages == ["2023年第1期已进入过送审流程，留有流转记录，不能删除。"]
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_one_person_may_hold_several_roles(issue):
    chief = make_user("主任", EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP)
    workflow.submit(issue=issue, by=chief)
    workflow.approve(issue=issue, by=chief)
    issue.refresh_from_db()
    assert workflow.available_actions(issue, chief) == ["sign_off", "return_for_changes"]


def test_a_sign_off_that_fails_leaves_no_pdf_behind(issue, people, settings, monkeypatch):
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])

    def concurrent_change(**kwargs):
        raise ValidationError("另一位用户刚刚改变了本期的状态。")

    monkeypatch.setattr(lifecycle, "issue_record_event", concurrent_change)
    with pytest.raises(ValidationError):
        workflow.sign_off(issue=issue, by=people["signer"])
    issue.refresh_from_db()
    assert issue.status == S.APPROVED and not issue.printed_pdf
    printed = settings.MEDIA_ROOT / "printed"
    assert not printed.exists() or list(printed.iterdir()) == []
