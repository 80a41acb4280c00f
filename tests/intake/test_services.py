"""Every step of an item's path and every refusal, with the messages users read."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from bulletins.models import Issue
from intake.models import Adoption, IntakeEvent, Recognition, Submission
from intake.services import (
    adopt,
    adoption_revoke,
    call_create,
    call_remind,
    recognition_record,
    reject,
    submission_archive,
    submission_create,
    submission_submit,
    submission_update,
    submission_withdraw,
)
from tests.factories import print_issue

pytestmark = pytest.mark.django_db
Status = Submission.Status


def submitted_item(unit, reporter, title="县发改局推进项目建设", body="<p>全年开工项目四十个。</p>"):
    item = submission_create(unit=unit, by=reporter, title=title, body=body, kind="动态", contact="张三 123")
    return submission_submit(submission=item, by=reporter)


def test_a_reporter_writes_submits_and_withdraws_with_events(unit, reporter):
    item = submission_create(unit=unit, by=reporter, title="标题", body="<p>正文<script>x</script></p>",
                             kind="经验")
    assert (item.status, item.body, item.author) == (Status.DRAFT, "<p>正文</p>", reporter)
    submission_update(submission=item, by=reporter, title="新标题")
    submission_submit(submission=item, by=reporter)
    assert item.status == Status.SUBMITTED and item.submitted_at is not None
    submission_withdraw(submission=item, by=reporter)
    assert (item.status, item.submitted_at) == (Status.DRAFT, None)
    assert [(e.action, e.actor_name) for e in item.events.all()] == [
        ("created", "xinxiyuan"), ("submitted", "xinxiyuan"), ("withdrawn", "xinxiyuan")]


def test_a_reporter_cannot_write_for_another_unit(unit, other_reporter):
    with pytest.raises(PermissionDenied) as refused:
        submission_create(unit=unit, by=other_reporter, title="标题")
    assert refused.value.args[0] == "您不是“常山县发改局”的信息员，不能以该单位名义报送或修改信息。"


def test_a_reporter_cannot_submit_or_withdraw_another_units_item(unit, reporter, other_reporter):
    item = submission_create(unit=unit, by=reporter, title="标题")
    with pytest.raises(PermissionDenied):
        submission_submit(submission=item, by=other_reporter)
    submission_submit(submission=item, by=reporter)
    with pytest.raises(PermissionDenied):
        submission_withdraw(submission=item, by=other_reporter)


def test_an_adopted_item_cannot_be_withdrawn_or_changed(unit, reporter, editor, draft, column):
    item = submitted_item(unit, reporter)
    adopt(submissions=[item], issue=draft, column=column, by=editor)
    with pytest.raises(ValidationError) as refused:
        submission_withdraw(submission=item, by=reporter)
    assert refused.value.messages == ["信息“县发改局推进项目建设”当前为“已采编”，不能撤回。"]
    with pytest.raises(ValidationError):
        submission_update(submission=item, by=reporter, title="改")


def test_adopting_makes_an_article_with_the_unit_as_source(unit, reporter, editor, draft, column):
    item = submitted_item(unit, reporter)
    article = adopt(submissions=[item], issue=draft, column=column, by=editor)
    assert (article.issue, article.column, article.title) == (draft, column, "县发改局推进项目建设")
    assert (article.body, article.source) == ("<p>全年开工项目四十个。</p>", "（常山县发改局）")
    item.refresh_from_db()
    assert item.status == Status.ADOPTED and item.adoption.mode == Adoption.Mode.SINGLE
    assert not item.adoption.is_final
    # Through the article service: the issue's history has it.
    from bulletins.services import issue_revisions
    assert "增加文章“县发改局推进项目建设”" in [r.comment for r in issue_revisions(issue=draft)]
    event = item.events.get(action=IntakeEvent.Action.ADOPTED)
    assert (event.issue, event.actor, event.note) == (draft, editor, "单篇采用：《县发改局推进项目建设》")


def test_merged_adoption_credits_every_unit(unit, other_unit, reporter, other_reporter, editor, draft,
                                            column):
    first = submitted_item(unit, reporter, title="甲", body="<p>甲的正文。</p>")
    second = submitted_item(other_unit, other_reporter, title="乙", body="<p>乙的正文。</p>")
    article = adopt(submissions=[first, second], issue=draft, column=column, by=editor, title="全县综合")
    assert article.title == "全县综合"
    assert article.body == "<p>甲的正文。</p><p>乙的正文。</p>"
    assert article.source == "（常山县发改局、常山县教育局）"
    assert sorted(Adoption.objects.values_list("mode", flat=True)) == ["combined", "combined"]


def test_a_reporter_cannot_adopt(unit, reporter, draft, column):
    item = submitted_item(unit, reporter)
    with pytest.raises(PermissionDenied) as refused:
        adopt(submissions=[item], issue=draft, column=column, by=reporter)
    assert refused.value.args[0] == "您没有采用的权限：只有“信息采编”角色可以采用。"


def test_an_editor_cannot_adopt_into_an_issue_past_draft(unit, reporter, editor, draft, column):
    item = submitted_item(unit, reporter)
    Issue.objects.filter(pk=draft.pk).update(status=Issue.Status.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        adopt(submissions=[item], issue=draft, column=column, by=editor)
    assert refused.value.messages == ["2026年第1期当前为“送审”，只能采用到草稿状态的期。"]
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED and not draft.articles.exists()


def test_a_draft_item_cannot_be_adopted(unit, reporter, editor, draft, column):
    item = submission_create(unit=unit, by=reporter, title="未报送")
    with pytest.raises(ValidationError) as refused:
        adopt(submissions=[item], issue=draft, column=column, by=editor)
    assert refused.value.messages == ["信息“未报送”当前为“草稿”，不能采用。"]


def test_revoking_takes_the_item_back_and_removes_its_article(unit, reporter, editor, draft, column):
    item = submitted_item(unit, reporter)
    adopt(submissions=[item], issue=draft, column=column, by=editor)
    adoption_revoke(submission=item, by=editor, reason="另作安排")
    assert item.status == Status.SUBMITTED
    assert not Adoption.objects.exists() and not draft.articles.exists()
    assert item.events.last().note == "另作安排"


def test_revoking_one_merged_item_keeps_the_article_for_the_others(
        unit, other_unit, reporter, other_reporter, editor, draft, column):
    first, second = submitted_item(unit, reporter), submitted_item(other_unit, other_reporter)
    article = adopt(submissions=[first, second], issue=draft, column=column, by=editor)
    adoption_revoke(submission=first, by=editor)
    assert list(draft.articles.all()) == [article]
    assert list(Adoption.objects.values_list("submission", flat=True)) == [second.pk]


def test_revoking_after_printing_is_refused(unit, reporter, editor, draft, column):
    item = submitted_item(unit, reporter)
    adopt(submissions=[item], issue=draft, column=column, by=editor)
    print_issue(issue=draft, by=editor)
    item.adoption.refresh_from_db()
    assert Adoption.objects.get().is_final
    with pytest.raises(ValidationError) as refused:
        adoption_revoke(submission=item, by=editor)
    assert refused.value.messages == ["2026年第1期当前为“已印发”，采用已不能撤销（只有草稿期可以撤销采用）。"]


def test_reject_needs_a_reason_the_unit_reads(unit, reporter, editor):
    item = submitted_item(unit, reporter)
    with pytest.raises(ValidationError) as refused:
        reject(submission=item, by=editor, reason="  ")
    assert refused.value.messages == ["请填写退稿的理由。"]
    reject(submission=item, by=editor, reason="内容与上期重复")
    assert (item.status, item.reply, item.handled_by) == (Status.REJECTED, "内容与上期重复", editor)
    with pytest.raises(ValidationError):
        submission_withdraw(submission=item, by=reporter)


def test_a_reporter_cannot_reject_or_archive(unit, reporter):
    item = submitted_item(unit, reporter)
    with pytest.raises(PermissionDenied):
        reject(submission=item, by=reporter, reason="x")
    with pytest.raises(PermissionDenied):
        submission_archive(submission=item, by=reporter)


def test_archive_keeps_the_item(unit, reporter, editor):
    item = submitted_item(unit, reporter)
    submission_archive(submission=item, by=editor, note="留作参考")
    assert (item.status, item.reply) == (Status.ARCHIVED, "留作参考")


def test_recognition_needs_evidence_and_a_received_item(unit, reporter, editor):
    draft_item = submission_create(unit=unit, by=reporter, title="草稿")
    with pytest.raises(ValidationError) as refused:
        recognition_record(submission=draft_item, by=editor, kind="higher", level="city", name="市政务信息",
                           date=datetime.date(2026, 11, 2), note="见第5期")
    assert refused.value.messages == ["信息“草稿”尚未报送，不能登记上级采用或批示。"]
    item = submitted_item(unit, reporter)
    with pytest.raises(ValidationError) as refused:
        recognition_record(submission=item, by=editor, kind="instruction", level="city", name="李市长",
                           date=datetime.date(2026, 11, 2))
    assert refused.value.messages == ["请上传证明材料（扫描件）或填写说明。"]
    recognition = recognition_record(submission=item, by=editor, kind="instruction", level="city",
                                     name="李市长", date=datetime.date(2026, 11, 2), note="批示件已存档")
    assert str(recognition) == "领导批示（市级）：李市长"
    assert Recognition.objects.count() == 1


def test_a_call_mails_its_units_and_reminds_those_who_have_not_replied(
        unit, other_unit, reporter, other_reporter, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call = call_create(by=editor, subject="冬季安全生产", request="报送经验做法",
                           deadline=datetime.date(2026, 12, 20))
    assert call.all_units
    assert sorted(mail.outbox[0].to) == ["jy@example.cn", "xxy@example.cn"]
    assert mail.outbox[0].subject == "约稿通知：冬季安全生产"
    reply = submission_create(unit=unit, by=reporter, title="我局做法", kind="约稿回复", call=call)
    submission_submit(submission=reply, by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        pending = call_remind(call=call, by=editor)
    assert pending == [other_unit]
    assert mail.outbox[1].to == ["jy@example.cn"] and mail.outbox[1].subject == "约稿催报：冬季安全生产"


def test_a_call_to_chosen_units_only(unit, other_unit, reporter, other_reporter, editor,
                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call = call_create(by=editor, subject="主题", request="要求", deadline=datetime.date(2026, 12, 20),
                           units=[other_unit])
    assert not call.all_units and mail.outbox[0].to == ["jy@example.cn"]
    with pytest.raises(PermissionDenied):
        call_create(by=reporter, subject="主题", request="要求", deadline=datetime.date(2026, 12, 20))


def test_an_item_answers_only_a_call_sent_to_its_unit(unit, other_unit, reporter, editor):
    call = call_create(by=editor, subject="只发教育局", request="要求", deadline=datetime.date(2026, 12, 20),
                       units=[other_unit])
    with pytest.raises(ValidationError) as refused:
        submission_create(unit=unit, by=reporter, title="回复", call=call)
    assert refused.value.messages == ["约稿“只发教育局”没有发给常山县发改局。"]


def test_the_same_item_twice_is_adopted_once(unit, reporter, editor, draft, column):
    item = submitted_item(unit, reporter)
    adopt(submissions=[item, item], issue=draft, column=column, by=editor)
    assert Adoption.objects.get().mode == Adoption.Mode.SINGLE
