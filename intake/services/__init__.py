"""Intake actions: the one write path for items, adoptions, calls and scoring rules."""

from intake.services.calls import call_create, call_remind, call_replied_unit_ids, call_units
from intake.services.common import (
    NO_HANDLER_MESSAGE,
    NOT_REPORTER_MESSAGE,
    REASON_REQUIRED_MESSAGE,
    WRONG_STATE_MESSAGE,
)
from intake.services.handling import (
    EVIDENCE_REQUIRED_MESSAGE,
    ISSUE_NOT_DRAFT_MESSAGE,
    NOT_RECEIVED_MESSAGE,
    NOTHING_SELECTED_MESSAGE,
    REVOKE_NOT_DRAFT_MESSAGE,
    adopt,
    adoption_revoke,
    recognition_record,
    reject,
    submission_archive,
)
from intake.services.rules import RULES_CLOSED_MESSAGE, scoring_rules_for, scoring_rules_save
from intake.services.submissions import (
    reporter_assign,
    submission_create,
    submission_submit,
    submission_update,
    submission_withdraw,
)

__all__ = [
    "EVIDENCE_REQUIRED_MESSAGE", "ISSUE_NOT_DRAFT_MESSAGE", "NOTHING_SELECTED_MESSAGE",
    "NOT_RECEIVED_MESSAGE", "NOT_REPORTER_MESSAGE", "NO_HANDLER_MESSAGE", "REASON_REQUIRED_MESSAGE",
    "REVOKE_NOT_DRAFT_MESSAGE", "RULES_CLOSED_MESSAGE", "WRONG_STATE_MESSAGE", "adopt",
    "adoption_revoke", "call_create", "call_remind", "call_replied_unit_ids", "call_units",
    "recognition_record", "reject", "reporter_assign", "scoring_rules_for", "scoring_rules_save",
    "submission_archive", "submission_create", "submission_submit", "submission_update",
    "submission_withdraw",
]
