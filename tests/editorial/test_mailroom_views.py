import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from editorial.permissions import EDITOR_GROUP
from tests.factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return IssueFactory(year=2023, number=454, publication__short_name="简报")


@pytest.mark.parametrize(("name", "content_type", "suffix", "magic"), [
    ("editorial:mailroom_pdf", "application/pdf", "pdf", b"%PDF"),
    ("editorial:mailroom_xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", b"PK"),
])
def test_an_editor_downloads_the_sheet(client, issue, name, content_type, suffix, magic):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    response = client.get(reverse(name, args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%AE%80%E6%8A%A52023%E5%B9%B4%E7%AC%AC454%E6%9C%9F"
        f"%E5%88%86%E5%8F%91%E6%B8%85%E5%8D%95.{suffix}")
    assert response.content.startswith(magic)


def test_anonymous_users_are_sent_to_the_login(client, issue):
    response = client.get(reverse("editorial:mailroom_pdf", args=[issue.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_view_issue_permission_is_refused(client, issue):
    client.force_login(User.objects.create_user("clerk", password="pw", is_staff=True))
    assert client.get(reverse("editorial:mailroom_xlsx", args=[issue.pk])).status_code == 403


def test_unknown_issue_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("editorial:mailroom_xlsx", args=[999])).status_code == 404
