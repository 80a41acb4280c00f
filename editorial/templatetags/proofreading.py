"""{% proofreading_panel original %}: the 校对 panel on the issue and article change pages;
{% proofreading_count original %}: the number for a button;
{% proofreading_summary issue %}: the one-line summary, for the submit step."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from bulletins.proofreading import proofread_issue
from editorial.proofreading import panel_context, proofreading_for

register = template.Library()


@register.inclusion_tag("admin/bulletins/proofreading/panel.html", takes_context=True)
def proofreading_panel(context, subject):
    request = context["request"]
    return {**panel_context(request, subject), "csrf_token": context.get("csrf_token"),
            "request": request}


@register.simple_tag
def proofreading_summary(issue):
    """One line for the submit step: 校对发现 N 处问题（…）。, linking to the issue's 校对 page."""
    result = proofread_issue(issue)
    return format_html('<a href="{}">{}</a>', reverse("editorial:proofreading_issue", args=[issue.pk]),
                       result.summary())


@register.simple_tag(takes_context=True)
def proofreading_count(context, subject) -> int:
    """How many open findings the issue or article has (computed once per page)."""
    return len(proofreading_for(context["request"], subject).findings)
