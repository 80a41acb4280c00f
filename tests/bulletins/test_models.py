import datetime

import pytest
from django.core.exceptions import ValidationError

from bulletins.models import Issue, IssueRecipient, Publication, Role
from bulletins.services import article_create, issue_create
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


def test_duplicate_issue_number_is_refused_in_chinese():
    issue = IssueFactory(year=2023, number=454)
    duplicate = Issue(publication=issue.publication, year=2023, number=454,
                      date=datetime.date(2023, 12, 1))
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["该刊物本年度已有相同期号的一期。"]


def test_duplicate_total_number_is_refused_in_chinese():
    publication = PublicationFactory(has_total_number=True)
    IssueFactory(publication=publication, number=8, total_number=452)
    duplicate = Issue(publication=publication, year=2023, number=9, total_number=452,
                      date=datetime.date(2023, 9, 20))
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["该刊物已有相同总期号的一期。"]


def test_continuous_numbering_refuses_a_number_used_in_another_year():
    publication = PublicationFactory(numbering=Publication.Numbering.CONTINUOUS)
    IssueFactory(publication=publication, year=2022, number=433)
    duplicate = Issue(publication=publication, year=2023, number=433,
                      date=datetime.date(2023, 1, 2))
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict == {"number": ["该刊物连续编号，已有相同期号的一期。"]}


def test_article_under_another_publications_column_is_refused():
    issue = IssueFactory()
    foreign_column = ColumnFactory()
    with pytest.raises(ValidationError) as error:
        article_create(issue=issue, column=foreign_column, title="标题")
    assert error.value.message_dict == {"column": ["所选栏目不属于本期的刊物。"]}
    assert not issue.articles.exists()


def test_next_number_resets_each_year_for_per_year_publications():
    publication = PublicationFactory(numbering=Publication.Numbering.PER_YEAR,
                                     has_total_number=True, total_number_offset=444)
    assert publication.next_issue_numbers(year=2023) == (1, 445)
    issue_create(publication=publication, date=datetime.date(2023, 9, 20), number=9)
    assert publication.next_issue_numbers(year=2023) == (10, 446)
    assert publication.next_issue_numbers(year=2024) == (1, 446)


def test_next_number_continues_across_years_for_continuous_publications():
    publication = PublicationFactory(numbering=Publication.Numbering.CONTINUOUS)
    issue_create(publication=publication, date=datetime.date(2023, 11, 25), number=454)
    issue = issue_create(publication=publication, date=datetime.date(2024, 1, 10))
    assert (issue.year, issue.number, issue.total_number) == (2024, 455, None)


def test_special_issues_have_their_own_sequence():
    publication = PublicationFactory(has_total_number=True, total_number_offset=100)
    issue_create(publication=publication, date=datetime.date(2023, 3, 1))
    special = issue_create(publication=publication, date=datetime.date(2023, 4, 1),
                           is_special=True)
    regular = issue_create(publication=publication, date=datetime.date(2023, 5, 1))
    assert (special.number, special.total_number) == (1, None)
    assert (regular.number, regular.total_number) == (2, 102)


def _lists(publication, **lists):
    for position, (role, names) in enumerate(lists.items()):
        dl = DistributionListFactory(publication=publication, role=Role(role), position=position,
                                     is_default=True, name=f"默认{role}")
        for i, name in enumerate(names):
            dl.members.create(organisation=OrganisationFactory(name=name), position=i)


def test_distribution_lines_for_report_send_and_issue():
    publication = PublicationFactory()
    _lists(publication, **{
        "报": ["中央协调办", "中宣部理论局", "中组部干部局"],
        "送": ["省协调小组成员单位", "省级机关各部委办厅局"],
        "发": ["各设区市委宣传部、组织部"],
    })
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25))
    assert [str(line) for line in issue.distribution_lines()] == [
        "报：中央协调办、中宣部理论局、中组部干部局",
        "送：省协调小组成员单位、省级机关各部委办厅局",
        "发：各设区市委宣传部、组织部",
    ]


def test_distribution_lines_without_report_print_no_report_line():
    publication = PublicationFactory()
    _lists(publication, **{"送": ["省级机关各部委办厅局"], "发": ["各市委宣传部、组织部"]})
    issue = issue_create(publication=publication, date=datetime.date(2020, 2, 25))
    assert [str(line) for line in issue.distribution_lines()] == [
        "送：省级机关各部委办厅局",
        "发：各市委宣传部、组织部",
    ]


def test_single_organisations_and_one_off_additions_follow_the_lists():
    publication = PublicationFactory()
    _lists(publication, **{"发": ["各设区市委宣传部"]})
    issue = issue_create(publication=publication, date=datetime.date(2023, 1, 28))
    IssueRecipient.objects.create(issue=issue, role=Role.ISSUE, position=5,
                                  organisation=OrganisationFactory(name="省委党校"))
    IssueRecipient.objects.create(issue=issue, role=Role.SEND, position=6, is_addition=True,
                                  organisation=OrganisationFactory(name="省社科院"))
    assert [str(line) for line in issue.distribution_lines()] == [
        "发：各设区市委宣传部、省委党校",
        "本期增发：省社科院",
    ]


def test_published_issue_keeps_its_printed_lines_after_directory_edits():
    publication = PublicationFactory()
    _lists(publication, **{"报": ["中央协调办"]})
    issue = print_issue(issue=issue_create(publication=publication,
                                             date=datetime.date(2023, 1, 28)))
    organisation = publication.distribution_lists.get().organisations.get()
    organisation.name = "中央协调小组办公室"
    organisation.save()
    issue.refresh_from_db()
    assert [str(line) for line in issue.distribution_lines()] == ["报：中央协调办"]


def test_article_body_is_sanitised_when_stored():
    article = ArticleFactory(body='<p onclick="x()">字<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>字</p>"


def test_printed_line_splits_into_unit_names_exactly_as_printed():
    from bulletins.services import distribution_split

    line = ("各市、县（市、区）委书记、中心组学习秘书；各市委讲师团、华北油田公司党委讲师团；"
            "省直各厅、局、委、办主要领导、机关党委")
    names = distribution_split(line)
    assert names == ["各市", "县（市、区）委书记", "中心组学习秘书", "各市委讲师团",
                     "华北油田公司党委讲师团", "省直各厅、局、委、办主要领导", "机关党委"]
    assert all(name in line for name in names)


def test_a_leap_day_in_another_year_is_refused_with_its_message():
    publication = PublicationFactory()
    with pytest.raises(ValidationError) as refusal:
        issue_create(publication=publication, date=datetime.date(2024, 2, 29), year=2023)
    assert refusal.value.message_dict["date"] == ["签发日期须在本期所属年份之内。"]
    assert not Issue.objects.exists()
