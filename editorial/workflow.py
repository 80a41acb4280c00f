"""The path of an issue and who may move it: 草稿 → 送审 → 审核通过 → 已签发 → 已印发.

Each transition checks the acting user's role (PermissionDenied), the issue's state and the
step's own conditions (ValidationError), then moves the issue and writes its event in one
transaction; the people whose turn it is are e-mailed after the commit.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from bulletins.models import Issue, IssueEvent
from bulletins.services import issue_change_status, issue_lock_in_state, issue_record_printing
from bulletins.services.printing import (
    issue_check_printable,
    issue_render_for_sign_off,
    issue_signed_off_pdf_stored,
)
from bulletins.services.revisions import user_label

logger = logging.getLogger(__name__)

Status = Issue.Status
Action = IssueEvent.Action

ROLE_PERMISSIONS = {
    "submit": ("bulletins.submit_issue", "编辑"),
    "review": ("bulletins.review_issue", "审核"),
    "sign_off": ("bulletins.sign_off_issue", "签发"),
    "publish": ("bulletins.publish_issue", "编辑"),
    "reopen": ("bulletins.reopen_issue", "签发"),
}

NO_ROLE_MESSAGE = "您没有{action}的权限：只有“{role}”角色可以{action}。"
NOT_SUBMITTER_MESSAGE = "只有送审人{name}可以撤回送审。"
REASON_REQUIRED_MESSAGE = "请填写{action}的理由。"
NO_ARTICLES_MESSAGE = "{issue}还没有文章，不能{action}。"


def _require_role(user: AbstractBaseUser, role: str, action: str) -> None:
    permission, role_name = ROLE_PERMISSIONS[role]
    if not (user.is_active and user.has_perm(permission)):
        raise PermissionDenied(NO_ROLE_MESSAGE.format(action=action, role=role_name))


def _require_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED_MESSAGE.format(action=action), code="reason_required")
    return reason


def _require_articles(issue: Issue, action: str) -> None:
    if not issue.articles.exists():
        raise ValidationError(NO_ARTICLES_MESSAGE.format(issue=issue.number_label, action=action))


@transaction.atomic
def submit(*, issue: Issue, by: AbstractBaseUser, note: str = "") -> Issue:
    """草稿 → 送审: the editor hands the issue to the reviewers."""
    _require_role(by, "submit", "送审")
    current = issue_lock_in_state(issue=issue, allowed_from=(Status.DRAFT,), action=Action.SUBMITTED)
    _require_articles(current, "送审")
    # Found now, all at once, so that signing off never fails at the PDF.
    issue_check_printable(issue=current)
    issue_change_status(issue=current, to=Status.SUBMITTED, action=Action.SUBMITTED, by=by,
                        note=note.strip(), submitted_by=by)
    _notify_after_commit(issue, Action.SUBMITTED, by, note)
    issue.refresh_from_db()
    return issue


@transaction.atomic
def withdraw(*, issue: Issue, by: AbstractBaseUser, note: str = "") -> Issue:
    """送审 → 草稿: the submitter takes the issue back before it is reviewed."""
    current = issue_lock_in_state(issue=issue, allowed_from=(Status.SUBMITTED,), action=Action.WITHDRAWN)
    if current.submitted_by_id != by.pk and not by.is_superuser:
        raise PermissionDenied(NOT_SUBMITTER_MESSAGE.format(name=user_label(current.submitted_by)))
    issue_change_status(issue=current, to=Status.DRAFT, action=Action.WITHDRAWN, by=by, note=note.strip())
    issue.refresh_from_db()
    return issue


@transaction.atomic
def approve(*, issue: Issue, by: AbstractBaseUser, note: str = "") -> Issue:
    """送审 → 审核通过: the reviewer passes the issue on to be signed."""
    _require_role(by, "review", "审核")
    current = issue_lock_in_state(issue=issue, allowed_from=(Status.SUBMITTED,), action=Action.APPROVED)
    issue_change_status(issue=current, to=Status.APPROVED, action=Action.APPROVED, by=by, note=note.strip())
    _notify_after_commit(issue, Action.APPROVED, by, note)
    issue.refresh_from_db()
    return issue


@transaction.atomic
def return_for_changes(*, issue: Issue, by: AbstractBaseUser, reason: str) -> Issue:
    """送审 or 审核通过 → 草稿, with the reason the submitter will read."""
    current = issue_lock_in_state(issue=issue, allowed_from=(Status.SUBMITTED, Status.APPROVED),
                                  action=Action.RETURNED)
    if current.status == Status.SUBMITTED:
        _require_role(by, "review", "退回修改")
    else:
        _require_role(by, "sign_off", "退回修改")
    reason = _require_reason(reason, "退回修改")
    issue_change_status(issue=current, to=Status.DRAFT, action=Action.RETURNED, by=by, note=reason)
    _notify_after_commit(issue, Action.RETURNED, by, reason)
    issue.refresh_from_db()
    return issue


def sign_off(*, issue: Issue, by: AbstractBaseUser, note: str = "") -> Issue:
    """审核通过 → 已签发: the leader signs; the PDF of record is made and kept.

    The PDF is rendered first, holding no lock; the step then locks the issue and keeps it only
    if the issue is still the revision rendered.
    """
    _require_role(by, "sign_off", "签发")
    rendered = issue_render_for_sign_off(issue=issue, by=by)
    with transaction.atomic():
        current = issue_lock_in_state(issue=issue, allowed_from=(Status.APPROVED,), action=Action.SIGNED)
        with issue_signed_off_pdf_stored(issue=current, rendered=rendered) as stored:
            issue_change_status(issue=current, to=Status.SIGNED, action=Action.SIGNED, by=by,
                                note=note.strip(), pdf=stored.name, pdf_sha256=stored.sha256,
                                printed_pdf=stored.name, printed_pdf_sha256=stored.sha256,
                                printed_pdf_revision_id=rendered.revision_id)
        _notify_after_commit(issue, Action.SIGNED, by, note)
    issue.refresh_from_db()
    return issue


@transaction.atomic
def publish(*, issue: Issue, by: AbstractBaseUser, print_run: int | None = None,
            printed_on: datetime.date | None = None) -> Issue:
    """已签发 → 已印发: the editor records the printing; the distribution is frozen."""
    _require_role(by, "publish", "登记印发")
    current = issue_lock_in_state(issue=issue, allowed_from=(Status.SIGNED,), action=Action.PUBLISHED)
    _require_articles(current, "登记印发")
    issue_record_printing(issue=current, by=by, print_run=print_run, printed_on=printed_on)
    issue.refresh_from_db()
    return issue


@transaction.atomic
def reopen(*, issue: Issue, by: AbstractBaseUser, reason: str) -> Issue:
    """已签发 or 已印发 → 草稿 for a correction; the signed PDF stays on record in the timeline."""
    _require_role(by, "reopen", "重新打开修改")
    current = issue_lock_in_state(issue=issue, allowed_from=(Status.SIGNED, Status.PUBLISHED),
                                  action=Action.REOPENED)
    reason = _require_reason(reason, "重新打开修改")
    issue_change_status(issue=current, to=Status.DRAFT, action=Action.REOPENED, by=by, note=reason,
                        printed_pdf="", printed_pdf_sha256="", printed_pdf_revision=None,
                        printed_on=None)
    _notify_after_commit(issue, Action.REOPENED, by, reason)
    issue.refresh_from_db()
    return issue


# ---- who may act now -----------------------------------------------------------------------------


def available_actions(issue: Issue, user: AbstractBaseUser) -> list[str]:
    """The transitions this user may take on the issue as it is now (names of the functions above)."""
    has = {role: user.is_active and user.has_perm(permission)
           for role, (permission, _) in ROLE_PERMISSIONS.items()}
    actions = []
    if issue.status == Status.DRAFT and has["submit"]:
        actions.append("submit")
    if issue.status == Status.SUBMITTED:
        if issue.submitted_by_id == user.pk or user.is_superuser:
            actions.append("withdraw")
        if has["review"]:
            actions += ["approve", "return_for_changes"]
    if issue.status == Status.APPROVED and has["sign_off"]:
        actions += ["sign_off", "return_for_changes"]
    if issue.status == Status.SIGNED and has["publish"]:
        actions.append("publish")
    if issue.status in (Status.SIGNED, Status.PUBLISHED) and has["reopen"]:
        actions.append("reopen")
    return actions


# ---- notifications -------------------------------------------------------------------------------

NOTIFY_ROLE = {
    Action.SUBMITTED: "review",
    Action.APPROVED: "sign_off",
    Action.SIGNED: "publish",
    Action.REOPENED: "submit",
}
SUBJECTS = {
    Action.SUBMITTED: "{issue}已送审，请审核",
    Action.APPROVED: "{issue}已审核通过，请签发",
    Action.RETURNED: "{issue}被退回修改",
    Action.SIGNED: "{issue}已签发，请安排印发",
    Action.REOPENED: "{issue}已重新打开修改",
}


def issue_url(issue: Issue) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("admin:bulletins_issue_change", args=[issue.pk])


def _recipients(issue: Issue, action: str, actor: AbstractBaseUser) -> list[str]:
    if action == Action.RETURNED:
        users = [issue.submitted_by] if issue.submitted_by else []
    else:
        permission = ROLE_PERMISSIONS[NOTIFY_ROLE[action]][0]
        users = get_user_model().objects.with_perm(permission, include_superusers=False,
                                                   backend="django.contrib.auth.backends.ModelBackend")
    return sorted({u.email for u in users if u is not None and u.is_active and u.email
                   and u.pk != actor.pk})


def _notify_after_commit(issue: Issue, action: str, actor: AbstractBaseUser, note: str) -> None:
    transaction.on_commit(lambda: notify(issue=issue, action=action, actor=actor, note=note))


def notify(*, issue: Issue, action: str, actor: AbstractBaseUser, note: str = "") -> int:
    """E-mail the people whose step it is now; a failed mail is logged, never raised."""
    issue.refresh_from_db()
    to = _recipients(issue, action, actor)
    if not to:
        return 0
    label = str(issue)
    lines = [f"{user_label(actor)}：{IssueEvent.Action(action).label}《{label}》。"]
    if note.strip():
        lines.append(f"{'理由' if action in (Action.RETURNED, Action.REOPENED) else '说明'}：{note.strip()}")
    lines += ["", f"打开本期：{issue_url(issue)}", "", "——简报编辑印发系统"]
    try:
        return send_mail(SUBJECTS[action].format(issue=label), "\n".join(lines), None, to)
    except (OSError, ValueError) as error:  # SMTP errors are OSErrors
        logger.warning("Notification for issue %s (%s) not sent: %s", issue.pk, action, error)
        return 0
