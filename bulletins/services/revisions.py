"""Revisions and events: every saved change of an issue is a snapshot; every step is on record.

A revision (django-reversion) holds the issue with all its articles and recipients, so one save
is one revision. Events (`IssueEvent`) record the workflow steps and point at the revision they
applied to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import reversion
from diff_match_patch import diff_match_patch
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from reversion.models import Revision, Version

from bulletins.models import Article, Issue, IssueEvent, IssueRecipient
from bulletins.rendering.queue import queue_issue_render
from bulletins.sanitize import sanitize_html
from bulletins.search import search_index_issue
from bulletins.services.guards import issue_ensure_editable, issue_lock, issue_touch

EDIT_CONFLICT_MESSAGE = ("保存未成功：您打开{what}之后，{name}已于{when}保存了修改。"
                         "您填写的内容仍在本页，尚未保存；请先查看对方的修改，再决定如何修改后保存。")
RESTORE_FOREIGN_REVISION_MESSAGE = "所选版本不属于{issue}。"


class EditConflict(ValidationError):
    """Somebody else saved the same record after this user opened it."""

    def __init__(self, *, what: str, name: str, when, compare_url: str = "") -> None:
        message = EDIT_CONFLICT_MESSAGE.format(
            what=what, name=name or "另一位用户",
            when=timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S"))
        if compare_url:
            message = format_html("{} <a href=\"{}\">查看并比较修改</a>", message, compare_url)
        super().__init__(message, code="conflict")


def user_label(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# How many `recorded` blocks are open around the current code.
_recording: ContextVar[int] = ContextVar("recording", default=0)


@contextmanager
def recorded(*, issue: Issue, by: User | None, comment: str = "",
             changes_content: bool = True) -> Iterator[None]:
    """Make everything saved inside one revision of the whole issue.

    Nested blocks join the outermost one, so one admin save that calls several services is
    still one revision. A change of content queues the issue's PDF to be rendered once the
    transaction commits, whoever made it: the admin, a command, an import.
    """
    depth = _recording.set(_recording.get() + 1)
    with reversion.create_revision():
        if by is not None and by.is_authenticated:
            reversion.set_user(by)
        if comment:
            # One admin save may change several things: the revision names them all.
            earlier = reversion.get_comment()
            reversion.set_comment(f"{earlier}；{comment}" if earlier and comment not in earlier else
                                  earlier or comment)
        try:
            yield
        finally:
            _recording.reset(depth)
        reversion.add_to_revision(issue)
    if changes_content and _recording.get() == 0:
        # The outermost block queues the render; the writes nested in it change the same issue.
        queue_issue_render(issue)


def issue_latest_revision(*, issue: Issue) -> Revision | None:
    version = Version.objects.get_for_object(issue).select_related("revision").first()
    return version.revision if version is not None else None


def issue_ensure_revision(*, issue: Issue, by: User | None) -> Revision:
    """Return the issue's latest revision, taking a first snapshot if it has none."""
    revision = issue_latest_revision(issue=issue)
    if revision is None:
        with recorded(issue=issue, by=by, comment="首次记录", changes_content=False):
            pass
        revision = issue_latest_revision(issue=issue)
    return revision


def issue_record_event(
    *,
    issue: Issue,
    action: str,
    by: User | None,
    from_status: str,
    note: str = "",
    pdf: str = "",
    pdf_sha256: str = "",
    sheet_pdf: str = "",
    sheet_sha256: str = "",
    actor_name: str = "",
) -> IssueEvent:
    """Write one step of the issue's record, pointing at the revision it applied to."""
    return IssueEvent.objects.create(
        issue=issue, action=action, from_status=from_status, to_status=issue.status,
        actor=by if by is not None and by.is_authenticated else None,
        actor_name=actor_name or user_label(by), note=note,
        revision=issue_latest_revision(issue=issue), pdf=pdf, pdf_sha256=pdf_sha256,
        sheet_pdf=sheet_pdf, sheet_sha256=sheet_sha256)


