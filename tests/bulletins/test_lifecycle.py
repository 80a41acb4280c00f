"""The lifecycle table: each verb allowed exactly where its row says, its guards, its event, its
side effects after the commit only; archive import as one of its verbs."""

import dataclasses
import datetime
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django_tasks import default_task_backend
from pypdf import PdfReader

import bulletins.services
from bulletins.archive.importer import archive_import_file
from bulletins.archive.json_format import archive_export
from bulletins.models import Article, Issue, IssueEvent
from bulletins.rendering.pdf import render_issue_pdf
from bulletins.services import article_create, article_update, issue_create, issue_delete, lifecycle
from bulletins.services.lifecycle import TRANSITIONS
from bulletins.services.printing import issue_pdf_of_record
from bulletins.services.revisions import issue_latest_revision
from editorial import workflow
from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP, WRITER_GROUP
from editorial.readers import READER_GROUP
from tests.factories import ColumnFactory, PublicationFactory
from tests.printing import build_issue

pytestmark = pytest.mark.django_db

S = Issue.Status
A = IssueEvent.Action
README = Path(__file__).resolve().parents[2] / "README.md"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_7a2bf2f7cbdeabb6.txt"
ROLES = {"writer": WRITER_GROUP, "editor": EDITOR_GROUP, "reviewer": REVIEWER_GROUP, "signer": SIGNER_GROUP}
WORKFLOW_VERBS = [verb for verb in TRANSITIONS if verb != "import"]
REASONS = {"return_for_changes": "第二段数字有误", "reopen": "更正错字"}


def make_user(name: str, *groups: str) -> User:
    user = User.objects.create_user(name, email=f"{name}@example.cn", is_staff=True, last_name=name)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def people():
    return {role: make_user(role, group) for role, group in ROLES.items()}


@pytest.fixture
def issue(people):
    publication = PublicationFactory()
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=people["editor"])
    article_create(issue=issue, column=ColumnFactory(publication=publication), title="学习贯彻会议精神",
                   body="<p>正文。</p>", by=people["editor"])
    return issue


def take(verb: str, issue: Issue, user: User) -> Issue:
    arguments = {"reason": REASONS[verb]} if verb in REASONS else {}
    return getattr(workflow, verb)(issue=issue, by=user, **arguments)


# ---- the table, row by row --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("verb", WORKFLOW_VERBS)
def test_each_verb_is_allowed_exactly_where_its_row_says(issue, people, verb, status, role):
    """From every state, for every role: the row's states and permission decide, with the row's
    message; an allowed step reaches the row's state and writes the row's event."""
    transition = TRANSITIONS[verb]
    user = people[role]
    Issue.objects.filter(pk=issue.pk).update(status=status, submitted_by=user)
    issue.refresh_from_db()
    permission = transition.sources.get(status)
    needed = [p for p in transition.permissions if p]
    if needed and not any(user.has_perm(p) for p in needed):
        expected = PermissionDenied
    elif permission is None:
        expected = ValidationError
    elif permission and not user.has_perm(permission):
        expected = PermissionDenied
    else:
        expected = None

    if expected is None:
        take(verb, issue, user)
        issue.refresh_from_db()
        last = issue.events.last()
        assert (issue.status, last.action, last.from_status) == (transition.target, transition.event, status)
        return
    with pytest.raises(expected) as error:
        take(verb, issue, user)
    if expected is ValidationError:
        assert error.value.messages == [
            f"2023年第1期当前为“{S(status).label}”，不能{IssueEvent.Action(transition.event).label}。"]
    else:
        role_name = lifecycle.ROLE_NAMES[permission or needed[0]]
        label = transition.label
        assert str(error.value) == f"您没有{label}的权限：只有“{role_name}”角色可以{label}。"
    issue.refresh_from_db()
    assert issue.status == status
    assert not issue.events.exclude(action=A.CREATED).exists()


# How to break each guard: a change to the issue, the arguments to give, and what is said.


def _no_articles(issue, people):
    issue.articles.all().delete()
    return {}, ValidationError, "2023年第1期还没有文章，不能{label}。"


def _unprintable(issue, people):
    Article.objects.filter(issue=issue).update(body="<p>缺字\U000f0041。</p>")
    return {}, ValidationError, ("以下字符在已配置的字体中都没有字形，无法印刷，请先修改："
                                 "《学习贯彻会议精神》中的“\U000f0041”（U+F0041）。")


def _no_reason(issue, people):
    return {"reason": "  "}, ValidationError, "请填写{label}的理由。"


