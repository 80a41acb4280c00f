"""Proofreading (校对): the checks an experienced proofreader makes before sign-off.

`proofread_article_fields` is a pure function over an article's fields; `proofread_issue`
and `proofread_article` read the publication's wording list, the fonts and the dismissals.
Nothing here changes data: fixes and dismissals go through `bulletins.services`.
"""

from bulletins.proofreading.checks import WordingEntry
from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.run import (
    ARTICLE_FIELDS,
    Proofreading,
    issue_finding_count,
    proofread_article,
    proofread_article_fields,
    proofread_issue,
)
from bulletins.proofreading.text import Edit, Segment

__all__ = [
    "ARTICLE_FIELDS", "Code", "Edit", "Finding", "Proofreading", "Segment", "Severity",
    "WordingEntry", "issue_finding_count", "proofread_article", "proofread_article_fields",
    "proofread_issue",
]
