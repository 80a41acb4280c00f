"""Guards shared by every service: an issue's content changes only while it is a draft."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from bulletins.models import Issue, IssueEvent

NOT_EDITABLE_MESSAGE = "{issue}当前为“{status}”，内容不能修改；如需修改，须先退回草稿。"
NOT_DELETABLE_MESSAGE = "{issue}当前为“{status}”，只有草稿可以删除。"
ON_RECORD_MESSAGE = "{issue}已进入过送审流程，留有流转记录，不能删除。"
WRONG_STATE_MESSAGE = "{issue}当前为“{status}”，不能{action}。"


def issue_ensure_editable(*, issue: Issue) -> None:
    """Refuse any change of the issue's content unless it is a draft."""
    if not issue.is_editable:
        raise ValidationError(NOT_EDITABLE_MESSAGE.format(issue=issue.number_label,
                                                          status=issue.get_status_display()))


def issue_lock(*, issue: Issue) -> Issue:
    """The issue's row as it is now, locked until the end of the transaction."""
    rows = Issue.objects.select_for_update(of=("self",)).select_related("publication")
    locked: Issue = rows.get(pk=issue.pk)
    return locked


def issue_ensure_state(*, issue: Issue, allowed_from: Iterable[str], action: str) -> None:
    """Refuse the step (`action`, an IssueEvent.Action) unless the issue is in one of `allowed_from`."""
    if issue.status not in allowed_from:
        raise ValidationError(WRONG_STATE_MESSAGE.format(
            issue=issue.number_label, status=issue.get_status_display(),
            action=IssueEvent.Action(action).label))


def issue_touch(*, issue: Issue, by: User | None) -> None:
    """Save the issue as changed by `by`: its version goes up so pages opened before know."""
    issue.version += 1
    issue.updated_by = by if by is not None and by.is_authenticated else None
    issue.save()


def events_on_record() -> QuerySet[IssueEvent]:
    """The events that put an issue on record: all but its creation, which hands it to nobody."""
    return IssueEvent.objects.exclude(action=IssueEvent.Action.CREATED)


def issue_on_record(issue: Issue) -> bool:
    """Whether the issue went into the sign-off path (or was imported): it then stays."""
    return events_on_record().filter(issue=issue).exists()
