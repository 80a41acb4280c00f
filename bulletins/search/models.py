"""The search index's rows live in bulletins.models.search; this path keeps importing them."""

from bulletins.models.search import SearchDocument

__all__ = ["SearchDocument"]
