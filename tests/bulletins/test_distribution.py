"""The directory, distribution lists, per-issue distribution, print runs and merging."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.models import DistributionListMember, Issue, IssueRecipient, Organisation, Role
from bulletins.services import (
    issue_add_recipient,
    issue_create,
    issue_freeze_distribution,
    organisation_merge,
)
from tests.factories import DistributionListFactory, OrganisationFactory, PublicationFactory, print_issue

pytestmark = pytest.mark.django_db

DATE = datetime.date(2023, 11, 25)


def _list(publication, role, members, *, name=None, is_default=True, position=0):
    dl = DistributionListFactory(publication=publication, role=role, is_default=is_default,
                                 position=position, name=name or f"{role}名单{position}")
    for i, member in enumerate(members):
        organisation = member if isinstance(member, Organisation) else OrganisationFactory(
            name=member[0], copies=member[1])
        dl.members.create(organisation=organisation, position=i)
    return dl


def _lines(issue):
    return [str(line) for line in issue.distribution_lines()]


# Print runs


def test_print_run_is_the_sum_of_copies_plus_the_reserve():
    publication = PublicationFactory(print_run_reserve=20)
    _list(publication, Role.REPORT, [("中央协调办", 2), ("中宣部理论局", 3)])
    _list(publication, Role.ISSUE, [("各设区市委宣传部", 13)], position=1)
    issue = issue_create(publication=publication, date=DATE)
    assert issue.computed_print_run() == 2 + 3 + 13 + 20
    assert issue.effective_print_run == 38


def test_an_organisation_in_two_lists_is_counted_once():
    publication = PublicationFactory()
    shared = OrganisationFactory(name="省委党校", copies=5)
    _list(publication, Role.SEND, [shared, ("省社科院", 1)])
    _list(publication, Role.ISSUE, [shared], position=1)
    issue = issue_create(publication=publication, date=DATE)
    assert issue.computed_print_run() == 6


def test_inactive_members_neither_print_nor_count():
    publication = PublicationFactory()
    gone = OrganisationFactory(name="已撤销单位", copies=10, active=False)
    _list(publication, Role.SEND, [("省社科院", 2), gone])
    issue = issue_create(publication=publication, date=DATE)
    assert _lines(issue) == ["送：省社科院"]
    assert issue.computed_print_run() == 2


def test_print_run_set_by_hand_overrides_the_computed_one():
    publication = PublicationFactory(print_run_reserve=5)
    _list(publication, Role.SEND, [("省社科院", 2)])
    issue = issue_create(publication=publication, date=DATE, print_run=2000)
    assert issue.computed_print_run() == 7
    assert issue.effective_print_run == 2000


def test_without_recipients_the_publication_default_print_run_applies():
    publication = PublicationFactory(default_print_run=300, print_run_reserve=5)
    issue = issue_create(publication=publication, date=DATE)
    assert issue.computed_print_run() == 300


# Defaults and per-issue adjustments


def test_a_new_issue_starts_from_the_default_lists_in_their_order():
    publication = PublicationFactory()
    issue_list = _list(publication, Role.ISSUE, [("各设区市委宣传部", 1)], position=2)
    report_list = _list(publication, Role.REPORT, [("中央协调办", 1)], position=1)
    _list(publication, Role.SEND, [("省社科院", 1)], position=3, is_default=False)
    issue = issue_create(publication=publication, date=DATE)
    assert [r.distribution_list for r in issue.recipients.all()] == [report_list, issue_list]
    assert _lines(issue) == ["报：中央协调办", "发：各设区市委宣传部"]


def test_adding_and_removing_lists_organisations_and_one_off_recipients():
    publication = PublicationFactory()
    _list(publication, Role.SEND, [("省协调小组成员单位", 1)])
    extra_list = _list(publication, Role.REPORT, [("中央协调办", 1)], is_default=False,
                       position=1)
    issue = issue_create(publication=publication, date=DATE)

    issue_add_recipient(issue=issue, role=Role.REPORT, distribution_list=extra_list)
    school = issue_add_recipient(issue=issue, role=Role.SEND,
                                 organisation=OrganisationFactory(name="省委党校", copies=3))
    issue_add_recipient(issue=issue, role=Role.ISSUE, is_addition=True,
                        organisation=OrganisationFactory(name="省社科院", copies=2))
    assert _lines(issue) == [
        "报：中央协调办",
        "送：省协调小组成员单位、省委党校",
        "本期增发：省社科院",
    ]
    assert issue.computed_print_run() == 1 + 1 + 3 + 2

    school.delete()
    issue.recipients.filter(distribution_list=extra_list).delete()
    assert _lines(issue) == ["送：省协调小组成员单位", "本期增发：省社科院"]
    assert issue.computed_print_run() == 3


def test_a_list_of_another_publication_is_refused():
    issue = issue_create(publication=PublicationFactory(), date=DATE)
    foreign = DistributionListFactory()
    with pytest.raises(ValidationError) as error:
        issue_add_recipient(issue=issue, role=Role.SEND, distribution_list=foreign)
    assert error.value.message_dict == {"distribution_list": ["该分发名单不属于本期的刊物。"]}


def test_an_inactive_organisation_cannot_be_added_to_a_draft():
    issue = issue_create(publication=PublicationFactory(), date=DATE)
    gone = OrganisationFactory(name="已撤销单位", active=False)
    with pytest.raises(ValidationError) as error:
        issue_add_recipient(issue=issue, role=Role.SEND, organisation=gone)
    assert error.value.message_dict == {
        "organisation": ["单位“已撤销单位”已停用，不能加入尚未印发的一期。"]}
    assert not issue.recipients.exists()


# History


def test_published_lines_and_print_run_survive_every_directory_edit():
    publication = PublicationFactory(print_run_reserve=10)
    dl = _list(publication, Role.REPORT, [("中央协调办", 2), ("中宣部理论局", 3)])
    issue = print_issue(issue=issue_create(publication=publication, date=DATE))
    assert (_lines(issue), issue.print_run) == (["报：中央协调办、中宣部理论局"], 15)

    first, second = dl.member_organisations()
    first.name, first.copies = "中央协调小组办公室", 40
    first.save()
    second.active = False
    second.save()
    dl.members.create(organisation=OrganisationFactory(name="新单位"), position=9)
    dl.role = Role.SEND
    dl.save()

    issue.refresh_from_db()
    assert _lines(issue) == ["报：中央协调办、中宣部理论局"]
    assert issue.effective_print_run == 15
    draft = issue_create(publication=publication, date=DATE)
    assert _lines(draft) == ["送：中央协调小组办公室、新单位"]


def test_freezing_loads_the_recipients_once_for_the_lines_and_the_print_run(django_assert_num_queries):
    publication = PublicationFactory(print_run_reserve=10)
    _list(publication, Role.REPORT, [("中央协调办", 2), ("中宣部理论局", 3)])
    created = issue_create(publication=publication, date=DATE)
    issue = Issue.objects.select_related("publication").get(pk=created.pk)
    with CaptureQueriesContext(connection) as loading:
        issue.loaded_recipients()
    with django_assert_num_queries(len(loading) + 3):  # and the savepoint, the update, its release
        issue_freeze_distribution(issue=issue)
    issue.refresh_from_db()
    assert (issue.printed_distribution, issue.print_run) == ([["报", "中央协调办、中宣部理论局"]], 15)


# Merging organisations


@pytest.fixture
def duplicated():
    """Two entries for one unit: the published issue used the old one; a draft uses both."""
    publication = PublicationFactory()
    old = OrganisationFactory(name="中央协调办", copies=2, address="北京市西长安街5号")
    new = OrganisationFactory(name="中央协调小组办公室", copies=3)
    dl = _list(publication, Role.REPORT, [old, ("中宣部理论局", 1)])
    published = issue_create(publication=publication, date=DATE)
    published.status = Issue.Status.PUBLISHED  # e.g. imported history, never frozen
    published.save()
    frozen = print_issue(issue=issue_create(publication=publication, date=DATE))
    dl.members.create(organisation=new, position=5)
    draft = issue_create(publication=publication, date=DATE)
    issue_add_recipient(issue=draft, role=Role.SEND, organisation=old)
    return {"old": old, "new": new, "list": dl, "published": published, "frozen": frozen,
            "draft": draft}


def test_merge_keeps_the_printed_lines_of_published_issues(duplicated):
    before = {key: (_lines(duplicated[key]), duplicated[key].effective_print_run)
              for key in ("published", "frozen")}
    assert before["published"] == (["报：中央协调办、中宣部理论局、中央协调小组办公室"], 6)
    assert before["frozen"] == (["报：中央协调办、中宣部理论局"], 3)

    organisation_merge(source=duplicated["old"], target=duplicated["new"])

    for key in ("published", "frozen"):
        issue = Issue.objects.get(pk=duplicated[key].pk)
        assert (_lines(issue), issue.effective_print_run) == before[key]


def test_merge_prints_the_targets_name_in_drafts_and_dedupes_lists(duplicated):
    assert _lines(duplicated["draft"]) == [
        "报：中央协调办、中宣部理论局、中央协调小组办公室", "送：中央协调办"]

    target = organisation_merge(source=duplicated["old"], target=duplicated["new"])

    assert _lines(duplicated["draft"]) == ["报：中央协调小组办公室、中宣部理论局",
                                           "送：中央协调小组办公室"]
    assert duplicated["list"].member_organisations()[0] == target
    assert DistributionListMember.objects.filter(organisation=target).count() == 1
    assert IssueRecipient.objects.filter(organisation=target).count() == 1
    assert not Organisation.objects.filter(name="中央协调办").exists()
    target.refresh_from_db()
    assert (target.copies, target.address) == (3, "北京市西长安街5号")


def test_merging_an_organisation_with_itself_is_refused():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        organisation_merge(source=organisation, target=organisation)
    assert error.value.messages == ["不能把一个单位与它自己合并。"]
