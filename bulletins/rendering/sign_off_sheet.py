"""签发单: the sheet on which an issue was reviewed and signed, made from its events."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.utils import timezone

from bulletins.models import Issue, IssueEvent
from bulletins.rendering.fonts import current_fonts
from bulletins.rendering.html import font_context

Action = IssueEvent.Action


@dataclass(frozen=True)
class Signature:
    """Who did a step, when, and what they wrote."""

    name: str
    date: str
    opinion: str = ""


@dataclass(frozen=True)
class SignOffSheet:
    publication: str
    number: str
    titles: list[str]
    drafted: Signature | None  # 拟稿: who created the issue
    edited: Signature | None  # 编辑: who submitted it for review
    reviewed: Signature | None  # 审核意见
    signed: Signature  # 签发意见
    print_run: int | None


def _date(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _signature(event: IssueEvent | None) -> Signature | None:
    if event is None:
        return None
    return Signature(name=event.actor_name, date=_date(event.created_at), opinion=event.note)


def sign_off_sheet(*, issue: Issue, signer: User | None, opinion: str,
                   at: datetime.datetime | None = None) -> SignOffSheet:
    """The sheet of the sign-off being taken now: the latest creation, submission and approval
    of the issue from its events, and the signer's own opinion."""
    latest: dict[str, IssueEvent] = {}
    for event in issue.events.filter(action__in=[Action.CREATED, Action.SUBMITTED, Action.APPROVED]):
        latest[event.action] = event  # in time order: the last one of each kind stays
    return SignOffSheet(
        publication=issue.publication.full_name,
        number=issue.number_label,
        titles=list(issue.articles.order_by("position", "pk").values_list("title", flat=True)),
        drafted=_signature(latest.get(Action.CREATED)),
        edited=_signature(latest.get(Action.SUBMITTED)),
        reviewed=_signature(latest.get(Action.APPROVED)),
        signed=Signature(name=_name(signer), date=_date(at or timezone.now()), opinion=opinion),
        print_run=issue.effective_print_run,
    )


def render_sign_off_sheet(sheet: SignOffSheet) -> bytes:
    """The sheet as a one-page PDF in the bulletin fonts."""
    from bulletins.rendering.pdf import write_pdf

    fonts = current_fonts()
    html = render_to_string("bulletins/pdf/sign_off_sheet.html", {"sheet": sheet, **font_context(fonts)})
    return write_pdf(html, fonts=fonts)
