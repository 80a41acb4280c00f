"""Keeping the index in step: the services call these in the transaction of their write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from bulletins.models import Article, Issue
from bulletins.search.backends import backend
from bulletins.search.text import article_text, document_tokens

REINDEX_BATCH = 500


def search_index_articles(*, articles: Iterable[Article], replace: bool = True) -> int:
    """Index these articles as they are now, replacing what the index held for them."""
    documents = [(article, document_tokens(article_text(article))) for article in articles]
    if documents:
        backend().write(documents, replace=replace)
    return len(documents)


def search_index_article(*, article: Article) -> None:
    search_index_articles(articles=[article])


def search_index_issue(*, issue: Issue) -> int:
    """Index every article of the issue (deleted ones have already left with their rows)."""
    return search_index_articles(articles=issue.articles.all())


@dataclass(frozen=True)
class ReindexResult:
    articles: int
    size_bytes: int


@transaction.atomic
def search_reindex(*, batch_size: int = REINDEX_BATCH, progress=None, article_model=Article) -> ReindexResult:
    """Rebuild the whole index from the articles, e.g. after a bulk load that bypassed services."""
    index = backend()
    index.begin_rebuild()
    done = 0
    articles = article_model.objects.only(
        "id", "issue_id", "column_id", "position", "title", "toc_title", "subtitle", "byline", "editor_note",
        "body", "source").order_by("pk")
    batch: list = []
    for article in articles.iterator(chunk_size=batch_size):
        batch.append(article)
        if len(batch) >= batch_size:
            done += search_index_articles(articles=batch, replace=False)
            batch = []
            if progress:
                progress(done)
    done += search_index_articles(articles=batch, replace=False)
    index.end_rebuild()
    return ReindexResult(articles=done, size_bytes=index.size_bytes())
