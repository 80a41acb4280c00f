"""Assembling an issue: the compact list by column, dragging and stepping, one article a page."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from bulletins.rendering.html import printed_issue
from bulletins.services import article_create, article_update, issue_create
from editorial import workflow
from editorial.permissions import EDITOR_GROUP
from tests.factories import ColumnFactory, DistributionListFactory, OrganisationFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = User.objects.create_user("编辑甲", password="pw", is_staff=True, last_name="编辑甲")
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def writer():
    return User.objects.create_user("撰稿乙", password="pw", is_staff=True)


@pytest.fixture
def client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def issue(editor):
    publication = PublicationFactory()
    upper = ColumnFactory(publication=publication, name="上情下达", position=1)
    lower = ColumnFactory(publication=publication, name="经验交流", position=2)
    ColumnFactory(publication=publication, name="工作动态", position=3)
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    for column, title in [(upper, "甲"), (upper, "乙"), (lower, "丙"), (lower, "丁")]:
        article_create(issue=issue, column=column, title=title, body=f"<p>{title}的正文，共有十个字。</p>",
                       byline="某某", by=editor)
    return issue


def printed_order(issue):
    return [(column.heading, [a.title for a in column.articles]) for column in printed_issue(issue).columns]


def arrange(client, issue, titles_and_columns):
    articles = {a.title: a.pk for a in issue.articles.all()}
    columns = {c.name: c.pk for c in issue.publication.columns.all()}
    body = {"arrangement": [[articles[t], columns[c]] for t, c in titles_and_columns]}
    return client.post(reverse("editorial:issue_arrange", args=[issue.pk]), json.dumps(body),
                       content_type="application/json")


def test_the_issue_page_lists_articles_by_column_with_length_and_last_editor(client, issue):
    page = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    page = page[page.index('id="assembly"'):]
    assert page.index("【上情下达】") < page.index(">甲<") < page.index(">乙<") < page.index("【经验交流】")
    assert "某某 · 9 字 · 编辑甲" in page
    assert "【工作动态】" in page  # an empty column, to add articles under
    add_url = reverse("admin:bulletins_article_add") + f"?issue={issue.pk}&amp;column="
    assert page.count(add_url) == 3
    assert 'aria-label="上移《乙》"' in page and 'aria-label="下移《甲》"' in page
    assert "ck-editor" not in page and "django_ckeditor_5" not in page


def test_dragging_within_and_across_columns_persists_and_the_toc_follows(client, issue):
    response = arrange(client, issue, [("乙", "上情下达"), ("丁", "上情下达"), ("甲", "上情下达"),
                                       ("丙", "经验交流")])
    assert response.status_code == 200, response.content
    assert printed_order(issue) == [("【上情下达】", ["乙", "丁", "甲"]), ("【经验交流】", ["丙"])]
    arrange(client, issue, [("丙", "经验交流"), ("乙", "上情下达"), ("丁", "上情下达"), ("甲", "工作动态")])
    assert printed_order(issue) == [("【经验交流】", ["丙"]), ("【上情下达】", ["乙", "丁"]),
                                    ("【工作动态】", ["甲"])]


def test_moving_articles_leaves_their_versions_and_last_editors_alone(client, issue, writer):
    """Two people, two articles: a move by one never refuses the other's save."""
    article = issue.articles.get(title="甲")
    article_update(article=article, by=writer, body="<p>撰稿人改过。</p>")
    before = {a.title: (a.version, a.updated_by_id, a.updated_at) for a in issue.articles.all()}
    opened = client.get(reverse("admin:bulletins_article_change", args=[article.pk]))
    expected_version = opened.context["adminform"].form["expected_version"].value()

    arrange(client, issue, [("乙", "上情下达"), ("丁", "上情下达"), ("甲", "经验交流"),
                            ("丙", "经验交流")])
    client.post(reverse("editorial:article_move", args=[issue.pk, article.pk, "down"]))

    assert {a.title: (a.version, a.updated_by_id, a.updated_at) for a in issue.articles.all()} == before
    saved = client.post(reverse("admin:bulletins_article_change", args=[article.pk]), {
        "column": issue.publication.columns.get(name="经验交流").pk, "title": "甲",
        "body": "<p>编辑在移动之后保存。</p>", "expected_version": expected_version})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert issue.articles.get(title="甲").body == "<p>编辑在移动之后保存。</p>"


