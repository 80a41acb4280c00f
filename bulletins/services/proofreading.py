"""Proofreading actions: the wording list, dismissing findings, and applying safe fixes.

A fix is an ordinary saved change of the article (`article_update`: version, last editor,
only while the issue is a draft); it is applied only if the finding is still there.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bulletins.models import Article, Issue, ProofreadingDismissal, Publication, WordingRule
from bulletins.proofreading import Finding, proofread_article, proofread_issue
from bulletins.proofreading.run import field_segments
from bulletins.proofreading.text import apply_edits
from bulletins.services.articles import article_lock, article_update
from bulletins.services.guards import issue_lock

FINDING_GONE_MESSAGE = "这处问题已不在原处（文章可能已经修改），请看刷新后的校对结果。"
NOT_FIXABLE_MESSAGE = "这处问题没有可直接套用的改法，请在文章中修改。"
REASON_REQUIRED_MESSAGE = "请填写忽略的理由。"
ALREADY_DISMISSED_MESSAGE = "这处问题已经忽略。"


# --- wording list ----------------------------------------------------------------------------


@transaction.atomic
def wording_rule_add(*, publication: Publication, wrong: str, right: str = "",
                     note: str = "") -> WordingRule:
    """Add an entry to the publication's wording list (规范表述)."""
    rule = WordingRule(publication=publication, wrong=wrong.strip(), right=right.strip(),
                       note=note.strip())
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def wording_rule_update(*, rule: WordingRule, **fields) -> WordingRule:
    """Change the given fields (wrong, right, note) of a wording entry."""
    for name, value in fields.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def wording_rule_remove(*, rule: WordingRule) -> None:
    rule.delete()


# --- dismissals ------------------------------------------------------------------------------


def _current(findings: list[Finding], key: str) -> Finding:
    finding = next((f for f in findings if f.key == key), None)
    if finding is None:
        raise ValidationError(FINDING_GONE_MESSAGE)
    return finding


@transaction.atomic
def proofreading_finding_dismiss(*, issue: Issue, article: Article | None, key: str, reason: str,
                                 by=None) -> ProofreadingDismissal:
    """Mark a finding as right as written, for this article (or the issue's own text), with why.

    It stays dismissed as long as the text around the spot is the same.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED_MESSAGE)
    if article is not None and article.issue_id != issue.pk:
        raise ValidationError("该文章不属于本期。")
    result = proofread_article(article) if article is not None else proofread_issue(issue)
    if any(f.key == key for f, _ in result.dismissed):
        raise ValidationError(ALREADY_DISMISSED_MESSAGE)
    finding = _current([f for f in result.findings if f.article_id == (article and article.pk)], key)
    dismissal = ProofreadingDismissal(
        issue=issue, article=article, code=str(finding.code), key=key,
        excerpt=finding.excerpt[:300], message=finding.message[:300], reason=reason[:300],
        dismissed_by=by)
    dismissal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            dismissal.save()
    except IntegrityError as error:  # dismissed by someone else just now
        raise ValidationError(ALREADY_DISMISSED_MESSAGE) from error
    return dismissal


@transaction.atomic
def proofreading_dismissal_remove(*, dismissal: ProofreadingDismissal) -> None:
    """Undo a dismissal: the finding is listed again."""
    dismissal.delete()


# --- fixes -----------------------------------------------------------------------------------


def _apply(article: Article, findings: list[Finding], by) -> int:
    """Apply the fixes of `findings` (all of this article) in one saved change."""
    edits_by_field: dict[str, list] = defaultdict(list)
    for finding in findings:
        edits_by_field[finding.field] += [(finding.segment, edit) for edit in finding.edits]
    changes: dict[str, Any] = {}
    applied = 0
    for name, edits in edits_by_field.items():
        # Paragraphs are re-read from the stored value, so the spans are those of this value.
        current = {s.paragraph: s for s in field_segments(name, getattr(article, name))}
        edits = [(current[segment.paragraph], edit) for segment, edit in edits]
        changes[name], count = apply_edits(getattr(article, name), edits)
        applied += count
    if changes:
        article_update(article=article, by=by, **changes)
    return applied


@transaction.atomic
def article_proofreading_fix(*, article: Article, token: str, by=None) -> Finding:
    """Apply the safe fix of one finding, named by its token, as a normal saved change."""
    article = article_lock(article=article)
    finding = next((f for f in proofread_article(article).findings if f.token == token), None)
    if finding is None:
        raise ValidationError(FINDING_GONE_MESSAGE)
    if not finding.fixable:
        raise ValidationError(NOT_FIXABLE_MESSAGE)
    _apply(article, [finding], by)
    return finding


@transaction.atomic
def article_proofreading_fix_all(*, article: Article, by=None) -> int:
    """Apply every safe fix of the article's open findings in one saved change; return how many.

    Where two fixes touch the same characters only the first is applied; checking again
    shows what remains.
    """
    article = article_lock(article=article)
    fixable = [f for f in proofread_article(article).findings if f.fixable]
    return _apply(article, fixable, by) if fixable else 0


@transaction.atomic
def issue_proofreading_fix_all(*, issue: Issue, by=None) -> int:
    """Apply every safe fix in every article of the issue (one saved change per article)."""
    issue_lock(issue=issue)  # before its articles, as every write takes them
    articles = Article.objects.select_for_update().select_related("issue").filter(
        pk__in=[f.article_id for f in proofread_issue(issue).fixable])
    return sum(article_proofreading_fix_all(article=article, by=by) for article in articles)
