"""The models whose saves django-reversion keeps as revisions."""

from __future__ import annotations

import reversion

from bulletins.models.issues import Article, Issue, IssueRecipient
from bulletins.models.reference import (
    Column,
    DistributionList,
    DistributionListMember,
    Organisation,
    Publication,
)

# Revisions: one save of an issue, an article or the distribution is a snapshot of the whole issue.
# Workflow fields are not content: restoring a revision never changes them.
ISSUE_WORKFLOW_FIELDS = ("status", "printed_distribution", "printed_on", "printed_pdf",
                         "printed_pdf_sha256", "printed_pdf_revision", "created_by", "submitted_by",
                         "updated_by", "version", "created_at", "updated_at")
reversion.register(Issue, follow=("articles", "recipients"), exclude=ISSUE_WORKFLOW_FIELDS)
reversion.register(Article, follow=("issue",), exclude=("version", "updated_by", "updated_at"))
reversion.register(IssueRecipient, follow=("issue",))
# The reference data keeps its history too: who changed a publication, a column, the directory.
reversion.register(Publication)
reversion.register(Column)
reversion.register(Organisation)
reversion.register(DistributionList)
reversion.register(DistributionListMember)
