"""Proofread an article's fields (a pure function) and a whole issue (with the database)."""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache

from bulletins.availability import REDIS_UNAVAILABLE
from bulletins.models import Article, Issue, ProofreadingDismissal, WordingRule
from bulletins.proofreading.checks import (
    WordingEntry,
    check_dates,
    check_halfwidth,
    check_headings,
    check_pairs,
    check_printable,
    check_repeated,
    check_spaces,
    check_traditional,
    check_wording,
)
from bulletins.proofreading.findings import Code, Finding, Severity
from bulletins.proofreading.text import Segment, html_segments, plain_segments

ARTICLE_FIELDS = ("title", "toc_title", "subtitle", "byline", "source", "editor_note", "body")
HTML_FIELDS = {"body"}
# Spaces there are deliberate: a title printed on two lines, 职务 姓名 in a byline.
SPACED_FIELDS = {"title", "toc_title", "subtitle", "byline", "masthead", "column", "distribution"}
NOT_HEADING_TAGS = {"td", "th", "li", "figcaption"}
CODE_ORDER = {code: number for number, code in enumerate(Code)}
FIELD_ORDER = {name: number for number, name in enumerate(ARTICLE_FIELDS)}


def field_segments(name: str, value: str) -> list[Segment]:
    return html_segments(name, value or "") if name in HTML_FIELDS else plain_segments(name, value or "")


def article_segments(fields: Mapping[str, str]) -> list[Segment]:
    return [segment for name in ARTICLE_FIELDS for segment in field_segments(name, fields.get(name, ""))]


def _sort(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (FIELD_ORDER.get(f.field, len(FIELD_ORDER)), f.field,
                                           f.paragraph, f.start, CODE_ORDER[f.code]))


def proofread_segments(segments: Sequence[Segment], *, wording: Sequence[WordingEntry] = (),
                       covered: frozenset[int] | None = None) -> list[Finding]:
    """Every check over the paragraphs of one text (an article, or the issue's own text)."""
    # Headings are paragraphs of the body; a table cell or list item starting 1. is not one.
    body = [s for s in segments if s.field == "body" and s.tag not in NOT_HEADING_TAGS]
    findings = [
        *check_halfwidth(segments),
        *check_pairs(segments),
        *check_repeated(segments),
        *check_headings(body),
        *check_dates(segments),
        *check_spaces([s for s in segments if s.field not in SPACED_FIELDS]),
        *check_traditional(segments),
        *check_wording(segments, wording),
    ]
    if covered:
        findings += check_printable(segments, covered)
    # A space that a date finding takes in (扬州市 11月17日 召开) is reported once, with the date.
    dates = [(f.segment, f.start, f.end) for f in findings if f.code == Code.DATE_FORMAT]
    findings = [f for f in findings if f.code != Code.SPACE_IN_TEXT or not any(
        segment is f.segment and start <= f.start and f.end <= end for segment, start, end in dates)]
    return _sort(findings)


def proofread_article_fields(fields: Mapping[str, str], *, wording: Sequence[WordingEntry] = (),
                             covered: frozenset[int] | None = None) -> list[Finding]:
    """Proofread an article given as its fields (title, subtitle, ..., body as HTML).

    `wording` is the publication's wording list; `covered` the code points the configured
    fonts can print (None: do not check printability).
    """
    return proofread_segments(article_segments(fields), wording=wording, covered=covered)


@dataclass
class Proofreading:
    """The findings of an issue or an article: open ones, and those dismissed (with why)."""

    findings: list[Finding] = field(default_factory=list)
    dismissed: list[tuple[Finding, ProofreadingDismissal]] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def hints(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.HINT)

    @property
    def fixable(self) -> list[Finding]:
        return [f for f in self.findings if f.fixable and f.article_id is not None]

    def counts(self) -> Counter[str]:
        return Counter(str(f.code) for f in self.findings)

    def summary(self) -> str:
        """E.g. 校对发现 12 处问题（错误 9 处，提示 3 处）。"""
        if not self.findings:
            return "校对未发现问题。"
        return f"校对发现 {len(self.findings)} 处问题（错误 {self.errors} 处，提示 {self.hints} 处）。"


