"""Issues: creating, numbering, and the guards that keep a submitted issue's content fixed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bulletins.models import Issue, IssueRecipient, Publication
from bulletins.services.distribution import issue_freeze_distribution

NOT_EDITABLE_MESSAGE = "{issue}当前为“{status}”，内容不能修改；如需修改，请先退回草稿。"


def issue_ensure_editable(*, issue: Issue) -> None:
    """Refuse any change of the issue's content unless it is a draft."""
    if not issue.is_editable:
        raise ValidationError(NOT_EDITABLE_MESSAGE.format(issue=issue.number_label,
                                                          status=issue.get_status_display()))


@transaction.atomic
def issue_create(
    *,
    publication: Publication,
    date: datetime.date | None = None,
    year: int | None = None,
    number: int | None = None,
    total_number: int | None = None,
    is_special: bool = False,
    with_default_distribution: bool = True,
    **fields,
) -> Issue:
    """Create an issue, proposing its numbers and starting from the default distribution."""
    date = date or timezone.localdate()
    year = year or date.year
    next_number, next_total = publication.next_issue_numbers(year=year, special=is_special)
    issue = Issue(
        publication=publication,
        year=year,
        number=number or next_number,
        total_number=total_number if total_number is not None else next_total,
        is_special=is_special,
        date=date,
        **fields,
    )
    issue.full_clean()
    issue.save()
    if with_default_distribution:
        issue_apply_default_distribution(issue=issue)
    return issue


def issue_apply_default_distribution(*, issue: Issue) -> None:
    """Add the publication's default distribution lists to the issue, after what it has."""
    start = issue.recipients.count()
    defaults = issue.publication.distribution_lists.filter(is_default=True)
    IssueRecipient.objects.bulk_create(
        IssueRecipient(issue=issue, role=dl.role, distribution_list=dl, position=start + i)
        for i, dl in enumerate(defaults)
    )


@transaction.atomic
def issue_publish(*, issue: Issue) -> Issue:
    """Mark the issue as printed and freeze its 版记 so later directory edits leave it alone."""
    issue_freeze_distribution(issue=issue)
    issue.status = Issue.Status.PUBLISHED
    issue.save(update_fields=["status", "updated_at"])
    return issue
