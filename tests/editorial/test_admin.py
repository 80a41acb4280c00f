import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Article, Issue
from bulletins.services import issue_create
from editorial.permissions import EDITOR_GROUP
from tests.editorial.admin_forms import change_form_data
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    DistributionListFactory,
    IssueFactory,
    OrganisationFactory,
    PublicationFactory,
    print_issue,
)

pytestmark = pytest.mark.django_db

MODELS = ["publication", "column", "issue", "article", "organisation", "distributionlist"]
REGISTERED = ["publication", "issue", "article", "organisation", "distributionlist"]


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def objects():
    article = ArticleFactory()
    return {
        "publication": article.issue.publication,
        "issue": article.issue,
        "article": article,
        "organisation": OrganisationFactory(),
        "distributionlist": DistributionListFactory(publication=article.issue.publication),
    }


def _pages(objects):
    for model in REGISTERED:
        yield reverse(f"admin:bulletins_{model}_changelist")
        yield reverse(f"admin:bulletins_{model}_change", args=[objects[model].pk])


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_every_admin_page_answers(client, admin_user, editor, objects, role):
    client.force_login(admin_user if role == "superuser" else editor)
    for url in _pages(objects):
        assert client.get(url).status_code == 200, url
    for model in REGISTERED:
        url = reverse(f"admin:bulletins_{model}_add")
        expected = 403 if role == "editor" and model == "publication" else 200
        assert client.get(url).status_code == expected, url


def test_editor_group_is_not_superuser_and_can_assemble_issues(editor):
    assert not editor.is_superuser
    for codename in ("add_issue", "change_issue", "add_article", "change_article",
                     "view_organisation", "add_issuerecipient"):
        assert editor.has_perm(f"bulletins.{codename}"), codename
    assert not editor.has_perm("bulletins.delete_publication")
    assert not editor.has_perm("auth.add_user")


def test_add_issue_proposes_next_numbers(client, admin_user):
    publication = PublicationFactory(has_total_number=True, total_number_offset=444)
    IssueFactory(publication=publication, year=timezone.localdate().year, number=8,
                 total_number=452)
    client.force_login(admin_user)
    response = client.get(reverse("admin:bulletins_issue_add") + f"?publication={publication.pk}")
    form = response.context["adminform"].form
    assert form.initial["number"] == 9
    assert form.initial["total_number"] == 453


def test_add_issue_with_blank_number_takes_the_next_one(client, admin_user):
    publication = PublicationFactory()
    IssueFactory(publication=publication, year=2023, number=4)
    client.force_login(admin_user)
    response = client.post(reverse("admin:bulletins_issue_add"), {
        "publication": publication.pk, "year": "", "number": "", "total_number": "",
        "date": "2023-11-25", "editor_note": "", "print_run": "",
    })
    issue = Issue.objects.get(publication=publication, number=5)
    assert response.status_code == 302
    assert response.url == reverse("admin:bulletins_issue_change", args=[issue.pk])
    assert issue.year == 2023


def test_duplicate_number_in_admin_shows_chinese_error(client, admin_user):
    issue = IssueFactory(year=2023, number=454)
    client.force_login(admin_user)
    response = client.post(reverse("admin:bulletins_issue_add"), {
        "publication": issue.publication.pk, "year": "2023", "number": "454",
        "total_number": "", "date": "2023-11-25", "editor_note": "", "print_run": "",
    })
    assert response.status_code == 200
    assert "该刊物本年度已有相同期号的一期。" in response.content.decode()


def test_article_under_foreign_column_is_refused_at_the_field(client, admin_user):
    article = ArticleFactory()
    foreign = ColumnFactory()
    client.force_login(admin_user)
    url = reverse("admin:bulletins_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data["column"] = foreign.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert Article.objects.get().column == article.column


def test_reordering_columns_persists(client, admin_user):
    publication = PublicationFactory()
    a = ColumnFactory(publication=publication, name="上情下达", position=1)
    b = ColumnFactory(publication=publication, name="经验交流", position=2)
    client.force_login(admin_user)
    data = {
        "name_prefix": publication.name_prefix, "name": publication.name, "short_name": "",
        "slug": publication.slug, "marking": "", "issuing_office": publication.issuing_office,
        "numbering": publication.numbering, "total_number_offset": 0,
        "prints_toc": "on", "column_decoration": publication.column_decoration,
        "print_run_reserve": 0, "editorial_block": "", "double_sided": "on",
        "columns-TOTAL_FORMS": 2, "columns-INITIAL_FORMS": 2, "columns-MIN_NUM_FORMS": 0,
        "columns-MAX_NUM_FORMS": 1000,
        "columns-0-id": a.pk, "columns-0-publication": publication.pk, "columns-0-name": a.name,
        "columns-0-position": 2, "columns-0-active": "on",
        "columns-1-id": b.pk, "columns-1-publication": publication.pk, "columns-1-name": b.name,
        "columns-1-position": 1, "columns-1-active": "on",
    }
    response = client.post(reverse("admin:bulletins_publication_change", args=[publication.pk]),
                           data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(publication.columns.order_by("position").values_list("name", flat=True)) == [
        "经验交流", "上情下达"]


def test_published_issue_shows_its_frozen_distribution_read_only(client, admin_user):
    publication = PublicationFactory()
    dl = DistributionListFactory(publication=publication, is_default=True, role="报")
    dl.members.create(organisation=OrganisationFactory(name="中央协调办"), position=0)
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25))
    print_issue(issue=issue)
    client.force_login(admin_user)
    response = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk]))
    page = response.content.decode()
    assert "报：中央协调办" in page
    assert "本期已印发，版记按印发时固定，不随名录变动。" in page
    assert 'name="recipients-0-role"' not in page
    assert 'name="print_run"' not in page


