"""Saves refused after their form was valid are pages, never error pages, and lose no text.

Two people may send the same page at the same moment: both forms pass their version check, the
first save commits, and the service refuses the second under the row lock (`EditConflict`).
Or the issue is submitted while a writer has an article open. Either way the user gets a page
that says what happened, with what they typed still in the form or shown to copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import reversion
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from bulletins.models import Issue
from bulletins.rendering.queue import telling_if_queue_unreachable
from bulletins.sanitize import sanitize_html
from bulletins.services.revisions import user_label
from editorial.widgets import ArticleBodyWidget

RENDER_LATER_MESSAGE = "已保存。排版服务暂时不可用，PDF将在服务恢复后下载时生成。"
STATE_CHANGED_MESSAGE = "{issue}已于{when}由{who}{action}，{consequence}"
STATE_IS_MESSAGE = "{issue}当前为“{status}”，{consequence}"
NO_MORE_CHANGES = "内容不能再修改。"
NO_MORE_ARTICLES = "不能再添加文章。"


class SaveRefused(Exception):
    """A service refused a save the form had allowed; the page's transaction is rolled back."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def state_changed_message(issue: Issue, consequence: str = NO_MORE_CHANGES) -> str:
    """What happened to the issue: its last step, who took it and when."""
    event = issue.events.select_related("actor").order_by("-created_at", "-pk").first()
    if event is None or event.to_status != issue.status:
        return STATE_IS_MESSAGE.format(issue=issue.number_label, status=issue.get_status_display(),
                                       consequence=consequence)
    return STATE_CHANGED_MESSAGE.format(
        issue=issue.number_label, consequence=consequence,
        when=timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
        who=event.actor_name or user_label(event.actor) or "他人", action=event.get_action_display())


def typed_text(request, form_class: type[forms.BaseForm]) -> list[tuple[str, str]]:
    """The text fields the user sent, labelled, for them to copy: rich text as it would print."""
    typed = []
    for name, field in form_class.base_fields.items():
        value = request.POST.get(name, "").strip()
        if not value or not isinstance(field, forms.CharField) or field.widget.is_hidden:
            continue
        if isinstance(field.widget, ArticleBodyWidget):
            value = mark_safe(sanitize_html(value))  # noqa: S308 - sanitised as it would be stored
        typed.append((field.label or name, value))
    return typed


def state_changed_response(request, model_admin, issue: Issue, consequence: str = NO_MORE_CHANGES):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "保存未成功",
        "opts": model_admin.opts,
        "issue": issue,
        "message": state_changed_message(issue, consequence),
        "typed": typed_text(request, model_admin.form) if request.method == "POST" else [],
    }
    return TemplateResponse(request, "admin/bulletins/state_changed.html", context, status=409)


@contextmanager
def refused_as_page() -> Iterator[None]:
    """A service's refusal inside the admin's save: the page is shown again (RefusedSaveMixin)."""
    try:
        yield
    except ValidationError as error:
        raise SaveRefused(error) from error


class RefusedSaveMixin:
    """For the admins of an issue's content: a refused save shows the page again.

    The page is sent again once, inside a new transaction, with the refusal as the form's own
    error, so a conflict found under the row lock reads exactly like one found by the form.
    """

    def issue_of_page(self, request, object_id) -> Issue | None:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" and object_id is not None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        refused = self._refused_for_state(request, object_id)
        if refused is not None:
            return refused
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            return self._post_changeform(request, object_id, form_url, extra_context)
        except SaveRefused as refusal:
            request._bulletins_refusal = refusal.error
        return (self._refused_for_state(request, object_id)
                or self._post_changeform(request, object_id, form_url, extra_context))

    def _post_changeform(self, request, object_id, form_url, extra_context):
        # Everything one save of the page changes is one revision of the issue; a render queue out
        # of reach after the commit does not undo it, the user is told the PDF comes later.
        render_later = lambda: messages.warning(request, RENDER_LATER_MESSAGE)  # noqa: E731
        with telling_if_queue_unreachable(render_later), reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _refused_for_state(self, request, object_id):
        issue = self.issue_of_page(request, object_id)
        allowed = self.has_change_permission(request) if object_id else self.has_add_permission(request)
        if issue is None or issue.is_editable or not allowed:
            return None
        consequence = NO_MORE_CHANGES if object_id else NO_MORE_ARTICLES
        return state_changed_response(request, self, issue, consequence)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_bulletins_refusal", None)
        return form if refusal is None else type(form.__name__, (form,), {"refusal": refusal})
