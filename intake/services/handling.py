"""The office's side: adopt items into a draft issue (alone or merged), take an adoption back while the
issue is a draft, return an item with a reason, keep it without use, record credit earned elsewhere."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from bulletins.models import Article, Column, Issue
from bulletins.services import article_create, article_delete, issue_lock
from intake.models import Adoption, IntakeEvent, Recognition, Submission
from intake.services.common import lock_in_state, record_event, require_handler, require_reason

Status = Submission.Status
Action = IntakeEvent.Action

NOTHING_SELECTED_MESSAGE = "请选择要采用的信息。"
ISSUE_NOT_DRAFT_MESSAGE = "{issue}当前为“{status}”，只能采用到草稿状态的期。"
REVOKE_NOT_DRAFT_MESSAGE = "{issue}当前为“{status}”，采用已不能撤销（只有草稿期可以撤销采用）。"
NOT_RECEIVED_MESSAGE = "信息“{title}”尚未报送，不能登记上级采用或批示。"
EVIDENCE_REQUIRED_MESSAGE = "请上传证明材料（扫描件）或填写说明。"


def _unit_source(submissions: Sequence[Submission]) -> str:
    """The article's 来源 as printed at its end: （单位）, or （单位甲、单位乙） when merged."""
    names = list(dict.fromkeys(s.unit.short_name or s.unit.name for s in submissions))
    return f"（{'、'.join(names)}）"


@transaction.atomic
def adopt(*, submissions: Sequence[Submission], issue: Issue, column: Column, by: AbstractBaseUser,
          title: str = "") -> Article:
    """采用 items into a draft issue as one new article; several items are 综合采用, each unit credited."""
    require_handler(by, "采用")
    if not submissions:
        raise ValidationError(NOTHING_SELECTED_MESSAGE)
    # Locked in one order whoever adopts, then merged in the order they were submitted.
    unique = sorted({s.pk: s for s in submissions}.values(), key=lambda s: s.pk)
    locked_items = [lock_in_state(s, (Status.SUBMITTED,), "采用") for s in unique]
    current = sorted(locked_items, key=lambda s: (s.submitted_at, s.pk))
    locked = issue_lock(issue=issue)
    if locked.status != Issue.Status.DRAFT:
        raise ValidationError(ISSUE_NOT_DRAFT_MESSAGE.format(issue=locked.number_label,
                                                             status=locked.get_status_display()))
    body = "".join(s.body for s in current)
    article = article_create(issue=locked, column=column, title=(title or current[0].title).strip(),
                             body=body, source=_unit_source(current), by=by)
    mode = Adoption.Mode.COMBINED if len(current) > 1 else Adoption.Mode.SINGLE
    now = timezone.now()
    for submission in current:
        Adoption.objects.create(submission=submission, issue=locked, article=article, mode=mode,
                                adopted_by=by)
        submission.status, submission.handled_by, submission.handled_at = Status.ADOPTED, by, now
        submission.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
        record_event(action=Action.ADOPTED, by=by, submission=submission, from_status=Status.SUBMITTED,
                     issue=locked, note=f"{Adoption.Mode(mode).label}：《{article.title}》")
    return article


@transaction.atomic
def adoption_revoke(*, submission: Submission, by: AbstractBaseUser, reason: str = "") -> Submission:
    """撤销采用 while the issue is a draft: the item waits again; an article left with no item goes."""
    require_handler(by, "撤销采用")
    current = lock_in_state(submission, (Status.ADOPTED,), "撤销采用")
    adoption = Adoption.objects.select_related("article").get(submission=current)
    issue = issue_lock(issue=adoption.issue)
    if issue.status != Issue.Status.DRAFT:
        raise ValidationError(REVOKE_NOT_DRAFT_MESSAGE.format(issue=issue.number_label,
                                                              status=issue.get_status_display()))
    article = adoption.article
    adoption.delete()
    if article is not None and not article.intake_adoptions.exists():
        article_delete(article=article, by=by)
    current.status, current.handled_by, current.handled_at = Status.SUBMITTED, None, None
    current.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
    record_event(action=Action.REVOKED, by=by, submission=current, from_status=Status.ADOPTED,
                 issue=issue, note=(reason or "").strip())
    submission.refresh_from_db()
    return submission


def _close(submission: Submission, *, by: AbstractBaseUser, to: str, action: str, label: str,
           reply: str) -> Submission:
    current = lock_in_state(submission, (Status.SUBMITTED,), label)
    current.status, current.reply = to, reply
    current.handled_by, current.handled_at = by, timezone.now()
    current.save(update_fields=["status", "reply", "handled_by", "handled_at", "updated_at"])
    record_event(action=action, by=by, submission=current, from_status=Status.SUBMITTED, note=reply)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def reject(*, submission: Submission, by: AbstractBaseUser, reason: str) -> Submission:
    """退稿, with the reason the unit reads."""
    require_handler(by, "退稿")
    reason = require_reason(reason, "退稿")
    return _close(submission, by=by, to=Status.REJECTED, action=Action.REJECTED, label="退稿", reply=reason)


@transaction.atomic
def submission_archive(*, submission: Submission, by: AbstractBaseUser, note: str = "") -> Submission:
    """存档: kept, not used."""
    require_handler(by, "存档")
    return _close(submission, by=by, to=Status.ARCHIVED, action=Action.ARCHIVED, label="存档",
                  reply=(note or "").strip())


@transaction.atomic
def recognition_record(*, submission: Submission, by: AbstractBaseUser, kind: str, level: str, name: str,
                       date: datetime.date, evidence: File | None = None, note: str = "") -> Recognition:
    """Record that an item was adopted by a higher publication, or received a leader's 批示."""
    require_handler(by, "登记上级采用或批示")
    current = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
    if current.status == Status.DRAFT:
        raise ValidationError(NOT_RECEIVED_MESSAGE.format(title=current.title))
    if not evidence and not (note or "").strip():
        raise ValidationError(EVIDENCE_REQUIRED_MESSAGE)
    recognition = Recognition(submission=current, kind=kind, level=level, name=name.strip(), date=date,
                              note=(note or "").strip(), recorded_by=by)
    if evidence:
        recognition.evidence = evidence
    recognition.full_clean()
    recognition.save()
    record_event(action=Action.RECOGNISED, by=by, submission=current, from_status=current.status,
                 note=str(recognition))
    return recognition
