"""Mail to the people whose turn it is after a step of an issue's sign-off."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.urls import reverse

from bulletins.models import Issue, IssueEvent
from bulletins.services.revisions import user_label

logger = logging.getLogger(__name__)

Action = IssueEvent.Action

# After each step, who is told: the holders of this permission (a return goes to the submitter).
NOTIFY_PERMISSION = {
    Action.SUBMITTED: "bulletins.review_issue",
    Action.APPROVED: "bulletins.sign_off_issue",
    Action.SIGNED: "bulletins.publish_issue",
    Action.REOPENED: "bulletins.submit_issue",
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


def _recipients(issue: Issue, action: str, actor: User | None) -> list[str]:
    users: Iterable[User | None]
    if action == Action.RETURNED:
        users = [issue.submitted_by]
    else:
        users = get_user_model().objects.with_perm(NOTIFY_PERMISSION[Action(action)],
                                                   include_superusers=False,
                                                   backend="django.contrib.auth.backends.ModelBackend")
    actor_pk = actor.pk if actor is not None else None
    return sorted({u.email for u in users if u is not None and u.is_active and u.email
                   and u.pk != actor_pk})


def issue_notify(*, issue: Issue, action: str, actor: User | None, note: str = "") -> int:
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
        return send_mail(SUBJECTS[Action(action)].format(issue=label), "\n".join(lines), None, to)
    except (OSError, ValueError) as error:  # SMTP errors are OSErrors
        logger.warning("Notification for issue %s (%s) not sent: %s", issue.pk, action, error)
        return 0
