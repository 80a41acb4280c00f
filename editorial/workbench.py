"""What waits for each user: their drafts, what is theirs to review, sign or print, what came back."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from bulletins.models import Issue, IssueEvent, Publication
from bulletins.services import issue_propose_numbers
from bulletins.services.lifecycle import TRANSITIONS

LIMIT = 20
# The workbench's lists of issues waiting for the user, and the verb each waits for.
WAITING = {"to_review": "approve", "to_sign": "sign_off", "to_publish": "publish"}


@dataclass
class NextIssue:
    publication: Publication
    year: int
    number: int
    total_number: int | None


@dataclass
class Workbench:
    drafts: list[Issue] = field(default_factory=list)
    # Whose drafts: 撰稿 and 编辑 see every draft (open for writing, to assemble), others their own.
    all_drafts: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # list name -> how many, beyond LIMIT too
    returned: list[Issue] = field(default_factory=list)
    to_review: list[Issue] = field(default_factory=list)
    to_sign: list[Issue] = field(default_factory=list)
    to_publish: list[Issue] = field(default_factory=list)
    next_issues: list[NextIssue] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.drafts or self.returned or self.to_review or self.to_sign or self.to_publish)


def _with_last_event(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    last = IssueEvent.objects.filter(issue=OuterRef("pk")).order_by("-created_at", "-pk")
    return (issues.select_related("publication")
            .annotate(last_action=Subquery(last.values("action")[:1]),
                      last_note=Subquery(last.values("note")[:1]),
                      last_actor=Subquery(last.values("actor_name")[:1]),
                      last_at=Subquery(last.values("created_at")[:1]))
            .order_by("-updated_at"))


def workbench_for(user: AbstractBaseUser) -> Workbench:
    """The workbench of one user, in a fixed number of queries whatever the number of issues."""
    bench = Workbench()
    if not user.has_perm("bulletins.view_issue"):
        return bench
    # A 撰稿 writes into any open draft and an 编辑 assembles any: both see them all.
    bench.all_drafts = user.has_perm("bulletins.add_article")
    drafts_query = Issue.objects.drafts()
    if not bench.all_drafts:
        drafts_query = drafts_query.filter(Q(created_by=user) | Q(updated_by=user) | Q(submitted_by=user))
    drafts = list(_with_last_event(drafts_query)[:LIMIT])
    bench.returned = [i for i in drafts if i.last_action == IssueEvent.Action.RETURNED
                      and i.submitted_by_id == user.pk]
    bench.drafts = [i for i in drafts if i not in bench.returned]
    bench.counts["drafts"] = drafts_query.count() - len(bench.returned)
    for attribute, verb in WAITING.items():
        # What waits for the user is read from the lifecycle table, like the issue page's buttons.
        states = TRANSITIONS[verb].waiting_states(user)
        if states:
            waiting = Issue.objects.filter(status__in=states)
            setattr(bench, attribute, list(_with_last_event(waiting)[:LIMIT]))
            bench.counts[attribute] = waiting.count()
    if user.has_perm("bulletins.add_issue"):
        today = timezone.localdate()
        for publication in Publication.objects.all():
            year, number, total = issue_propose_numbers(publication=publication, year=today.year)
            bench.next_issues.append(NextIssue(publication, year, number, total))
    return bench