def _not_the_submitter(issue, people):
    Issue.objects.filter(pk=issue.pk).update(submitted_by=people["writer"])
    return {}, PermissionDenied, "只有送审人writer可以撤回送审。"


BREAKERS = {
    lifecycle.articles_present: _no_articles,
    lifecycle.printable: _unprintable,
    lifecycle.reason_required: _no_reason,
    lifecycle.submitter_only: _not_the_submitter,
}
GUARDED = [(verb, guard) for verb, transition in TRANSITIONS.items() if verb != "import"
           for guard in transition.guards if guard is not lifecycle.revision_unchanged]
ACTOR_FOR = {"submit": "editor", "withdraw": "editor", "approve": "reviewer",
             "return_for_changes": "reviewer", "sign_off": "signer", "publish": "editor", "reopen": "signer"}


def test_every_guard_of_the_table_is_tested():
    assert {guard for _, guard in GUARDED} <= set(BREAKERS)


@pytest.mark.parametrize(("verb", "guard"), GUARDED, ids=[f"{v}-{g.__name__}" for v, g in GUARDED])
def test_each_guard_refuses_its_verb_and_changes_nothing(issue, people, verb, guard):
    transition = TRANSITIONS[verb]
    status = next(iter(transition.sources))
    Issue.objects.filter(pk=issue.pk).update(status=status, submitted_by=people["editor"])
    overrides, error_class, message = BREAKERS[guard](issue, people)
    issue.refresh_from_db()
    arguments = {**({"reason": REASONS[verb]} if verb in REASONS else {}), **overrides}
    with pytest.raises(error_class) as error:
        getattr(workflow, verb)(issue=issue, by=people[ACTOR_FOR[verb]], **arguments)
    said = error.value.messages if error_class is ValidationError else [str(error.value)]
    assert said == [message.format(label=transition.label)]
    issue.refresh_from_db()
    assert issue.status == status
    assert not issue.events.exclude(action=A.CREATED).exists()


def test_a_sign_off_is_refused_when_the_issue_changed_after_its_preparation(issue, people, monkeypatch):
    """The revision the sign-off was prepared for (outside the lock) must still be the issue's."""
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])
    stale = dataclasses.replace(TRANSITIONS["sign_off"],
                                prepare=lambda issue, by, note: lifecycle.Prepared(revision_id=-1))
    monkeypatch.setitem(TRANSITIONS, "sign_off", stale)
    with pytest.raises(ValidationError) as error:
        workflow.sign_off(issue=issue, by=people["signer"])
    assert error.value.messages == ["签发未完成：2023年第1期的内容在此期间有了新的版本，请查看后重新签发。"]
    issue.refresh_from_db()
    assert issue.status == S.APPROVED and not issue.printed_pdf


def test_a_pdf_prepared_outside_the_lock_becomes_the_record(issue, people, monkeypatch):
    """The hook for rendering before the transaction: its PDF is stored as it was made."""
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])
    rendered = b"%PDF-1.7 rendered outside the lock"

    def prepare(issue, by, note):
        return lifecycle.Prepared(revision_id=issue_latest_revision(issue=issue).pk, pdf=rendered)

    rendering_first = dataclasses.replace(TRANSITIONS["sign_off"], prepare=prepare)
    monkeypatch.setitem(TRANSITIONS, "sign_off", rendering_first)
    workflow.sign_off(issue=issue, by=people["signer"])
    issue.refresh_from_db()
    assert issue_pdf_of_record(issue) == rendered
    assert issue.printed_pdf_sha256 == hashlib.sha256(rendered).hexdigest() == issue.events.last().pdf_sha256


def test_the_buttons_are_the_rows_the_user_may_take(issue, people):
    chief = make_user("主任", EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP)
    expected = {S.DRAFT: ["submit"], S.SUBMITTED: ["withdraw", "approve", "return_for_changes"],
                S.APPROVED: ["sign_off", "return_for_changes"], S.SIGNED: ["publish", "reopen"],
                S.PUBLISHED: ["reopen"]}
    for status, verbs in expected.items():
        Issue.objects.filter(pk=issue.pk).update(status=status, submitted_by=chief)
        issue.refresh_from_db()
        assert workflow.available_actions(issue, chief) == verbs
        assert workflow.available_actions(issue, people["writer"]) == []


def test_the_back_doors_are_closed():
    assert not hasattr(bulletins.services, "issue_change_status")
    assert not hasattr(bulletins.services, "issue_publish")


def test_the_readme_shows_the_table_as_it_is():
    assert lifecycle.lifecycle_table_markdown() in README.read_text(encoding="utf-8")


