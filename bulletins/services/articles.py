"""Articles of an issue: added, changed and removed only while the issue is a draft."""

from __future__ import annotations

from django.db import transaction

from bulletins.models import Article, Column, Issue
from bulletins.search import search_index_article
from bulletins.services.issues import issue_ensure_editable


@transaction.atomic
def article_create(
    *,
    issue: Issue,
    column: Column,
    title: str,
    position: int | None = None,
    **fields,
) -> Article:
    """Add an article to an issue, at the end unless a position is given."""
    if position is None:
        position = issue.articles.count()
    article = Article(issue=issue, column=column, title=title, position=position, **fields)
    article.full_clean()
    article.save()
    search_index_article(article=article)
    return article


@transaction.atomic
def article_update(*, article: Article, by=None, **fields) -> Article:
    """Change the given fields of an article of a draft; only the fields that differ are written."""
    issue_ensure_editable(issue=article.issue)
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    for name in changed:
        setattr(article, name, fields[name])
    if changed:
        article.updated_by = by
        article.version += 1
        article.full_clean()
        article.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
        search_index_article(article=article)
    return article
