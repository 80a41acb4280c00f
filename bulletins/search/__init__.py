"""Chinese full-text search over the articles: one index, the same on SQLite and PostgreSQL.

`search_articles(query, ...)` answers the reading room, the admin and the command;
`search_index_*` keep the index in step and are called by the services that write articles.
"""

from bulletins.search.indexing import (
    ReindexResult,
    search_index_article,
    search_index_articles,
    search_index_issue,
    search_reindex,
)
from bulletins.search.query import ORDERS, SearchResults, search_articles
from bulletins.search.text import ParsedQuery, parse_query

__all__ = [
    "ORDERS", "ParsedQuery", "ReindexResult", "SearchResults", "parse_query", "search_articles",
    "search_index_article", "search_index_articles", "search_index_issue", "search_reindex",
]
