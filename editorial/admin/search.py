"""The admin's search box for issues and articles, answered by the Chinese full-text index."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q

from bulletins.models import Article, Issue
from bulletins.search import search_articles


class IndexedSearchMixin:
    """Search articles (or the issues holding them) through the index, drafts included.

    An issue is also found by its publication's name. The services keep the index in step.
    """

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        try:
            found = search_articles(search_term, published_only=False)
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.WARNING)
            return queryset.none(), False
        article_ids = found.pk_filter()
        if self.model is Article:
            return queryset.filter(pk__in=article_ids), False
        if self.model is Issue:
            term = search_term.strip()
            matches = (Q(pk__in=Article.objects.filter(pk__in=article_ids).values("issue_id"))
                       | Q(publication__name__icontains=term)
                       | Q(publication__name_prefix__icontains=term)
                       | Q(publication__short_name__icontains=term))
            return queryset.filter(matches), False
        return super().get_search_results(request, queryset, search_term)
