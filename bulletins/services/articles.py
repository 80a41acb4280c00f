"""Articles of an issue: added, changed and removed only while the issue is a draft."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from bulletins.models import Article, Column, Issue
from bulletins.search import search_index_article, search_index_articles
from bulletins.services.guards import issue_ensure_editable, issue_lock
from bulletins.services.revisions import EditConflict, recorded, user_label

ARTICLE_FIELDS = ("column", "position", "title", "toc_title", "subtitle", "byline", "source",
                  "editor_note", "body")


@transaction.atomic
def article_create(
    *,
    issue: Issue,
    column: Column,
    title: str,
    by: User | None = None,
    position: int | None = None,
    **fields: Any,
) -> Article:
    """Add an article to a draft: after the last article of its column, unless a position is given."""
    issue_ensure_editable(issue=issue_lock(issue=issue))
    if position is None:
        position = _next_position_in_column(issue=issue, column=column)
    article = Article(issue=issue, column=column, title=title, position=position, updated_by=by,
                      **fields)
    article.full_clean()
    with recorded(issue=issue, by=by, comment=f"增加文章“{title}”"):
        article.save()
        search_index_article(article=article)
    return article


def _next_position_in_column(*, issue: Issue, column: Column) -> int:
    """The place after the column's last article, or, for a column the issue does not have yet,
    after the columns the publication orders before it; the articles after it move down one."""
    last = issue.articles.filter(column=column).aggregate(m=Max("position"))["m"]
    if last is None:
        last = (issue.articles.filter(column__position__lte=column.position)
                .aggregate(m=Max("position"))["m"])
    position = 0 if last is None else last + 1
    issue.articles.filter(position__gte=position).update(position=F("position") + 1)
    return position


def article_lock(*, article: Article) -> Article:
    """The article's row locked, after its issue's: every write takes the issue's lock before
    its articles', so that two of them never wait for each other (a deadlock on PostgreSQL)."""
    issue_lock(issue=Issue(pk=article.issue_id))
    return (Article.objects.select_for_update(of=("self",)).select_related("issue", "updated_by")
            .get(pk=article.pk))


@transaction.atomic
def article_update(*, article: Article, by: User | None = None,
                   expected_version: int | None = None, **fields: Any) -> Article:
    """Change fields of an article of a draft; only the fields that differ are written.

    Refused with `EditConflict` if somebody saved the article after `expected_version`.
    """
    current = article_lock(article=article)
    issue_ensure_editable(issue=current.issue)
    if expected_version is not None and expected_version != current.version:
        raise EditConflict(what=f"文章“{current.title}”", name=user_label(current.updated_by),
                           when=current.updated_at)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    if changed:
        for name in changed:
            setattr(current, name, fields[name])
        current.version += 1
        current.updated_by = by
        current.full_clean()
        with recorded(issue=current.issue, by=by, comment=f"修改文章“{current.title}”"):
            current.save()
            search_index_article(article=current)
    article.refresh_from_db()
    return article


@transaction.atomic
def article_delete(*, article: Article, by: User | None = None) -> None:
    """Remove an article from a draft; the issue's earlier revisions still hold it."""
    issue = issue_lock(issue=article.issue)
    issue_ensure_editable(issue=issue)
    with recorded(issue=issue, by=by, comment=f"删除文章“{article.title}”"):
        article.delete()


ARRANGEMENT_CHANGED_MESSAGE = "本期的文章已被他人增加或删除，请刷新页面后再调整顺序。"
FOREIGN_COLUMN_MESSAGE = "所选栏目不属于本期的刊物。"


@transaction.atomic
def issue_arrange_articles(*, issue: Issue, by: User | None,
                           arrangement: list[tuple[int, int]]) -> None:
    """Put the issue's articles in this printed order, each (article pk, column pk).

    Positions are renumbered so that each column's articles stand together, as they print.
    The arrangement is the issue's, not the articles': a moved article keeps its version and
    its last editor, so nobody editing it is refused for a move they did not make.
    """
    issue = issue_lock(issue=issue)
    issue_ensure_editable(issue=issue)
    articles = {a.pk: a for a in issue.articles.select_for_update()}
    if sorted(pk for pk, _ in arrangement) != sorted(articles):
        raise ValidationError(ARRANGEMENT_CHANGED_MESSAGE)
    columns = set(Column.objects.filter(publication_id=issue.publication_id).values_list("pk", flat=True))
    if any(column_pk not in columns for _, column_pk in arrangement):
        raise ValidationError(FOREIGN_COLUMN_MESSAGE)
    column_order = list(dict.fromkeys(column_pk for _, column_pk in arrangement))
    ordered = sorted(arrangement, key=lambda item: column_order.index(item[1]))
    changed = []
    for position, (pk, column_pk) in enumerate(ordered):
        article = articles[pk]
        if (article.position, article.column_id) != (position, column_pk):
            article.position, article.column_id = position, column_pk
            changed.append(article)
    if changed:
        with recorded(issue=issue, by=by, comment="调整文章顺序"):
            Article.objects.bulk_update(changed, ["position", "column"])
            search_index_articles(articles=changed)


def issue_article_arrangement(*, issue: Issue) -> list[tuple[int, int]]:
    """The issue's (article pk, column pk) in printed order."""
    return list(issue.articles.order_by("position", "pk").values_list("pk", "column_id"))


def article_move(*, article: Article, by: User | None, step: int) -> None:
    """Move an article one place up (-1) or down (+1) among the articles of its column."""
    arrangement = issue_article_arrangement(issue=article.issue)
    same_column = [i for i, (_, column_pk) in enumerate(arrangement) if column_pk == article.column_id]
    here = next(i for i in same_column if arrangement[i][0] == article.pk)
    place = same_column.index(here) + step
    if 0 <= place < len(same_column):
        there = same_column[place]
        arrangement[here], arrangement[there] = arrangement[there], arrangement[here]
        issue_arrange_articles(issue=article.issue, by=by, arrangement=arrangement)
