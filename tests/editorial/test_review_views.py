"""审阅: the issue as it will print, page by page, from the render cache (never laid out in the
request), with the 校对 summary and the timeline; opinions are given there with the verbs."""

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend

from bulletins.models import Issue, IssueEvent
from bulletins.proofreading import proofread_issue
from bulletins.tasks import render_issue
from editorial import workflow
from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP
from tests.editorial.test_workflow import make_user
from tests.printing import build_issue, forget_rendering

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def people():
    return {"editor": make_user("编辑甲", EDITOR_GROUP), "reviewer": make_user("审核人", REVIEWER_GROUP),
            "signer": make_user("签发人", SIGNER_GROUP)}


@pytest.fixture
def submitted(people):
    issue = build_issue(articles=2, paragraphs=3)
    workflow.submit(issue=issue, by=people["editor"])
    forget_rendering(issue)
    return issue


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_review_page_waits_for_the_worker_and_then_shows_every_page(submitted, people, settings,
                                                                         monkeypatch):
    settings.TASKS = DUMMY
    default_task_backend.clear()

    def refuse(*args, **kwargs):
        raise AssertionError("laid out in the request")

    monkeypatch.setattr("bulletins.rendering.pdf.render_document", refuse)
    client = logged_in(people["reviewer"])
    url = reverse("editorial:issue_review", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert "正在生成本期的PDF，本页会自动刷新……" in page
    [queued] = default_task_backend.results
    assert queued.task.name == "render_issue"

    monkeypatch.undo()
    render_issue.call(submitted.pk)  # what the worker does
    monkeypatch.setattr("bulletins.rendering.pdf.render_document", refuse)
    page = client.get(url).content.decode()
    pages = page.count('class="review-page"')
    assert pages >= 2
    assert f'alt="第{pages}页"' in page
    assert proofread_issue(submitted).summary() in page
    assert "流转记录" in page and "送审" in page
    image = client.get(reverse("editorial:issue_review_page", args=[submitted.pk, 1]))
    assert image["Content-Type"] == "image/png" and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    beyond = reverse("editorial:issue_review_page", args=[submitted.pk, pages + 1])
    assert client.get(beyond).status_code == 404


def test_the_reviewer_approves_there_with_an_opinion_and_the_signer_signs(submitted, people):
    client = logged_in(people["reviewer"])
    page = client.get(reverse("editorial:issue_review", args=[submitted.pk])).content.decode()
    assert "审核意见" in page and "签发意见" not in page
    response = client.post(reverse("editorial:issue_transition", args=[submitted.pk, "approve"]),
                           {"text": "同意，请签发。", "back": "review"})
    assert response["Location"] == reverse("editorial:issue_review", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.status == Issue.Status.APPROVED
    assert submitted.events.get(action=IssueEvent.Action.APPROVED).note == "同意，请签发。"

    signer = logged_in(people["signer"])
    page = signer.get(reverse("editorial:issue_review", args=[submitted.pk])).content.decode()
    assert "签发意见" in page
    signer.post(reverse("editorial:issue_transition", args=[submitted.pk, "sign_off"]),
                {"text": "同意印发。", "back": "review"})
    submitted.refresh_from_db()
    assert submitted.status == Issue.Status.SIGNED
    page = signer.get(reverse("editorial:issue_review", args=[submitted.pk])).content.decode()
    assert reverse("editorial:issue_sheet", args=[submitted.pk]) in page


def test_the_workbench_offers_review_in_one_click(submitted, people):
    page = logged_in(people["reviewer"]).get(reverse("admin:index")).content.decode()
    assert reverse("editorial:issue_review", args=[submitted.pk]) in page
    page = logged_in(people["reviewer"]).get(reverse("admin:bulletins_issue_change",
                                                     args=[submitted.pk])).content.decode()
    assert reverse("editorial:issue_review", args=[submitted.pk]) in page
