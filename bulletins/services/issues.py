"""Issues: creating, numbering, and the guards that keep a submitted issue's content fixed."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bulletins.models import Issue, IssueEvent, IssueRecipient, Publication
from bulletins.services.guards import (
    NOT_DELETABLE_MESSAGE,
    ON_RECORD_MESSAGE,
    issue_ensure_editable,
    issue_lock,
    issue_on_record,
    issue_touch,
)
from bulletins.services.revisions import (
    EditConflict,
    issue_record_event,
    recorded,
    user_label,
)

ISSUE_EDITABLE_FIELDS = ("date", "year", "number", "total_number", "is_special", "editor_note",
                         "print_run")


def issue_propose_numbers(*, publication: Publication, year: int | None = None,
                          is_special: bool = False) -> tuple[int, int, int | None]:
    """The (year, number, total number) a new issue of `year` (this year) would carry."""
    year = year or timezone.localdate().year
    number, total = publication.next_issue_numbers(year=year, special=is_special)
    return year, number, total


@transaction.atomic
def issue_create(
    *,
    publication: Publication,
    by: User | None = None,
    date: datetime.date | None = None,
    year: int | None = None,
    number: int | None = None,
    total_number: int | None = None,
    is_special: bool = False,
    with_default_distribution: bool = True,
    **fields: Any,
) -> Issue:
    """Create a draft, proposing its numbers and starting from the default distribution."""
    date = date or timezone.localdate()
    proposed_year, next_number, next_total = issue_propose_numbers(
        publication=publication, year=year or date.year, is_special=is_special)
    issue = Issue(
        publication=publication,
        year=year or proposed_year,
        number=number or next_number,
        total_number=total_number if total_number is not None else next_total,
        is_special=is_special,
        date=date,
        created_by=by,
        updated_by=by,
        **fields,
    )
    issue.full_clean()
    with recorded(issue=issue, by=by, comment="创建"):
        issue.save()
        if with_default_distribution:
            issue_apply_default_distribution(issue=issue)
    issue_record_event(issue=issue, action=IssueEvent.Action.CREATED, by=by, from_status="")
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, by: User | None, expected_version: int | None = None,
                 **fields: Any) -> Issue:
    """Change fields of a draft; refused if somebody saved it after `expected_version`."""
    current = issue_lock(issue=issue)
    issue_ensure_editable(issue=current)
    issue_check_version(issue=current, expected_version=expected_version)
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    if changed:
        with recorded(issue=current, by=by, comment="修改本期信息"):
            for name, value in changed.items():
                setattr(current, name, value)
            current.full_clean()
            issue_touch(issue=current, by=by)
    issue.refresh_from_db()
    return issue


def issue_check_version(*, issue: Issue, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != issue.version:
        raise EditConflict(what=f"{issue.number_label}", name=user_label(issue.updated_by),
                           when=issue.updated_at)


@transaction.atomic
def issue_delete(*, issue: Issue, by: User | None) -> None:
    """Delete a draft; an issue that has been submitted is on record and stays."""
    current = issue_lock(issue=issue)
    if current.status != Issue.Status.DRAFT:
        raise ValidationError(NOT_DELETABLE_MESSAGE.format(issue=current.number_label,
                                                           status=current.get_status_display()))
    if issue_on_record(current):
        raise ValidationError(ON_RECORD_MESSAGE.format(issue=current.number_label))
    current.delete()


def issue_apply_default_distribution(*, issue: Issue) -> None:
    """Add the publication's default distribution lists to the issue, after what it has."""
    start = issue.recipients.count()
    defaults = issue.publication.distribution_lists.filter(is_default=True)
    IssueRecipient.objects.bulk_create(
        IssueRecipient(issue=issue, role=dl.role, distribution_list=dl, position=start + i)
        for i, dl in enumerate(defaults)
    )
