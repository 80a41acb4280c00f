"""Domain actions: the one write path. Admin, resources, importers and commands all call these."""

from bulletins.services.archive import (
    ROLE_BY_PRINTED,
    ImportedArticle,
    IssueImportOutcome,
    column_get_or_create,
    distribution_split,
    issue_import,
    issue_set_printed_recipients,
    organisations_get_or_create,
    publication_create,
    publication_find,
    publication_slug,
)
from bulletins.services.articles import article_create, article_update
from bulletins.services.distribution import (
    INACTIVE_ORGANISATION_MESSAGE,
    MERGE_WITH_ITSELF_MESSAGE,
    issue_add_recipient,
    issue_freeze_distribution,
    organisation_merge,
)
from bulletins.services.issues import (
    NOT_EDITABLE_MESSAGE,
    issue_apply_default_distribution,
    issue_create,
    issue_ensure_editable,
    issue_publish,
)

__all__ = [
    "INACTIVE_ORGANISATION_MESSAGE", "MERGE_WITH_ITSELF_MESSAGE", "NOT_EDITABLE_MESSAGE", "ROLE_BY_PRINTED",
    "ImportedArticle", "IssueImportOutcome", "article_create", "article_update", "column_get_or_create",
    "distribution_split", "issue_add_recipient", "issue_apply_default_distribution", "issue_create",
    "issue_ensure_editable", "issue_freeze_distribution", "issue_import", "issue_publish",
    "issue_set_printed_recipients", "organisation_merge", "organisations_get_or_create",
    "publication_create", "publication_find", "publication_slug",
]

# Proofreading (issue 13).
from bulletins.services.proofreading import (  # noqa: E402
    ALREADY_DISMISSED_MESSAGE,
    FINDING_GONE_MESSAGE,
    NOT_FIXABLE_MESSAGE,
    REASON_REQUIRED_MESSAGE,
    article_proofreading_fix,
    article_proofreading_fix_all,
    issue_proofreading_fix_all,
    proofreading_dismissal_remove,
    proofreading_finding_dismiss,
    wording_rule_add,
    wording_rule_remove,
    wording_rule_update,
)

__all__ += [
    "ALREADY_DISMISSED_MESSAGE", "FINDING_GONE_MESSAGE", "NOT_FIXABLE_MESSAGE", "REASON_REQUIRED_MESSAGE",
    "article_proofreading_fix", "article_proofreading_fix_all", "issue_proofreading_fix_all",
    "proofreading_dismissal_remove", "proofreading_finding_dismiss", "wording_rule_add",
    "wording_rule_remove", "wording_rule_update",
]
