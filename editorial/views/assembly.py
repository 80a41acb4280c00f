"""Assembling an issue: the compact list of its articles by column, moved by dragging or a step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from bulletins.models import Article, Column, Issue
from bulletins.services.articles import article_move, issue_arrange_articles
from bulletins.text import han_count_html

BAD_ARRANGEMENT_MESSAGE = "无法识别的排序数据，请刷新页面后重试。"


@dataclass
class AssemblyColumn:
    column: Column
    articles: list[Article] = field(default_factory=list)


def issue_assembly(issue: Issue) -> list[AssemblyColumn]:
    """The issue's columns in printed order with their articles, then the unused active columns."""
    groups: dict[int, AssemblyColumn] = {}
    for article in issue.cached_articles():
        article.han_count = han_count_html(article.body)
        groups.setdefault(article.column_id, AssemblyColumn(article.column)).articles.append(article)
    unused = (Column.objects.filter(publication_id=issue.publication_id, active=True)
              .exclude(pk__in=groups).select_related("publication"))
    return [*groups.values(), *(AssemblyColumn(column) for column in unused)]


@require_POST
@permission_required("bulletins.change_article", raise_exception=True)
def arrange(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the printed order a drag produced: {"arrangement": [[article, column], ...]}."""
    issue = get_object_or_404(Issue, pk=pk)
    try:
        arrangement = [(int(a), int(c)) for a, c in json.loads(request.body)["arrangement"]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": BAD_ARRANGEMENT_MESSAGE}, status=400)
    try:
        issue_arrange_articles(issue=issue, by=request.user, arrangement=arrangement)
    except ValidationError as error:
        return JsonResponse({"error": "；".join(error.messages)}, status=409)
    return JsonResponse({"ok": True})


@require_POST
@permission_required("bulletins.change_article", raise_exception=True)
def move(request: HttpRequest, pk: int, article_pk: int, direction: str) -> HttpResponse:
    """One step up or down within the column; a plain form, so it works from the keyboard."""
    article = get_object_or_404(Article.objects.select_related("issue"), issue_id=pk, pk=article_pk)
    try:
        article_move(article=article, by=request.user, step=-1 if direction == "up" else 1)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(reverse("admin:bulletins_issue_change", args=[pk]) + f"#article-{article_pk}")


arrange_view = admin.site.admin_view(arrange)
move_view = admin.site.admin_view(move)
