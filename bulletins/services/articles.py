"""Articles of an issue: added, changed and removed only while the issue is a draft."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from bulletins.models import Article, Column, Issue
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
    by: AbstractBaseUser | None = None,
    position: int | None = None,
    **fields,
) -> Article:
    """Add an article to a draft, at the end unless a position is given."""
    issue_ensure_editable(issue=issue_lock(issue=issue))
    if position is None:
        position = issue.articles.count()
    article = Article(issue=issue, column=column, title=title, position=position, updated_by=by,
                      **fields)
    article.full_clean()
    with recorded(issue=issue, by=by, comment=f"增加文章“{title}”"):
        article.save()
    return article


def article_lock(*, article: Article) -> Article:
    return Article.objects.select_for_update().select_related("issue", "updated_by").get(pk=article.pk)


@transaction.atomic
def article_update(*, article: Article, by: AbstractBaseUser | None = None,
                   expected_version: int | None = None, **fields) -> Article:
    """Change fields of an article of a draft; only the fields that differ are written.

    Refused with `EditConflict` if somebody saved the article after `expected_version`.
    """
    current = article_lock(article=article)
    issue_ensure_editable(issue=issue_lock(issue=current.issue))
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
    article.refresh_from_db()
    return article


@transaction.atomic
def article_delete(*, article: Article, by: AbstractBaseUser | None = None) -> None:
    """Remove an article from a draft; the issue's earlier revisions still hold it."""
    issue = issue_lock(issue=article.issue)
    issue_ensure_editable(issue=issue)
    with recorded(issue=issue, by=by, comment=f"删除文章“{article.title}”"):
        article.delete()
