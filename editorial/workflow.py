"""The path of an issue and who may move it: 草稿 → 送审 → 审核通过 → 已签发 → 已印发.

Each verb is a row of bulletins.services.lifecycle.TRANSITIONS: the table checks the acting
user's role (PermissionDenied), the issue's state and the step's guards (ValidationError), then
moves the issue and writes its event in one transaction; the people whose turn it is are
e-mailed after the commit.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from bulletins.models import Issue
from bulletins.services.lifecycle import (
    NO_ARTICLES_MESSAGE,
    NO_ROLE_MESSAGE,
    NOT_SUBMITTER_MESSAGE,
    REASON_REQUIRED_MESSAGE,
    available_verbs,
    issue_transition,
)

__all__ = [
    "NO_ARTICLES_MESSAGE", "NO_ROLE_MESSAGE", "NOT_SUBMITTER_MESSAGE", "REASON_REQUIRED_MESSAGE",
    "approve", "available_actions", "publish", "reopen", "return_for_changes",
    "sign_off", "submit", "withdraw",
]


def submit(*, issue: Issue, by: User, note: str = "") -> Issue:
    """草稿 → 送审: the editor hands the issue to the reviewers."""
    return issue_transition(verb="submit", issue=issue, by=by, note=note)


def withdraw(*, issue: Issue, by: User, note: str = "") -> Issue:
    """送审 → 草稿: the submitter takes the issue back before it is reviewed."""
    return issue_transition(verb="withdraw", issue=issue, by=by, note=note)


def approve(*, issue: Issue, by: User, note: str = "") -> Issue:
    """送审 → 审核通过: the reviewer passes the issue on to be signed."""
    return issue_transition(verb="approve", issue=issue, by=by, note=note)


def return_for_changes(*, issue: Issue, by: User, reason: str) -> Issue:
    """送审 or 审核通过 → 草稿, with the reason the submitter will read."""
    return issue_transition(verb="return_for_changes", issue=issue, by=by, note=reason)


def sign_off(*, issue: Issue, by: User, note: str = "") -> Issue:
    """审核通过 → 已签发: the leader signs; the PDF of record is made and kept."""
    return issue_transition(verb="sign_off", issue=issue, by=by, note=note)


def publish(*, issue: Issue, by: User, print_run: int | None = None,
            printed_on: datetime.date | None = None) -> Issue:
    """已签发 → 已印发: the editor records the printing; the distribution is frozen."""
    return issue_transition(verb="publish", issue=issue, by=by, print_run=print_run, printed_on=printed_on)


def reopen(*, issue: Issue, by: User, reason: str) -> Issue:
    """已签发 or 已印发 → 草稿 for a correction; the signed PDF stays on record in the timeline."""
    return issue_transition(verb="reopen", issue=issue, by=by, note=reason)


def available_actions(issue: Issue, user: User) -> list[str]:
    """The transitions this user may take on the issue as it is now (names of the functions above)."""
    return available_verbs(issue, user)