def wording_entries(publication_id: int) -> list[WordingEntry]:
    rows = WordingRule.objects.filter(publication_id=publication_id).values_list("wrong", "right", "note")
    return [WordingEntry(wrong=w, right=r, note=n) for w, r, n in rows]


def printable_codepoints() -> frozenset[int] | None:
    """What the configured fonts can print; None when no font could be loaded at all."""
    from bulletins.rendering.fonts import covered_codepoints, current_fonts

    return covered_codepoints(current_fonts()) or None


# Bump when a check changes, so that findings cached by an older version are not served.
CHECKS_VERSION = 1


def _article_findings(article: Article, wording, covered) -> list[Finding]:
    """The article's findings, cached under its text, the wording list and the fonts' coverage:
    an unchanged article is not read again on every page that shows its 校对 count."""
    fields = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    key = hashlib.sha256(repr((CHECKS_VERSION, sorted(fields.items()), wording,
                               hash(covered) if covered else None)).encode()).hexdigest()
    try:
        findings = cache.get(f"proofreading:{key}")
    except REDIS_UNAVAILABLE:
        findings = None  # only a shortcut: checked again below
    if findings is None:
        findings = proofread_article_fields(fields, wording=wording, covered=covered)
        with contextlib.suppress(*REDIS_UNAVAILABLE):
            cache.set(f"proofreading:{key}", findings, timeout=7 * 24 * 3600)
    return [f.with_article(article.pk, article.title) for f in findings]


def _split_dismissed(findings: list[Finding], dismissals: Iterable[ProofreadingDismissal]) -> Proofreading:
    by_key = {(d.article_id, d.key): d for d in dismissals}
    result = Proofreading()
    for finding in findings:
        dismissal = by_key.get((finding.article_id, finding.key))
        if dismissal is None:
            result.findings.append(finding)
        else:
            result.dismissed.append((finding, dismissal))
    return result


def _issue_own_segments(issue: Issue) -> tuple[list[Segment], list[Segment]]:
    """(the issue's 编者按, the masthead, column headings and 版记 as printed)."""
    publication = issue.publication
    printed = [
        *plain_segments("masthead", "\n".join([publication.marking, publication.name_prefix,
                                               publication.name, *publication.issuing_office_lines])),
        *plain_segments("distribution", "\n".join(
            [str(line) for line in issue.distribution_lines(issue.cached_recipients())]
            + [publication.editorial_block])),
    ]
    return plain_segments("editor_note", issue.editor_note), printed


def proofread_issue(issue: Issue) -> Proofreading:
    """Proofread every article of the issue and the issue's own text, in print order.

    The issue's 编者按 gets every check; the masthead, column headings and 版记 only the
    printability check, so a character no font has is found before 签发.
    """
    if not Issue.publication.is_cached(issue):
        issue = Issue.objects.select_related("publication").get(pk=issue.pk)
    wording = wording_entries(issue.publication_id)
    covered = printable_codepoints()
    note, printed = _issue_own_segments(issue)
    findings = [f.with_article(None, "本期") for f in proofread_segments(note, wording=wording,
                                                                        covered=covered)]
    if covered:
        findings += [f.with_article(None, "本期") for f in check_printable(printed, covered)]
    columns: set[int] = set()
    for article in issue.cached_articles():
        findings += _article_findings(article, wording, covered)
        if covered and article.column_id not in columns:
            columns.add(article.column_id)
            heading = plain_segments("column", article.column.name)
            findings += [f.with_article(article.pk, article.title) for f in check_printable(heading, covered)]
    return _split_dismissed(findings, issue.proofreading_dismissals.all())


def proofread_article(article: Article) -> Proofreading:
    """Proofread one article's fields, with its dismissals set apart."""
    wording = wording_entries(article.issue.publication_id)
    covered = printable_codepoints()
    findings = _article_findings(article, wording, covered)
    return _split_dismissed(findings, article.proofreading_dismissals.all())


def issue_finding_count(issue: Issue) -> int:
    """How many open (not dismissed) findings the issue has: for the submit step."""
    return len(proofread_issue(issue).findings)
