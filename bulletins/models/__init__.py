"""The bulletin domain: publications, their columns, issues, articles and distribution.

One module per subject; every model is importable from here, as Django and the rest of the code expect.
"""

from bulletins.models.history import ISSUE_WORKFLOW_FIELDS
from bulletins.models.issues import (
    ADDITION_LABEL,
    Article,
    DistributionLine,
    Issue,
    IssueEvent,
    IssueQuerySet,
    IssueRecipient,
)
from bulletins.models.proofreading import ProofreadingDismissal, WordingRule
from bulletins.models.reference import (
    ROLE_ORDER,
    Column,
    DistributionList,
    DistributionListMember,
    Organisation,
    Publication,
    Role,
)

# The models register in the order the single models.py had (content types and permissions
# are created in it): batch jobs and the search index's rows last.
# isort: split
from bulletins.batch_models import BatchJob

# isort: split
from bulletins.models.search import SearchDocument

# isort: split
from bulletins.models.delivery import Delivery, DeliveryEvent, DeliveryView, UnitReader

__all__ = [
    "ADDITION_LABEL",
    "ISSUE_WORKFLOW_FIELDS",
    "ROLE_ORDER",
    "Article",
    "BatchJob",
    "Column",
    "Delivery",
    "DeliveryEvent",
    "DeliveryView",
    "DistributionLine",
    "DistributionList",
    "DistributionListMember",
    "Issue",
    "IssueEvent",
    "IssueQuerySet",
    "IssueRecipient",
    "Organisation",
    "ProofreadingDismissal",
    "Publication",
    "Role",
    "SearchDocument",
    "UnitReader",
    "WordingRule",
]
