"""Sign-off renders the PDF of record first, in the render child, and only then takes the lock."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from bulletins.images import image_storage
from bulletins.models import Issue, IssueEvent
from bulletins.rendering.isolated import RenderOutOfMemory, RenderTimeout
from bulletins.services import article_create, article_update, issue_create, printing
from editorial import workflow
from editorial.permissions import EDITOR_GROUP, REVIEWER_GROUP, SIGNER_GROUP
from tests.factories import ColumnFactory, PublicationFactory

S = Issue.Status
# Room for the render child to start (Django, WeasyPrint, about 150 MB) and to print text, not
# for the 36 million pixels of a large photograph.
MEMORY_MB = 400


def make_user(name, group):
    user = User.objects.create_user(name, password="pw", is_staff=True, last_name=name)
    user.groups.set(Group.objects.filter(name=group))
    return user


@pytest.fixture
def people():
    return {"editor": make_user("编辑甲", EDITOR_GROUP), "reviewer": make_user("审核人", REVIEWER_GROUP),
            "signer": make_user("签发人", SIGNER_GROUP)}


@pytest.fixture
def approved(people):
    return approved_issue(people, body="<p>正文。</p>")


def approved_issue(people, *, body):
    publication = PublicationFactory()
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=people["editor"])
    article_create(issue=issue, column=ColumnFactory(publication=publication), title="学习贯彻会议精神",
                   body=body, by=people["editor"])
    workflow.submit(issue=issue, by=people["editor"])
    workflow.approve(issue=issue, by=people["reviewer"])
    return issue


def printed_files() -> list[str]:
    return default_storage.listdir("printed")[1] if default_storage.exists("printed") else []


class FailingRunner:
    def __init__(self, error):
        self.error = error

    def run(self, function, *args):
        raise self.error

    def close(self):
        pass


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_in_a_limited_child_before_any_transaction(approved, people, settings,
                                                                       monkeypatch):
    settings.BULLETIN_RENDER_ISOLATED = True
    settings.BULLETIN_RENDER_MEMORY_MB = 2048
    runners, in_transaction = [], []
    make_runner = printing.sign_off_runner

    def watched_runner():
        in_transaction.append(connection.in_atomic_block)
        runners.append(make_runner())
        return runners[-1]
    monkeypatch.setattr(printing, "sign_off_runner", watched_runner)

    workflow.sign_off(issue=approved, by=people["signer"])

    approved.refresh_from_db()
    assert approved.status == S.SIGNED
    with approved.printed_pdf.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    assert in_transaction == [False]
    assert runners[0].memory_mb == 2048 and runners[0].timeout == settings.BULLETIN_RENDER_TIMEOUT
    assert runners[0]._pool is None  # the child is gone once the PDF is made


@pytest.mark.django_db
@pytest.mark.parametrize(("error", "cause"), [
    (RenderOutOfMemory(3072),
     "排版所需内存超过上限（3072 MB）。多半是文章中的图片过大（像素太多），请缩小图片后再签发。"),
    (RenderTimeout(180), "排版超时：超过 180 秒仍未完成。多半是文章中的图片过大或过多，请缩小图片后再签发。"),
], ids=["memory", "time"])
def test_a_render_over_its_limits_refuses_the_sign_off_and_leaves_it_approved(
        approved, people, settings, monkeypatch, error, cause):
    settings.BULLETIN_RENDER_ISOLATED = True
    monkeypatch.setattr(printing, "sign_off_runner", lambda: FailingRunner(error))

    with pytest.raises(ValidationError) as refused:
        workflow.sign_off(issue=approved, by=people["signer"])

    assert refused.value.messages == [f"签发未完成，2023年第1期仍为“审核通过”：签发稿PDF无法生成，{cause}"]
    approved.refresh_from_db()
    assert approved.status == S.APPROVED and not approved.printed_pdf
    assert not approved.events.filter(action=IssueEvent.Action.SIGNED).exists()
    assert printed_files() == []


@pytest.mark.django_db
def test_a_new_revision_while_rendering_refuses_the_sign_off(approved, people, monkeypatch):
    """Returned, edited and approved again while the PDF was made: the PDF shows the old text."""
    render = printing._render_in_limits

    def meanwhile(printed, html):
        pdf = render(printed, html)
        workflow.return_for_changes(issue=approved, by=people["signer"], reason="再改一处")
        article_update(article=approved.articles.get(), by=people["editor"], body="<p>改过的正文。</p>")
        workflow.submit(issue=approved, by=people["editor"])
        workflow.approve(issue=approved, by=people["reviewer"])
        return pdf
    monkeypatch.setattr(printing, "_render_in_limits", meanwhile)

    with pytest.raises(ValidationError) as refused:
        workflow.sign_off(issue=approved, by=people["signer"])

    assert refused.value.messages == [
        "签发未完成：2023年第1期的内容在此期间有了新的版本，请查看后重新签发。"]
    approved.refresh_from_db()
    assert approved.status == S.APPROVED and not approved.printed_pdf
    assert printed_files() == []


@pytest.mark.django_db
def test_the_second_of_two_signers_is_told_it_is_signed(approved, people):
    workflow.sign_off(issue=approved, by=people["signer"])
    with pytest.raises(ValidationError) as refused:
        workflow.sign_off(issue=approved, by=make_user("签发人乙", SIGNER_GROUP))
    assert refused.value.messages == ["2023年第1期当前为“已签发”，不能签发。"]
    # One PDF of record and its one 签发单.
    assert sorted("-sheet-" in name for name in printed_files()) == [False, True]


def _oversized_png() -> bytes:
    """A photograph's worth of pixels (36 million, under IMAGE_MAX_PIXELS) in a small file."""
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 6000), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_image_too_large_to_print_in_the_limits_refuses_the_sign_off_in_a_real_child(
        people, settings, monkeypatch):
    """No stand-in runner: the render child is spawned with the limits, and runs out of them."""
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the child reads the environment
    settings.BULLETIN_RENDER_ISOLATED = True
    settings.BULLETIN_RENDER_MEMORY_MB = MEMORY_MB
    settings.BULLETIN_RENDER_TIMEOUT = 20
    name = image_storage().save("article-images/大图.png", ContentFile(_oversized_png()))
    approved = approved_issue(people, body=f'<p>图片：</p><p><img src="{settings.MEDIA_URL}{name}"></p>')
    assert name in approved.articles.get().body  # the image survives the sanitiser

    with pytest.raises(ValidationError) as refused:
        workflow.sign_off(issue=approved, by=people["signer"])

    assert refused.value.messages == [
        f"签发未完成，2023年第1期仍为“审核通过”：签发稿PDF无法生成，排版所需内存超过上限（{MEMORY_MB} MB）。"
        "多半是文章中的图片过大（像素太多），请缩小图片后再签发。"]
    approved.refresh_from_db()
    assert approved.status == S.APPROVED and not approved.printed_pdf
    assert not approved.events.filter(action=IssueEvent.Action.SIGNED).exists()
    assert printed_files() == []
