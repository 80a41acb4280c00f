"""What the 校对 panel shows: an issue's or an article's findings, grouped and ready to print."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from bulletins.models import Article, Issue
from bulletins.proofreading import Code, Finding, Proofreading, proofread_article, proofread_issue

CODE_LABELS = {
    Code.PUNCT_HALFWIDTH: "半角标点",
    Code.PAIR_UNBALANCED: "成对标点",
    Code.PUNCT_REPEATED: "标点连用",
    Code.HEADING_SEQUENCE: "层次序号",
    Code.DATE_FORMAT: "日期写法",
    Code.SPACE_IN_TEXT: "多余空格",
    Code.TRADITIONAL_CHAR: "繁体字",
    Code.WORDING: "规范表述",
    Code.UNPRINTABLE_CHAR: "无法印刷的字",
}


@dataclass
class Row:
    """One finding as the panel prints it."""

    finding: Finding
    dismissal: object | None = None

    @property
    def label(self) -> str:
        return CODE_LABELS[self.finding.code]

    @property
    def marked(self) -> str:
        """The spot, with spaces made visible."""
        return "".join("␣" if c in " \t\u00a0\u3000" else "↵" if c == "\n" else c
                       for c in self.finding.marked)


@dataclass
class Group:
    article_id: int | None
    title: str
    url: str
    rows: list[Row]

    @property
    def fixable(self) -> int:
        return sum(1 for row in self.rows if row.finding.fixable)


def _groups(findings: list[Finding], issue: Issue) -> list[Group]:
    groups: dict[int | None, Group] = {}
    for finding in findings:
        group = groups.get(finding.article_id)
        if group is None:
            url = (reverse("admin:bulletins_article_change", args=[finding.article_id])
                   if finding.article_id else reverse("admin:bulletins_issue_change", args=[issue.pk]))
            group = groups[finding.article_id] = Group(finding.article_id, finding.article_title, url, [])
        group.rows.append(Row(finding))
    return list(groups.values())


def proofreading_for(request: HttpRequest, subject: Issue | Article) -> Proofreading:
    """The findings of an issue or article, computed once per request (button and panel)."""
    cache = request.__dict__.setdefault("_proofreading", {})
    key = (type(subject).__name__, subject.pk)
    if key not in cache:
        cache[key] = proofread_issue(subject) if isinstance(subject, Issue) else proofread_article(subject)
    return cache[key]


def panel_context(request: HttpRequest, subject: Issue | Article) -> dict:
    """The template context of the 校对 panel for an issue page or an article page."""
    result = proofreading_for(request, subject)
    if isinstance(subject, Issue):
        issue, article = subject, None
    else:
        issue, article = subject.issue, subject
    user = request.user
    can_fix = issue.is_editable and user.has_perm("bulletins.change_article")
    counts = result.counts()
    return {
        "proofreading": result,
        "proofreading_issue": issue,
        "proofreading_article": article,
        "groups": _groups(result.findings, issue),
        "dismissed": [Row(finding, dismissal) for finding, dismissal in result.dismissed],
        "code_counts": [(code, CODE_LABELS[code], counts[str(code)]) for code in Code if counts[str(code)]],
        "fixable_count": sum(1 for f in result.findings if f.fixable and f.article_id),
        "can_fix": can_fix,
        "can_dismiss": user.has_perm("bulletins.add_proofreadingdismissal"),
        "can_restore": user.has_perm("bulletins.delete_proofreadingdismissal"),
        "not_editable_note": "" if issue.is_editable else
        f"本期当前为“{issue.get_status_display()}”，内容不能修改，改正须先退回草稿。",
        "next": request.get_full_path(),
    }