def test_up_and_down_move_one_step_within_the_column(client, issue):
    def move(title, direction):
        article = issue.articles.get(title=title)
        return client.post(reverse("editorial:article_move", args=[issue.pk, article.pk, direction]))

    assert move("乙", "up").status_code == 302
    assert printed_order(issue) == [("【上情下达】", ["乙", "甲"]), ("【经验交流】", ["丙", "丁"])]
    move("乙", "up")  # already first: nothing moves
    move("丙", "down")
    assert printed_order(issue) == [("【上情下达】", ["乙", "甲"]), ("【经验交流】", ["丁", "丙"])]


def test_arranging_is_refused_past_draft_and_when_articles_changed_meanwhile(client, issue, editor):
    stale = arrange(client, issue, [("甲", "上情下达"), ("乙", "上情下达"), ("丙", "经验交流")])
    assert stale.status_code == 409
    assert stale.json() == {"error": "本期的文章已被他人增加或删除，请刷新页面后再调整顺序。"}
    workflow.submit(issue=issue, by=editor)
    refused = arrange(client, issue, [("乙", "上情下达"), ("甲", "上情下达"), ("丙", "经验交流"),
                                      ("丁", "经验交流")])
    assert refused.json() == {"error": "2023年第1期当前为“送审”，内容不能修改；如需修改，须先退回草稿。"}
    page = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    assert "上移" not in page and 'draggable="true"' not in page


def test_a_new_article_joins_the_end_of_its_column(client, issue, editor):
    upper = issue.publication.columns.get(name="上情下达")
    url = reverse("admin:bulletins_article_add") + f"?issue={issue.pk}&column={upper.pk}"
    form = client.get(url).context["adminform"].form
    assert (form.initial["issue"], form.initial["column"]) == (str(issue.pk), str(upper.pk))
    response = client.post(url, {"issue": issue.pk, "column": upper.pk, "title": "戊",
                                 "body": "<p>新文章。</p>"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:bulletins_issue_change", args=[issue.pk]))
    assert printed_order(issue) == [("【上情下达】", ["甲", "乙", "戊"]), ("【经验交流】", ["丙", "丁"])]


def test_the_article_page_links_to_the_previous_and_next_articles(client, issue):
    second = issue.articles.get(title="乙")
    page = client.get(reverse("admin:bulletins_article_change", args=[second.pk])).content.decode()
    for neighbour in ("甲", "丙"):
        url = reverse("admin:bulletins_article_change", args=[issue.articles.get(title=neighbour).pk])
        assert f'href="{url}"' in page
    assert "返回本期（第2篇，共4篇）" in page


@pytest.fixture
def no_session_refresh(settings):
    """Sessions in use are saved again once a minute so that they expire when idle (3 statements a
    request, whatever the page); the counts below are those of the page itself."""
    settings.SESSION_SAVE_EVERY_REQUEST = False


@pytest.fixture
def big_issue(editor, no_session_refresh):
    publication = PublicationFactory()
    columns = [ColumnFactory(publication=publication, name=f"栏目{n}", position=n) for n in range(5)]
    dl = DistributionListFactory(publication=publication, is_default=True, role="发")
    for n in range(10):
        dl.members.create(organisation=OrganisationFactory(), position=n)
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    body = ("<p>" + "学习贯彻党的二十大精神。" * 200 + "</p>"
            "<figure class=\"table\"><table><tbody><tr><td>表</td></tr></tbody></table></figure>")
    for n in range(40):
        article_create(issue=issue, column=columns[n % 5], title=f"第{n}篇文章", body=body, by=editor)
    return issue


def test_the_issue_page_of_40_articles_answers_in_at_most_15_queries(client, big_issue,
                                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:bulletins_issue_change", args=[big_issue.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="assembly-article"') == 40


def test_the_article_page_answers_in_at_most_10_queries(client, big_issue,
                                                        django_assert_max_num_queries):
    article = big_issue.articles.order_by("position")[20]
    with django_assert_max_num_queries(10):
        assert client.get(reverse("admin:bulletins_article_change", args=[article.pk])).status_code == 200
