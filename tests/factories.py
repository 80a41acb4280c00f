"""factory_boy factories for the domain models."""

import datetime

import factory

from bulletins import models


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Publication

    name_prefix = "建设学习型党组织、学习型领导班子"
    name = factory.Sequence(lambda n: f"工作简报{n}")
    slug = factory.Sequence(lambda n: f"jianbao-{n}")
    issuing_office = "协调小组办公室"


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Column

    publication = factory.SubFactory(PublicationFactory)
    name = factory.Sequence(lambda n: f"栏目{n}")
    position = factory.Sequence(int)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Issue

    publication = factory.SubFactory(PublicationFactory)
    year = 2023
    number = factory.Sequence(lambda n: n + 1)
    date = factory.LazyAttribute(lambda o: datetime.date(o.year, 11, 25))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    issue = factory.SubFactory(IssueFactory)
    column = factory.SubFactory(ColumnFactory,
                                publication=factory.SelfAttribute("..issue.publication"))
    title = factory.Sequence(lambda n: f"文章标题{n}")
    body = "<p>正文。</p>"
    position = factory.Sequence(int)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"单位{n}")


class DistributionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DistributionList

    publication = factory.SubFactory(PublicationFactory)
    name = factory.Sequence(lambda n: f"名单{n}")
    role = models.Role.SEND


def print_issue(*, issue: models.Issue, by=None) -> models.Issue:
    """Bring a draft straight to 已印发 for tests that need a printed issue (no PDF is made):
    skip to 已签发, then record the printing as a user of the 编辑 group (or `by`). Printing
    needs an article: an issue without one gets one."""
    from bulletins.services.lifecycle import issue_transition

    if not issue.articles.exists():
        ArticleFactory(issue=issue, column=ColumnFactory(publication=issue.publication))
    models.Issue.objects.filter(pk=issue.pk).update(status=models.Issue.Status.SIGNED)
    issue.refresh_from_db()
    return issue_transition(verb="publish", issue=issue, by=by or _printing_editor())


def _printing_editor():
    from django.contrib.auth.models import Group, User

    from editorial.permissions import EDITOR_GROUP, ensure_role_groups

    user, created = User.objects.get_or_create(username="印发登记人", defaults={"is_staff": True})
    if created:
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


def intake_reporter(*, unit: models.Organisation, username: str, email: str = ""):
    """A 信息员 of `unit`: a staff user in the group, tied to the unit."""
    from django.contrib.auth.models import Group, User

    from intake.models import Reporter
    from intake.permissions import REPORTER_GROUP

    user = User.objects.create_user(username, password="mima-12345", is_staff=True, email=email,
                                    last_name=username)
    user.groups.add(Group.objects.get(name=REPORTER_GROUP))
    Reporter.objects.create(user=user, unit=unit)
    return user


def intake_handler(*, username: str = "caibian"):
    """An office editor who handles items: 编辑 and 信息采编."""
    from django.contrib.auth.models import Group, User

    from editorial.permissions import EDITOR_GROUP
    from intake.permissions import HANDLER_GROUP

    user = User.objects.create_user(username, password="mima-12345", is_staff=True, last_name=username)
    user.groups.add(*Group.objects.filter(name__in=[EDITOR_GROUP, HANDLER_GROUP]))
    return user
