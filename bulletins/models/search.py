"""The rows the search index is kept in, tied to their article so deletes cascade."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One indexed part of an article.

    SQLite: one row per article; the tokens are indexed in the contentless FTS5 table
    `bulletins_search_fts` (rowid = article id) and kept here, packed, so that a trigger can
    take them out of the index when this row goes: a deleted article (through the ORM, a
    cascade or a test flush) leaves nothing behind.
    PostgreSQL: the tokens as a tsvector with a GIN index, in parts of at most
    `PART_TOKENS` tokens (tsvector positions stop at 16,383), overlapping so that no phrase
    is cut in two.
    """

    article = models.ForeignKey("bulletins.Article", on_delete=models.CASCADE,
                                related_name="search_documents", verbose_name="文章")
    part = models.PositiveIntegerField("段", default=0)
    # The article's place, copied so that a search never reads the (large) article rows to
    # filter and order its hits; written with the tokens, in the same transaction.
    issue = models.ForeignKey("bulletins.Issue", on_delete=models.CASCADE, related_name="+",
                              verbose_name="期")
    column = models.ForeignKey("bulletins.Column", on_delete=models.CASCADE, related_name="+",
                               verbose_name="栏目")
    position = models.PositiveIntegerField("顺序", default=0)
    vector = SearchVectorField("词元", null=True)  # PostgreSQL
    packed = models.BinaryField("压缩词元", null=True, editable=False)  # SQLite: for FTS5's delete

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        constraints = [
            models.UniqueConstraint(fields=["article", "part"], name="unique_search_document_part"),
        ]
        indexes = [
            # Covers what a search reads per hit, so that it never reads the rows themselves.
            models.Index(fields=["article", "part", "issue", "column", "position"],
                         name="search_document_place"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.part}"
