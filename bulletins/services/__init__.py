"""Domain actions: the one write path. Admin, resources, importers and commands all call these."""

from bulletins.services.archive import (
    MERGE_TARGET_MISSING_MESSAGE,
    ROLE_BY_PRINTED,
    ImportedArticle,
    IssueImportOutcome,
    PrintedRecipients,
    UnitAction,
    UnitChoice,
    UnitDecision,
    column_get_or_create,
    distribution_split,
    issue_import,
    issue_set_printed_recipients,
    organisations_get_or_create,
    publication_create,
    publication_find,
    publication_slug,
    unit_choices_from_values,
    unit_name_is_fragment,
)
from bulletins.services.articles import article_create, article_delete, article_update
from bulletins.services.distribution import (
    INACTIVE_ORGANISATION_MESSAGE,
    MERGE_WITH_ITSELF_MESSAGE,
    issue_add_recipient,
    issue_freeze_distribution,
    organisation_merge,
    recipient_check_organisation,
    recipient_delete,
    recipient_update,
)
from bulletins.services.guards import (
    NOT_DELETABLE_MESSAGE,
    NOT_EDITABLE_MESSAGE,
    ON_RECORD_MESSAGE,
    WRONG_STATE_MESSAGE,
    issue_ensure_editable,
    issue_lock,
    issue_on_record,
)
from bulletins.services.issues import (
    issue_apply_default_distribution,
    issue_create,
    issue_delete,
    issue_propose_numbers,
    issue_update,
)
from bulletins.services.lifecycle import (
    IN_WORKFLOW_MESSAGE,
    REPLACE_DRAFT_MESSAGE,
    REPLACE_PUBLISHED_MESSAGE,
    SIGNED_HERE_MESSAGE,
)
from bulletins.services.revisions import (
    EditConflict,
    issue_record_event,
    issue_restore,
    issue_revisions,
    issue_snapshot,
    recorded,
)

__all__ = [
    "IN_WORKFLOW_MESSAGE", "INACTIVE_ORGANISATION_MESSAGE", "MERGE_TARGET_MISSING_MESSAGE",
    "MERGE_WITH_ITSELF_MESSAGE", "PrintedRecipients", "UnitAction", "UnitChoice", "UnitDecision",
    "NOT_DELETABLE_MESSAGE", "NOT_EDITABLE_MESSAGE", "ON_RECORD_MESSAGE", "REPLACE_DRAFT_MESSAGE",
    "REPLACE_PUBLISHED_MESSAGE", "ROLE_BY_PRINTED", "SIGNED_HERE_MESSAGE", "WRONG_STATE_MESSAGE",
    "EditConflict",
    "ImportedArticle", "IssueImportOutcome", "article_create", "article_delete", "article_update",
    "column_get_or_create", "distribution_split", "issue_add_recipient",
    "issue_apply_default_distribution", "issue_create", "issue_delete",
    "issue_ensure_editable", "issue_freeze_distribution", "issue_import", "issue_lock",
    "issue_on_record", "issue_propose_numbers", "issue_record_event",
    "issue_restore",
    "issue_revisions", "issue_set_printed_recipients", "issue_snapshot", "issue_update",
    "organisation_merge", "organisations_get_or_create", "publication_create", "publication_find",
    "publication_slug", "recipient_check_organisation", "recipient_delete", "recipient_update",
    "recorded", "unit_choices_from_values", "unit_name_is_fragment",
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

# Reference data: publications, columns, organisations, distribution lists.
from bulletins.services.reference import (  # noqa: E402
    IN_USE_MESSAGE,
    distribution_list_set_members,
    reference_delete,
    reference_save,
)

__all__ += ["IN_USE_MESSAGE", "distribution_list_set_members", "reference_delete", "reference_save"]