# ---- reading revisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleSnapshot:
    pk: int
    column_id: int
    position: int
    fields: dict

    @property
    def title(self) -> str:
        return self.fields.get("title", "")


@dataclass(frozen=True)
class IssueSnapshot:
    revision: Revision
    issue_fields: dict
    articles: list[ArticleSnapshot]
    recipients: list[dict]


def issue_revisions(*, issue: Issue):
    """The issue's revisions, newest first, with their user."""
    return (Revision.objects.filter(version__in=Version.objects.get_for_object(issue))
            .select_related("user").order_by("-date_created", "-pk"))


def issue_snapshot(*, issue: Issue, revision: Revision) -> IssueSnapshot:
    """What the issue, its articles and recipients were in this revision."""
    versions = list(revision.version_set.select_related("content_type"))
    issue_fields = None
    articles, recipients = [], []
    for version in versions:
        model = version.content_type.model_class()
        if model is Issue and int(version.object_id) == issue.pk:
            issue_fields = version.field_dict
        elif model is Article and version.field_dict.get("issue_id") == issue.pk:
            data = version.field_dict
            articles.append(ArticleSnapshot(pk=int(version.object_id), column_id=data["column_id"],
                                            position=data["position"], fields=data))
        elif model is IssueRecipient and version.field_dict.get("issue_id") == issue.pk:
            recipients.append(version.field_dict)
    if issue_fields is None:
        raise ValidationError(RESTORE_FOREIGN_REVISION_MESSAGE.format(issue=issue.number_label))
    articles.sort(key=lambda a: (a.position, a.pk))
    recipients.sort(key=lambda r: (r["position"], r["id"]))
    return IssueSnapshot(revision=revision, issue_fields=issue_fields, articles=articles,
                         recipients=recipients)


def text_diff_html(old: str, new: str) -> str:
    """A character-level diff as HTML (<del>/<ins>); Chinese has no spaces to split words at."""
    differ = diff_match_patch()
    diffs = differ.diff_main(old, new)
    differ.diff_cleanupSemantic(diffs)
    return differ.diff_prettyHtml(diffs)


# ---- restoring ----------------------------------------------------------------------------------

ISSUE_CONTENT_FIELDS = ("date", "editor_note", "print_run")
ARTICLE_CONTENT_FIELDS = ("column_id", "position", "title", "toc_title", "subtitle", "byline",
                          "source", "editor_note", "body")


@transaction.atomic
def issue_restore(*, issue: Issue, revision: Revision, by: User) -> Issue:
    """Bring a draft's content back to a revision; the restore is itself a new revision."""
    issue = issue_lock(issue=issue)
    issue_ensure_editable(issue=issue)
    snapshot = issue_snapshot(issue=issue, revision=revision)
    label = timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M")
    with recorded(issue=issue, by=by, comment=f"恢复到 {label} 的版本"):
        for name in ISSUE_CONTENT_FIELDS:
            setattr(issue, name, snapshot.issue_fields.get(name))
        issue_touch(issue=issue, by=by)
        kept = {a.pk for a in snapshot.articles}
        issue.articles.exclude(pk__in=kept).delete()
        existing = {a.pk: a for a in issue.articles.all()}
        for data in snapshot.articles:
            article = existing.get(data.pk) or Article(pk=data.pk, issue=issue)
            for name in ARTICLE_CONTENT_FIELDS:
                setattr(article, name, data.fields.get(name))
            article.body = sanitize_html(article.body or "")
            article.version = (article.version or 0) + 1
            article.updated_by = by
            article.save()
        issue.recipients.all().delete()
        IssueRecipient.objects.bulk_create(
            IssueRecipient(issue=issue, role=r["role"], position=r["position"],
                           distribution_list_id=r.get("distribution_list_id"),
                           organisation_id=r.get("organisation_id"), is_addition=r["is_addition"])
            for r in snapshot.recipients)
        search_index_issue(issue=issue)
    issue_record_event(issue=issue, action=IssueEvent.Action.RESTORED, by=by,
                       from_status=issue.status, note=f"恢复到 {label} 的版本")
    return issue
