"""Template filters of the reading room: matches of the reader's query marked."""

from django import template

from bulletins.search.highlight import highlight_html, highlight_text

register = template.Library()


@register.filter
def mark_query(text: str, query):
    """Plain text, escaped, with the query's matches in <mark>."""
    return highlight_text(text, query)


@register.filter
def mark_query_html(body: str, query):
    """Sanitised article HTML with the query's matches in <mark>."""
    return highlight_html(body, query)
