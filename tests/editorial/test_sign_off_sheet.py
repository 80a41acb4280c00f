"""签发单: made from the events at 签发, stored beside the PDF of record with its SHA-256,
downloadable from the issue and from each sign-off event; a reopened issue keeps every sheet."""

import dataclasses
import hashlib
import io

import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulletins.models import IssueEvent
from editorial import workflow
from tests.editorial.test_workflow import issue, people  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
A = IssueEvent.Action


def sheet_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        return "".join(pdf.pages[0].extract_text().split())


def signed(issue, people, *, review="同意报送。", opinion="同意印发，印2000份。"):  # noqa: F811
    workflow.submit(issue=issue, by=people["editor"], note="请审核")
    workflow.approve(issue=issue, by=people["reviewer"], note=review)
    workflow.sign_off(issue=issue, by=people["signer"], note=opinion)
    return issue.events.filter(action=A.SIGNED).latest("created_at", "pk")


def test_the_sheet_holds_the_opinions_names_and_dates_of_the_events(issue, people):  # noqa: F811
    event = signed(issue, people)
    with event.sheet_pdf.open("rb") as stored:
        data = stored.read()
    assert event.sheet_sha256 == hashlib.sha256(data).hexdigest()
    text = sheet_text(data)
    today = timezone.localdate()
    date = f"{today.year}年{today.month}月{today.day}日"
    issue.refresh_from_db()
    for expected in ("签发单", issue.publication.full_name.replace(" ", ""), "第1期", "学习贯彻会议精神",
                     f"编辑甲{date}",  # 拟稿 (created) and 编辑 (submitted)
                     "同意报送。", f"审核人：审核人{date}",
                     "同意印发，印2000份。", f"签发人：签发人{date}", "印数"):
        assert expected in text, expected


def test_the_sheet_is_downloadable_from_the_issue_and_from_its_event(issue, people):  # noqa: F811
    event = signed(issue, people)
    client = Client()
    client.force_login(people["reviewer"])
    from_issue = client.get(reverse("editorial:issue_sheet", args=[issue.pk]))
    from_event = client.get(reverse("editorial:event_sheet", args=[issue.pk, event.pk]))
    assert from_issue.status_code == from_event.status_code == 200
    assert hashlib.sha256(from_issue.content).hexdigest() == event.sheet_sha256
    assert from_event.content == from_issue.content
    assert "签发单.pdf" in from_issue["Content-Disposition"].encode().decode() or \
        "%E7%AD%BE%E5%8F%91%E5%8D%95.pdf" in from_issue["Content-Disposition"]
    page = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    assert reverse("editorial:event_sheet", args=[issue.pk, event.pk]) in page
    assert reverse("editorial:issue_sheet", args=[issue.pk]) in page


def test_a_reopened_issue_keeps_every_earlier_sheet(issue, people):  # noqa: F811
    first = signed(issue, people, opinion="同意。")
    workflow.reopen(issue=issue, by=people["signer"], reason="人名有误")
    second = signed(issue, people, review="修改后同意。", opinion="同意重新印发。")
    assert first.sheet_pdf.name != second.sheet_pdf.name
    with first.sheet_pdf.open("rb") as stored:
        assert "同意。" in sheet_text(stored.read())
    with second.sheet_pdf.open("rb") as stored:
        text = sheet_text(stored.read())
    assert "修改后同意。" in text and "同意重新印发。" in text


def test_the_sheet_is_laid_out_before_the_lock_and_again_only_if_the_events_changed(
        issue, people, monkeypatch):  # noqa: F811
    """Sign-off holds no lock while it renders: the sheet made before the lock is the one stored;
    a step taken meanwhile (here: approved again with another opinion) makes it laid out anew."""
    from bulletins.services import lifecycle, printing

    laid_out = []
    render = printing.render_sign_off_sheet

    def counting(sheet):
        laid_out.append(sheet.reviewed.opinion)
        return render(sheet)
    monkeypatch.setattr(printing, "render_sign_off_sheet", counting)
    event = signed(issue, people)
    assert laid_out == ["同意报送。"]  # once, by the preparation

    workflow.reopen(issue=issue, by=people["signer"], reason="更正")
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"], note="第一次意见")
    prepare = lifecycle.TRANSITIONS["sign_off"].prepare

    def approved_again_meanwhile(issue, by, note):
        prepared = prepare(issue, by, note)
        workflow.return_for_changes(issue=issue, by=people["signer"], reason="再看看")
        workflow.submit(issue=issue, by=people["editor"])
        workflow.approve(issue=issue, by=people["reviewer"], note="第二次意见")
        return dataclasses.replace(prepared, revision_id=lifecycle.issue_latest_revision(issue=issue).pk)
    monkeypatch.setitem(lifecycle.TRANSITIONS, "sign_off", dataclasses.replace(
        lifecycle.TRANSITIONS["sign_off"], prepare=approved_again_meanwhile))
    laid_out.clear()
    workflow.sign_off(issue=issue, by=people["signer"], note="同意")
    event = issue.events.filter(action=A.SIGNED).latest("created_at", "pk")
    with event.sheet_pdf.open("rb") as stored:
        assert "第二次意见" in sheet_text(stored.read())
    assert laid_out == ["第一次意见", "第二次意见"]
