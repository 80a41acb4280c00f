"""The render status of an issue's PDF, for the issue page."""

from django import template

from bulletins.models import Issue
from bulletins.rendering.background import RenderJob, RenderStatus, render_status

register = template.Library()


@register.simple_tag
def issue_render_status(issue: Issue) -> RenderStatus:
    return render_status(RenderJob.for_issue(issue))