# ---- side effects: after the commit, never after a rollback --------------------------------------


class Rollback(Exception):
    pass


@pytest.fixture
def queued(settings):
    """The issues whose render was queued: a queue that keeps its tasks instead of running them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()

    def issues() -> list[int]:
        return [result.args[0] for result in default_task_backend.results
                if result.task.name == "render_issue"]
    return issues


def test_side_effects_run_once_the_step_commits(issue, people, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(issue=issue, by=people["editor"])
        article = issue.articles.get()
    [sent] = mail.outbox
    assert sent.subject.endswith("2023年第1期已送审，请审核") and sent.to == ["reviewer@example.cn"]
    Issue.objects.filter(pk=issue.pk).update(status=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        article_update(article=article, by=people["editor"], title="新标题")
    assert queued() == [issue.pk]


def test_side_effects_do_not_run_when_the_step_rolls_back(issue, people, queued,
                                                          django_capture_on_commit_callbacks):
    article = issue.articles.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            workflow.submit(issue=issue, by=people["editor"])
            raise Rollback
        with pytest.raises(Rollback), transaction.atomic():
            article_update(article=article, by=people["editor"], title="新标题")
            raise Rollback
    assert callbacks == []
    assert mail.outbox == [] and queued() == []
    issue.refresh_from_db()
    assert issue.status == S.DRAFT and issue.articles.get().title == "学习贯彻会议精神"


# ---- deleting a draft ------------------------------------------------------------------------------


def test_a_draft_never_submitted_can_be_deleted(issue, people, client):
    issue_delete(issue=issue, by=people["editor"])
    assert not Issue.objects.filter(pk=issue.pk).exists()

    again = issue_create(publication=issue.publication, date=datetime.date(2023, 11, 26), by=people["editor"])
    client.force_login(people["editor"])
    url = reverse("admin:bulletins_issue_delete", args=[again.pk])
    page = client.get(url)
    assert page.status_code == 200 and "已进入过送审流程" not in page.content.decode()
    client.post(url, {"post": "yes"})
    assert not Issue.objects.filter(pk=again.pk).exists()


# ---- archive import, a verb of the table -------------------------------------------------------------


def export_with_title(issue: Issue, title: str) -> bytes:
    data = archive_export([issue])
    data["issues"][0]["columns"][0]["articles"][0]["title"] = title
    return json.dumps(data, ensure_ascii=False).encode()


def upload_and_confirm(client, user, content: bytes, name: str) -> str:
    """Upload in 导入往期简报 and confirm with the replace box; the page the user then reads (the
    preview itself when it refuses the file: a refused upload is not kept to be confirmed)."""
    client.force_login(user)
    preview = client.post(reverse("editorial:archive_upload"),
                          {"files": SimpleUploadedFile(name, content, content_type="application/json")})
    if not preview.context["importable"]:
        return re.sub(r"\s+", " ", preview.content.decode())
    done = client.post(reverse("editorial:archive_confirm"),
                       {"token": preview.context["token"], "replace": "1"})
    return re.sub(r"\s+", " ", done.content.decode())


@pytest.fixture
def printed_here(people):
    """The seed issue 第454期, reopened, then taken through 送审 → 审核通过 → 签发 → 已印发 here."""
    archive_import_file(path=SEED)
    issue = Issue.objects.get(number=454)
    workflow.reopen(issue=issue, by=people["signer"], reason="按本系统流程重新签发")
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])
    workflow.sign_off(issue=issue, by=people["signer"])
    workflow.publish(issue=issue, by=people["editor"])
    issue.refresh_from_db()
    return issue


def test_an_editor_cannot_rewrite_a_printed_issue_by_importing(client, people, printed_here):
    before = (printed_here.version, printed_here.printed_pdf_sha256, printed_here.events.count())
    page = upload_and_confirm(client, people["editor"], export_with_title(printed_here, "另一个标题"),
                              "454.json")
    assert ("2023年第454期未导入：导入的期直接记为已印发，等于签发，须由“签发”角色导入或替换；"
            "您没有签发的权限。") in page
    issue = Issue.objects.get(pk=printed_here.pk)
    assert issue.status == S.PUBLISHED
    assert (issue.version, issue.printed_pdf_sha256, issue.events.count()) == before
    assert "另一个标题" not in issue.articles.values_list("title", flat=True)


def test_a_signer_cannot_replace_an_issue_signed_off_here(client, people, printed_here):
    signer = make_user("签发编辑", EDITOR_GROUP, SIGNER_GROUP)
    page = upload_and_confirm(client, signer, export_with_title(printed_here, "另一个标题"), "454.json")
    assert ("2023年第454期是在本系统签发的，留有签发稿PDF，不能用导入替换；"
            "如需更正，请由签发人重新打开修改后再签发。") in page
    issue = Issue.objects.get(pk=printed_here.pk)
    assert issue.printed_pdf_sha256 == printed_here.printed_pdf_sha256
    assert "另一个标题" not in issue.articles.values_list("title", flat=True)


def test_an_imported_issue_without_a_record_is_replaced_by_a_signer_only(client, people):
    archive_import_file(path=SEED)
    issue = Issue.objects.get(number=454)
    content = export_with_title(issue, "另一个标题")
    editor_page = upload_and_confirm(client, people["editor"], content, "454.json")
    assert "2023年第454期未导入" in editor_page
    signer = make_user("签发编辑", EDITOR_GROUP, SIGNER_GROUP)
    upload_and_confirm(client, signer, content, "454.json")
    issue.refresh_from_db()
    assert issue.articles.order_by("position").first().title == "另一个标题"
    last = issue.events.last()
    assert (last.action, last.actor, last.from_status, last.to_status) == (A.REPLACED, signer, S.PUBLISHED,
                                                                           S.PUBLISHED)


@pytest.fixture
def printed_pdf():
    """A printed PDF of 第454期 and the (emptied) publication it belongs to."""
    issue = build_issue(articles=2, paragraphs=2, has_total_number=True)
    pdf = render_issue_pdf(issue, use_cache=False)
    publication = issue.publication
    Issue.objects.filter(pk=issue.pk).delete()
    return publication, pdf


def test_an_imported_pdf_is_served_byte_for_byte_as_the_record(client, people, printed_pdf):
    publication, pdf = printed_pdf
    result = archive_import_file(content=pdf, name="454.pdf", by=people["signer"])
    assert result.ok, result.error
    issue = Issue.objects.get(publication=publication, number=454)
    assert issue.printed_pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    [event] = issue.events.all()
    assert (event.action, event.pdf_sha256) == (A.IMPORTED, issue.printed_pdf_sha256)

    # The office's 下载PDF serves the record as it is; a reader's copy is that record stamped with
    # the reader's name (送达与签收), page for page.
    client.force_login(people["signer"])
    served = client.get(reverse("editorial:issue_pdf", args=[issue.pk]))
    assert served.status_code == 200
    body = b"".join(served.streaming_content) if served.streaming else served.content
    assert body == pdf
    reader = make_user("读者", READER_GROUP)
    client.force_login(reader)
    copy = client.get(reverse("reading:issue_pdf", args=[publication.slug, 2023, "454"]))
    assert copy.status_code == 200
    copy_body = b"".join(copy.streaming_content) if copy.streaming else copy.content
    assert len(PdfReader(io.BytesIO(copy_body)).pages) == len(PdfReader(io.BytesIO(pdf)).pages)


def test_a_text_replacement_clears_an_imported_record_and_says_so(people, printed_pdf):
    publication, pdf = printed_pdf
    archive_import_file(content=pdf, name="454.pdf", by=people["signer"])
    issue = Issue.objects.get(publication=publication, number=454)
    sha256 = issue.printed_pdf_sha256
    result = archive_import_file(content=export_with_title(issue, "更正后的标题"), name="454.json",
                                 replace=True, by=people["signer"])
    assert result.ok, result.error
    issue.refresh_from_db()
    assert (issue.printed_pdf.name, issue.printed_pdf_sha256) == ("", "")
    last = issue.events.last()
    assert last.action == A.REPLACED
    assert f"原签发稿PDF（SHA-256 {sha256[:16]}…）与导入的新内容不符，已不再作为本期的签发稿" in last.note


def test_a_dry_run_of_a_pdf_keeps_no_file(people, printed_pdf, settings):
    publication, pdf = printed_pdf
    result = archive_import_file(content=pdf, name="454.pdf", by=people["signer"], dry_run=True)
    assert result.ok, result.error
    assert not Issue.objects.filter(publication=publication, number=454).exists()
    printed = Path(settings.MEDIA_ROOT) / "printed"
    assert not printed.exists() or list(printed.iterdir()) == []


def test_a_refused_pdf_import_keeps_no_file(people, printed_pdf, settings):
    publication, pdf = printed_pdf
    result = archive_import_file(content=pdf, name="454.pdf", by=people["editor"])
    assert result.error.startswith("454.pdf：2023年第454期未导入")
    printed = Path(settings.MEDIA_ROOT) / "printed"
    assert not printed.exists() or list(printed.iterdir()) == []
