"""A 信息员's side: write an item, change it while a draft, submit it, withdraw it before the office acts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from bulletins.models import Organisation
from bulletins.sanitize import sanitize_html
from intake.models import Call, IntakeEvent, Kind, Reporter, Submission
from intake.permissions import REPORTER_GROUP
from intake.services.common import lock_in_state, record_event, require_handler, require_reporter_of

Status = Submission.Status
Action = IntakeEvent.Action
EDITABLE_FIELDS = ("title", "body", "kind", "contact", "attachment", "call")
CALL_NOT_ADDRESSED_MESSAGE = "约稿“{subject}”没有发给{unit}。"


@transaction.atomic
def submission_create(*, unit: Organisation, by: AbstractBaseUser, title: str, body: str = "",
                      kind: str = Kind.NEWS, contact: str = "", attachment: File | None = None,
                      call: Call | None = None) -> Submission:
    """A new item of the unit, saved as 草稿."""
    require_reporter_of(by, unit)
    _check_call(call, unit)
    submission = Submission(unit=unit, author=by, title=title.strip(), body=sanitize_html(body),
                            kind=kind, contact=contact.strip(), call=call)
    if attachment:
        submission.attachment = attachment
    submission.full_clean()
    submission.save()
    record_event(action=Action.CREATED, by=by, submission=submission)
    return submission


@transaction.atomic
def submission_update(*, submission: Submission, by: AbstractBaseUser, **fields) -> Submission:
    """Change a draft; only its unit's 信息员 may."""
    require_reporter_of(by, submission.unit)
    current = lock_in_state(submission, (Status.DRAFT,), "修改")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    if "body" in fields:
        fields["body"] = sanitize_html(fields["body"])
    if fields.get("call") is not None:
        _check_call(fields["call"], current.unit)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


def _check_call(call: Call | None, unit: Organisation) -> None:
    if call is not None and not Call.objects.addressed_to(unit.pk).filter(pk=call.pk).exists():
        raise ValidationError(CALL_NOT_ADDRESSED_MESSAGE.format(subject=call.subject, unit=unit.name))


@transaction.atomic
def submission_submit(*, submission: Submission, by: AbstractBaseUser) -> Submission:
    """草稿 → 待采编: the item goes to the office."""
    require_reporter_of(by, submission.unit)
    current = lock_in_state(submission, (Status.DRAFT,), "报送")
    current.status, current.submitted_at, current.reply = Status.SUBMITTED, timezone.now(), ""
    current.save(update_fields=["status", "submitted_at", "reply", "updated_at"])
    record_event(action=Action.SUBMITTED, by=by, submission=current, from_status=Status.DRAFT)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submission_withdraw(*, submission: Submission, by: AbstractBaseUser) -> Submission:
    """待采编 → 草稿: taken back before the office has acted on it."""
    require_reporter_of(by, submission.unit)
    current = lock_in_state(submission, (Status.SUBMITTED,), "撤回")
    current.status, current.submitted_at = Status.DRAFT, None
    current.save(update_fields=["status", "submitted_at", "updated_at"])
    record_event(action=Action.WITHDRAWN, by=by, submission=current, from_status=Status.SUBMITTED)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def reporter_assign(*, user: AbstractBaseUser, unit: Organisation, by: AbstractBaseUser) -> None:
    """Make `user` a 信息员 of `unit` (or move them to it): in the group, tied to the unit."""
    require_handler(by, "指定信息员")
    Reporter.objects.update_or_create(user=user, defaults={"unit": unit})
    record_event(action=Action.REPORTER_ASSIGNED, by=by, note=f"{user.get_username()}：{unit.name}")
    user.groups.add(Group.objects.get(name=REPORTER_GROUP))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
