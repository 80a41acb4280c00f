"""Distribution: the directory of organisations and who receives an issue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from bulletins.models import DistributionList, DistributionListMember, Issue, IssueRecipient, Organisation
from bulletins.services.delivery import unit_merge_deliveries
from bulletins.services.guards import issue_ensure_editable, issue_lock, issue_touch
from bulletins.services.revisions import recorded

INACTIVE_ORGANISATION_MESSAGE = "单位“{name}”已停用，不能加入尚未印发的一期。"
MERGE_WITH_ITSELF_MESSAGE = "不能把一个单位与它自己合并。"


@transaction.atomic
def issue_freeze_distribution(*, issue: Issue) -> Issue:
    """Fix the issue's printed lines and print run as they are now, if not fixed already."""
    if issue.is_frozen and issue.print_run is not None:
        return issue
    recipients = issue.loaded_recipients()
    update_fields = []
    if not issue.is_frozen:
        issue.printed_distribution = [[line.role, line.text]
                                      for line in issue.compute_distribution_lines(recipients)]
        update_fields.append("printed_distribution")
    if issue.print_run is None:
        issue.print_run = issue.computed_print_run(recipients) or None
        update_fields.append("print_run")
    issue.save(update_fields=[*update_fields, "updated_at"])
    return issue


def recipient_check_organisation(*, issue: Issue | None, organisation: Organisation | None) -> None:
    """A stopped organisation may not be newly added to an issue that is not printed yet."""
    if (organisation is not None and not organisation.active
            and (issue is None or issue.status != Issue.Status.PUBLISHED)):
        raise ValidationError({"organisation": INACTIVE_ORGANISATION_MESSAGE.format(
            name=organisation.name)})


@transaction.atomic
def issue_add_recipient(
    *,
    issue: Issue,
    role: str,
    by: User | None = None,
    organisation: Organisation | None = None,
    distribution_list: DistributionList | None = None,
    is_addition: bool = False,
    position: int | None = None,
) -> IssueRecipient:
    """Add a list or a single organisation to a draft's distribution, after what it has."""
    issue = issue_lock(issue=issue)
    issue_ensure_editable(issue=issue)
    recipient_check_organisation(issue=issue, organisation=organisation)
    if position is None:
        position = (issue.recipients.aggregate(m=Max("position"))["m"] or 0) + 1
    recipient = IssueRecipient(issue=issue, role=role, organisation=organisation,
                               distribution_list=distribution_list, is_addition=is_addition,
                               position=position)
    recipient.full_clean()
    with recorded(issue=issue, by=by, comment="修改分发"):
        recipient.save()
        issue_touch(issue=issue, by=by)
    return recipient


RECIPIENT_FIELDS = ("role", "distribution_list", "organisation", "is_addition", "position")


@transaction.atomic
def recipient_update(*, recipient: IssueRecipient, by: User | None = None,
                     **fields: Any) -> IssueRecipient:
    """Change one row of a draft's distribution."""
    issue = issue_lock(issue=recipient.issue)
    issue_ensure_editable(issue=issue)
    current = IssueRecipient.objects.select_for_update().get(pk=recipient.pk)
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    if "organisation" in changed:
        recipient_check_organisation(issue=issue, organisation=changed["organisation"])
    if changed:
        for name, value in changed.items():
            setattr(current, name, value)
        current.full_clean()
        with recorded(issue=issue, by=by, comment="修改分发"):
            current.save()
            issue_touch(issue=issue, by=by)
    return current


@transaction.atomic
def recipient_delete(*, recipient: IssueRecipient, by: User | None = None) -> None:
    """Remove one row of a draft's distribution."""
    issue = issue_lock(issue=recipient.issue)
    issue_ensure_editable(issue=issue)
    with recorded(issue=issue, by=by, comment="修改分发"):
        recipient.delete()
        issue_touch(issue=issue, by=by)


@transaction.atomic
def organisation_merge(*, source: Organisation, target: Organisation) -> Organisation:
    """Fold `source` into `target`: lists and issues now name the target; source is deleted.

    Published issues keep their printed lines and print run: any not yet frozen are frozen
    first. Draft issues print the target's name where they printed the source's. The target
    keeps its own fields; a blank one is filled from the source.
    """
    if source.pk == target.pk:
        raise ValidationError(MERGE_WITH_ITSELF_MESSAGE)
    affected = (Issue.objects.published()
                .filter(Q(recipients__organisation=source)
                        | Q(recipients__distribution_list__members__organisation=source))
                .distinct())
    for issue in affected:
        issue_freeze_distribution(issue=issue)

    for membership in source.list_memberships.select_for_update():
        duplicate = DistributionListMember.objects.filter(
            distribution_list_id=membership.distribution_list_id, organisation=target).first()
        if duplicate is not None:
            # The target keeps the earlier of the two places in the list.
            membership.delete()
            if membership.position < duplicate.position:
                duplicate.position = membership.position
                duplicate.save(update_fields=["position"])
        else:
            membership.organisation = target
            membership.save(update_fields=["organisation"])

    for recipient in source.issue_recipients.select_for_update():
        already_there = IssueRecipient.objects.filter(
            issue_id=recipient.issue_id, organisation=target, role=recipient.role,
            is_addition=recipient.is_addition).exists()
        if already_there:
            recipient.delete()
        else:
            recipient.organisation = target
            recipient.save(update_fields=["organisation"])

    unit_merge_deliveries(source=source, target=target)
    filled = []
    for field in ("short_name", "default_role", "contact", "address", "postcode"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
            filled.append(field)
    if filled:
        target.save(update_fields=filled)
    source.delete()
    return target
