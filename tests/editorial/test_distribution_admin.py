"""Merging organisations in the admin, and refusing stopped organisations on drafts."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bulletins.models import IssueRecipient, Organisation, Role
from bulletins.services import issue_add_recipient, issue_create
from editorial.forms import IssueRecipientForm
from tests.editorial.admin_forms import change_form_data
from tests.factories import DistributionListFactory, OrganisationFactory, PublicationFactory, print_issue

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:bulletins_organisation_changelist")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_merge_asks_which_to_keep_then_merges(client, admin_user):
    publication = PublicationFactory()
    old = OrganisationFactory(name="中央协调办")
    new = OrganisationFactory(name="中央协调小组办公室")
    dl = DistributionListFactory(publication=publication, role=Role.REPORT, is_default=True)
    dl.members.create(organisation=old, position=0)
    published = print_issue(issue=issue_create(publication=publication,
                                                 date=datetime.date(2023, 11, 25)))
    client.force_login(admin_user)
    selection = {"action": "merge_organisations", "_selected_action": [old.pk, new.pk]}

    response = client.post(CHANGELIST, selection)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/bulletins/organisation/merge_confirmation.html"
    assert "保留的单位" in response.content.decode()

    response = client.post(CHANGELIST, {**selection, "confirm_merge": "1", "target": new.pk})
    assert response.status_code == 302
    assert _messages(response) == ["已将“中央协调办”合并到“中央协调小组办公室”。"]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["中央协调小组办公室"]
    published.refresh_from_db()
    assert [str(line) for line in published.distribution_lines()] == ["报：中央协调办"]


def test_merge_without_a_choice_asks_again(client, admin_user):
    a, b = OrganisationFactory(), OrganisationFactory()
    client.force_login(admin_user)
    response = client.post(CHANGELIST, {"action": "merge_organisations",
                                        "_selected_action": [a.pk, b.pk], "confirm_merge": "1"})
    assert response.status_code == 200
    assert "请选择保留哪一个单位。" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_merge_needs_exactly_two(client, admin_user):
    organisations = [OrganisationFactory() for _ in range(3)]
    client.force_login(admin_user)
    response = client.post(CHANGELIST, {"action": "merge_organisations",
                                        "_selected_action": [o.pk for o in organisations]})
    assert response.status_code == 302
    assert _messages(response) == ["请恰好选择两个单位进行合并。"]
    assert Organisation.objects.count() == 3


def _recipient_form(issue, organisation, instance=None):
    instance = instance or IssueRecipient(issue=issue)
    return IssueRecipientForm({"role": Role.SEND, "organisation": organisation.pk},
                              instance=instance)


def test_a_stopped_organisation_cannot_be_added_to_a_draft_in_the_admin():
    draft = issue_create(publication=PublicationFactory(), date=datetime.date(2023, 11, 25))
    form = _recipient_form(draft, OrganisationFactory(name="已撤销单位", active=False))
    assert not form.is_valid()
    assert form.errors["organisation"] == ["单位“已撤销单位”已停用，不能加入尚未印发的一期。"]


def test_a_recipient_that_stopped_later_does_not_block_saving_the_issue():
    draft = issue_create(publication=PublicationFactory(), date=datetime.date(2023, 11, 25))
    organisation = OrganisationFactory(name="后来撤销的单位")
    recipient = IssueRecipient.objects.create(issue=draft, role=Role.SEND,
                                              organisation=organisation)
    organisation.active = False
    organisation.save()
    assert _recipient_form(draft, organisation, instance=recipient).is_valid()


def test_a_row_added_on_the_issue_page_comes_last(client, admin_user):
    draft = issue_create(publication=PublicationFactory(), date=datetime.date(2023, 11, 25))
    for name in ("甲单位", "乙单位"):
        issue_add_recipient(issue=draft, role=Role.SEND, organisation=OrganisationFactory(name=name))
    client.force_login(admin_user)
    url = reverse("admin:bulletins_issue_change", args=[draft.pk])
    data = change_form_data(client.get(url))
    data |= {"recipients-TOTAL_FORMS": 3, "recipients-2-role": Role.SEND, "recipients-2-position": "0",
             "recipients-2-organisation": OrganisationFactory(name="丙单位").pk}
    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert [r.organisation.name for r in draft.recipients.all()] == ["甲单位", "乙单位", "丙单位"]
