"""Domain actions that span several models. Admin, commands and imports all call these."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bulletins.models import (
    Article,
    Column,
    Issue,
    IssueRecipient,
    Publication,
)


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
    issue.printed_distribution = [[line.role, line.text]
                                  for line in issue.compute_distribution_lines()]
    if issue.print_run is None:
        issue.print_run = issue.computed_print_run() or None
    issue.status = Issue.Status.PUBLISHED
    issue.save(update_fields=["printed_distribution", "print_run", "status", "updated_at"])
    return issue


def article_create(
    *,
    issue: Issue,
    column: Column,
    title: str,
    position: int | None = None,
    **fields,
) -> Article:
    """Add an article to an issue, at the end unless a position is given."""
    if position is None:
        position = issue.articles.count()
    article = Article(issue=issue, column=column, title=title, position=position, **fields)
    article.full_clean()
    article.save()
    return article
