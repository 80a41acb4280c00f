"""An issue's revisions: the list, a character-level comparison of two, and restoring a draft."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from reversion.models import Revision, Version

from bulletins.models import Article, Column, Issue
from bulletins.search.text import html_to_text
from bulletins.services import issue_restore, issue_revisions, issue_snapshot
from bulletins.services.revisions import ARTICLE_CONTENT_FIELDS, ArticleSnapshot, text_diff_html

ARTICLE_DIFF_FIELDS = [("title", "标题"), ("toc_title", "目录标题"), ("subtitle", "副标题"),
                       ("byline", "署名"), ("source", "来源"), ("editor_note", "编者按")]
ISSUE_DIFF_FIELDS = [("date", "签发日期"), ("editor_note", "编者按"), ("print_run", "印数")]


@dataclass
class FieldDiff:
    label: str
    html: str


@dataclass
class ArticleDiff:
    title: str
    change: str  # 新增 / 删除 / 修改 / 未变
    fields: list[FieldDiff]


def _diff(old, new) -> str:
    return mark_safe(text_diff_html("" if old is None else str(old), "" if new is None else str(new)))  # noqa: S308 - diff_prettyHtml escapes the text


def _article_diff(old: ArticleSnapshot | None, new: ArticleSnapshot | None, columns: dict) -> ArticleDiff:
    before = old.fields if old else {}
    after = new.fields if new else {}
    fields = [FieldDiff(label, _diff(before.get(name), after.get(name)))
              for name, label in ARTICLE_DIFF_FIELDS if before.get(name) != after.get(name)]
    if before.get("column_id") != after.get("column_id"):
        fields.append(FieldDiff("栏目", _diff(columns.get(before.get("column_id"), ""),
                                            columns.get(after.get("column_id"), ""))))
    if before.get("position") != after.get("position") and old and new:
        fields.append(FieldDiff("顺序", _diff(before.get("position"), after.get("position"))))
    old_body, new_body = html_to_text(before.get("body") or ""), html_to_text(after.get("body") or "")
    if old_body != new_body or (before.get("body") != after.get("body") and old and new):
        fields.append(FieldDiff("正文", _diff(old_body, new_body)))
    change = "新增" if old is None else "删除" if new is None else "修改" if fields else "未变"
    return ArticleDiff(title=(new or old).title, change=change, fields=fields)


def compare_snapshots(issue: Issue, old_revision: Revision, new_revision: Revision,
                      article_pk: int | None = None) -> tuple[list[FieldDiff], list[ArticleDiff]]:
    """What changed between two revisions: the issue's fields, then each article."""
    old = issue_snapshot(issue=issue, revision=old_revision)
    new = issue_snapshot(issue=issue, revision=new_revision)
    issue_fields = [FieldDiff(label, _diff(old.issue_fields.get(name), new.issue_fields.get(name)))
                    for name, label in ISSUE_DIFF_FIELDS
                    if old.issue_fields.get(name) != new.issue_fields.get(name)]
    old_articles = {a.pk: a for a in old.articles}
    new_articles = {a.pk: a for a in new.articles}
    columns = dict(Column.objects.filter(publication_id=issue.publication_id).values_list("pk", "name"))
    order = [a.pk for a in new.articles] + [pk for pk in old_articles if pk not in new_articles]
    if article_pk is not None:
        order = [pk for pk in order if pk == article_pk]
    articles = [_article_diff(old_articles.get(pk), new_articles.get(pk), columns) for pk in order]
    return issue_fields, articles


# What an article is, for its history: its text and its column (not its place among the others,
# which moves whenever another article is added or moved before it).
ARTICLE_HISTORY_FIELDS = tuple(name for name in ARTICLE_CONTENT_FIELDS if name != "position")


def article_changing_revisions(article: Article) -> list[int]:
    """The revisions in which the article was created or its content changed.

    Every revision holds the whole issue, so nearly all of them hold the article: keep those in
    which it differs from its previous version.
    """
    changed, previous = [], None
    versions = Version.objects.get_for_object(article).order_by("revision__date_created", "revision_id")
    for version in versions:
        content = tuple(version.field_dict.get(name) for name in ARTICLE_HISTORY_FIELDS)
        if content != previous:
            changed.append(version.revision_id)
        previous = content
    return changed


def _revisions(issue: Issue, article: Article | None):
    revisions = issue_revisions(issue=issue)
    if article is not None:
        revisions = revisions.filter(pk__in=article_changing_revisions(article))
    return revisions


def _article(request: HttpRequest, issue: Issue) -> Article | None:
    article_pk = request.GET.get("article") or request.POST.get("article")
    if article_pk and str(article_pk).isdigit():
        return Article.objects.filter(issue=issue, pk=int(article_pk)).first()
    return None


@require_GET
@permission_required("bulletins.view_issue", raise_exception=True)
def history(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    article = _article(request, issue)
    revisions = list(_revisions(issue, article)[:200])
    can_restore = issue.is_editable and request.user.has_perm("bulletins.change_issue")
    return render(request, "admin/bulletins/issue/history.html", {
        **admin.site.each_context(request), "title": f"{issue}：历史版本", "issue": issue,
        "article": article, "revisions": revisions, "can_restore": can_restore,
        "opts": Issue._meta})


def _revision_pk(request: HttpRequest, name: str) -> int:
    """A revision's id from the query, 0 (none: not found) when it is no number."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else 0


@require_GET
@permission_required("bulletins.view_issue", raise_exception=True)
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    article = _article(request, issue)
    revisions = _revisions(issue, None)
    old = get_object_or_404(revisions, pk=_revision_pk(request, "from"))
    new = get_object_or_404(revisions, pk=_revision_pk(request, "to"))
    if old.date_created > new.date_created:
        old, new = new, old
    issue_fields, articles = compare_snapshots(issue, old, new, article.pk if article else None)
    return render(request, "admin/bulletins/issue/compare.html", {
        **admin.site.each_context(request), "title": f"{issue}：版本比较", "issue": issue,
        "article": article, "old": old, "new": new, "issue_fields": issue_fields,
        "articles": [a for a in articles if a.change != "未变"], "opts": Issue._meta})


@require_POST
@permission_required("bulletins.change_issue", raise_exception=True)
def restore(request: HttpRequest, pk: int, revision_pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("publication"), pk=pk)
    revision = get_object_or_404(issue_revisions(issue=issue), pk=revision_pk)
    try:
        issue_restore(issue=issue, revision=revision, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("editorial:issue_history", issue.pk)
    messages.success(request, f"{issue.number_label}已恢复到所选版本；恢复本身也记为一个新版本。")
    return redirect("admin:bulletins_issue_change", issue.pk)


history_view = admin.site.admin_view(history)
compare_view = admin.site.admin_view(compare)
restore_view = admin.site.admin_view(restore)
