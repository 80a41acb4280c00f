"""What every intake service shares: who may act, state guards, the event of each step, mail."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail

from bulletins.models import Issue, Organisation
from bulletins.services.revisions import user_label
from intake.models import IntakeEvent, Reporter, Submission

logger = logging.getLogger(__name__)

HANDLE_PERMISSION = "intake.handle_submission"
REPORT_PERMISSION = "intake.report_submission"

NOT_REPORTER_MESSAGE = "您不是“{unit}”的信息员，不能以该单位名义报送或修改信息。"
NO_HANDLER_MESSAGE = "您没有{action}的权限：只有“信息采编”角色可以{action}。"
WRONG_STATE_MESSAGE = "信息“{title}”当前为“{status}”，不能{action}。"
REASON_REQUIRED_MESSAGE = "请填写{action}的理由。"


def require_reporter_of(user: AbstractBaseUser, unit: Organisation) -> None:
    """Only a 信息员 of the unit (or a superuser) reports for it."""
    if user.is_active and user.is_superuser:
        return
    if not (user.is_active and user.has_perm(REPORT_PERMISSION)
            and Reporter.objects.filter(user_id=user.pk, unit_id=unit.pk).exists()):
        raise PermissionDenied(NOT_REPORTER_MESSAGE.format(unit=unit.name))


def require_handler(user: AbstractBaseUser, action: str) -> None:
    if not (user.is_active and user.has_perm(HANDLE_PERMISSION)):
        raise PermissionDenied(NO_HANDLER_MESSAGE.format(action=action))


def require_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED_MESSAGE.format(action=action), code="reason_required")
    return reason


def lock_in_state(submission: Submission, allowed: Iterable[str], action: str) -> Submission:
    """The submission's row locked, if its state is one of `allowed`; otherwise refused."""
    current = Submission.objects.select_for_update(of=("self",)).select_related("unit").get(pk=submission.pk)
    if current.status not in allowed:
        raise ValidationError(WRONG_STATE_MESSAGE.format(title=current.title,
                                                         status=current.get_status_display(),
                                                         action=action), code="wrong_state")
    return current


def record_event(*, action: str, by: AbstractBaseUser | None, submission: Submission | None = None,
                 from_status: str = "", call=None, issue: Issue | None = None, note: str = "") -> IntakeEvent:
    return IntakeEvent.objects.create(
        submission=submission, call=call, action=action, from_status=from_status,
        to_status=submission.status if submission is not None else "", issue=issue,
        actor=by if by is not None and by.is_authenticated else None, actor_name=user_label(by),
        note=note)


def mail_reporters(*, units: Iterable[int], subject: str, lines: list[str]) -> int:
    """E-mail the 信息员 of these units; a failed mail is logged, never raised."""
    to = sorted({r.user.email for r in Reporter.objects.filter(unit_id__in=list(units)).select_related("user")
                 if r.user.is_active and r.user.email})
    if not to:
        return 0
    try:
        return send_mail(subject, "\n".join([*lines, "", "——简报编辑印发系统"]), None, to)
    except (OSError, ValueError) as error:  # SMTP errors are OSErrors
        logger.warning("Intake mail %r not sent: %s", subject, error)
        return 0
