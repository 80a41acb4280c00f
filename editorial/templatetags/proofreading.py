"""{% proofreading_panel original %}: the 校对 panel on the issue and article change pages."""

from django import template

from editorial.proofreading import panel_context

register = template.Library()


@register.inclusion_tag("admin/bulletins/proofreading/panel.html", takes_context=True)
def proofreading_panel(context, subject):
    request = context["request"]
    return {**panel_context(request, subject), "csrf_token": context.get("csrf_token"),
            "request": request}
