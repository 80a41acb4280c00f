"""Proofreading with the database: issues, dismissals, fixes, the wording list and the command."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.formats.base_formats import CSV, XLSX

from bulletins.models import Article, Issue, ProofreadingDismissal, WordingRule
from bulletins.proofreading import issue_finding_count, proofread_article, proofread_issue
from bulletins.resources import WordingRuleResource, result_errors
from bulletins.services import (
    ALREADY_DISMISSED_MESSAGE,
    FINDING_GONE_MESSAGE,
    NOT_EDITABLE_MESSAGE,
    NOT_FIXABLE_MESSAGE,
    REASON_REQUIRED_MESSAGE,
    article_proofreading_fix,
    article_proofreading_fix_all,
    issue_proofreading_fix_all,
    proofreading_dismissal_remove,
    proofreading_finding_dismiss,
    wording_rule_add,
    wording_rule_remove,
    wording_rule_update,
)
from tests.factories import ArticleFactory, IssueFactory, OrganisationFactory, PublicationFactory, print_issue

pytestmark = pytest.mark.django_db

BODY = ("<h2>一、总体要求</h2><p>我们要加强学习,提高本领。今后要<strong>继续</strong>努力。。</p>"
        "<p>市委中心组成員参加，详见https://www.gov.cn/a,b.html。</p><h2>三、保障措施</h2>")


@pytest.fixture
def editor():
    return User.objects.create_user("editor", password="pw", is_staff=True)


@pytest.fixture
def article():
    return ArticleFactory(title="加强学习 提高本领", body=BODY,
                          issue=IssueFactory(editor_note="编者按:请阅。"))


def _marks(result):
    return [(f.code, f.article_title, f.location, f.marked) for f in result.findings]


def test_issue_findings_in_print_order_with_the_issues_own_text(article):
    second = ArticleFactory(issue=article.issue, title="第二篇", body="<p>正文 内容。</p>")
    assert _marks(proofread_issue(article.issue)) == [
        ("punct-halfwidth", "本期", "编者按第1段", ":"),
        ("punct-halfwidth", "加强学习 提高本领", "正文第2段", ","),
        ("punct-repeated", "加强学习 提高本领", "正文第2段", "。。"),
        ("traditional-char", "加强学习 提高本领", "正文第3段", "員"),
        ("heading-sequence", "加强学习 提高本领", "正文第4段", "三、"),
        ("space-in-text", second.title, "正文第1段", " "),
    ]
    assert issue_finding_count(article.issue) == 6
    assert proofread_issue(article.issue).summary() == "校对发现 6 处问题（错误 6 处，提示 0 处）。"


def test_issue_proofreading_reads_a_fixed_number_of_queries(article):
    ArticleFactory.create_batch(5, issue=article.issue, body=BODY)
    with CaptureQueriesContext(connection) as queries:
        proofread_issue(article.issue)
    # wording list, recipients (版记), articles with columns, dismissals (the issue and its
    # publication are already loaded)
    assert len(queries) == 4


def test_characters_no_font_has_are_listed_with_their_article(article, settings):
    ArticleFactory(issue=article.issue, title="生僻字", body="<p>\U000F0001和\U000F0001，\U000F0002。</p>")
    findings = [f for f in proofread_issue(article.issue).findings if f.code == "unprintable-char"]
    assert [(f.article_title, f.marked, f.message) for f in findings] == [
        ("生僻字", "\U000F0001",
         "字符“\U000F0001”（U+F0001）在已配置的字体中都没有字形，无法印刷。本文共2处。"),
        ("生僻字", "\U000F0002", "字符“\U000F0002”（U+F0002）在已配置的字体中都没有字形，无法印刷。"),
    ]


# --- fixes -------------------------------------------------------------------------------


def _finding(article, code):
    return next(f for f in proofread_article(article).findings if f.code == code)


def test_a_fix_changes_exactly_that_spot_and_is_a_normal_change(article, editor):
    finding = _finding(article, "punct-halfwidth")
    article_proofreading_fix(article=article, token=finding.token, by=editor)
    article.refresh_from_db()
    assert article.body == BODY.replace("学习,提高", "学习，提高")
    assert (article.version, article.updated_by) == (2, editor)
    assert "punct-halfwidth" not in [f.code for f in proofread_article(article).findings]


def test_a_fix_of_a_repeated_mark_keeps_the_markup(article, editor):
    article_proofreading_fix(article=article, token=_finding(article, "punct-repeated").token, by=editor)
    article.refresh_from_db()
    assert article.body == BODY.replace("努力。。", "努力。")


def test_fix_all_applies_every_safe_fix_in_one_change(article, editor):
    assert article_proofreading_fix_all(article=article, by=editor) == 3
    article.refresh_from_db()
    assert article.body == (BODY.replace("学习,提高", "学习，提高").replace("努力。。", "努力。")
                            .replace("成員", "成员"))
    assert article.version == 2
    # What needs the editor's judgement stays: the skipped heading number.
    assert [f.code for f in proofread_article(article).findings] == ["heading-sequence"]


def test_issue_fix_all_saves_each_article_once(article, editor):
    other = ArticleFactory(issue=article.issue, body="<p>正文 内容,完。</p>")
    quiet = ArticleFactory(issue=article.issue, body="<p>正文。</p>")
    assert issue_proofreading_fix_all(issue=article.issue, by=editor) == 5
    assert [Article.objects.get(pk=a.pk).version for a in (article, other, quiet)] == [2, 2, 1]
    assert Article.objects.get(pk=other.pk).body == "<p>正文内容，完。</p>"


def test_a_fix_that_is_no_longer_there_is_refused(article, editor):
    token = _finding(article, "punct-halfwidth").token
    Article.objects.filter(pk=article.pk).update(body=BODY.replace(",", "，"))
    article.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        article_proofreading_fix(article=article, token=token, by=editor)
    assert error.value.messages == [FINDING_GONE_MESSAGE]


def test_a_finding_without_a_single_answer_cannot_be_fixed(article, editor):
    with pytest.raises(ValidationError) as error:
        article_proofreading_fix(article=article, token=_finding(article, "heading-sequence").token,
                                 by=editor)
    assert error.value.messages == [NOT_FIXABLE_MESSAGE]


def test_fixes_only_in_a_draft(article, editor):
    print_issue(issue=article.issue)
    article.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        article_proofreading_fix_all(article=article, by=editor)
    label = f"2023年第{article.issue.number}期"
    assert error.value.messages == [NOT_EDITABLE_MESSAGE.format(issue=label, status="已印发")]
    assert Article.objects.get(pk=article.pk).body == BODY


# --- dismissals --------------------------------------------------------------------------


def test_a_dismissal_persists_across_edits_elsewhere(article, editor):
    finding = _finding(article, "traditional-char")
    dismissal = proofreading_finding_dismiss(issue=article.issue, article=article, key=finding.key,
                                             reason="人名用字，原文如此", by=editor)
    assert (dismissal.code, dismissal.excerpt, dismissal.message, dismissal.dismissed_by) == (
        "traditional-char", "市委中心组成▶員◀参加，详见https:/…", "“員”是繁体字，应为“员”。", editor)
    # An edit in another paragraph: the finding stays dismissed.
    article.body = article.body.replace("一、总体要求", "一、总的要求")
    article.save()
    result = proofread_article(Article.objects.get(pk=article.pk))
    assert "traditional-char" not in [f.code for f in result.findings]
    assert [(f.marked, d.reason) for f, d in result.dismissed] == [("員", "人名用字，原文如此")]
    # Undoing the dismissal lists it again.
    proofreading_dismissal_remove(dismissal=dismissal)
    assert "traditional-char" in [f.code for f in proofread_article(article).findings]


def test_a_dismissal_is_for_that_article_only(article, editor):
    other = ArticleFactory(issue=article.issue, body=BODY)
    finding = _finding(article, "traditional-char")
    proofreading_finding_dismiss(issue=article.issue, article=article, key=finding.key, reason="原文如此",
                                 by=editor)
    assert _finding(other, "traditional-char").key == finding.key
    assert [f.article_id for f in proofread_issue(article.issue).findings
            if f.code == "traditional-char"] == [other.pk]


def test_a_dismissal_of_the_issues_own_text(article, editor):
    finding = next(f for f in proofread_issue(article.issue).findings if f.article_id is None)
    proofreading_finding_dismiss(issue=article.issue, article=None, key=finding.key, reason="照录来文",
                                 by=editor)
    assert [f.article_id for f in proofread_issue(article.issue).findings].count(None) == 0
    assert ProofreadingDismissal.objects.get().article is None


def test_a_dismissal_needs_a_reason_and_happens_once(article, editor):
    key = _finding(article, "traditional-char").key
    with pytest.raises(ValidationError) as error:
        proofreading_finding_dismiss(issue=article.issue, article=article, key=key, reason="  ", by=editor)
    assert error.value.messages == [REASON_REQUIRED_MESSAGE]
    proofreading_finding_dismiss(issue=article.issue, article=article, key=key, reason="原文如此", by=editor)
    with pytest.raises(ValidationError) as error:
        proofreading_finding_dismiss(issue=article.issue, article=article, key=key, reason="再次", by=editor)
    assert error.value.messages == [ALREADY_DISMISSED_MESSAGE]
    with pytest.raises(ValidationError) as error:
        proofreading_finding_dismiss(issue=article.issue, article=article, key="0" * 32, reason="无",
                                     by=editor)
    assert error.value.messages == [FINDING_GONE_MESSAGE]


def test_dismissals_are_allowed_after_submission(article, editor):
    Issue.objects.filter(pk=article.issue_id).update(status=Issue.Status.SUBMITTED)
    article.refresh_from_db()
    key = _finding(article, "traditional-char").key
    proofreading_finding_dismiss(issue=article.issue, article=article, key=key, reason="审核认可",
                                 by=editor)
    assert ProofreadingDismissal.objects.count() == 1


# --- the wording list --------------------------------------------------------------------


def test_wording_rules_are_used_for_their_publication_only(article):
    wording_rule_add(publication=article.issue.publication, wrong="十九大", right="党的十九大",
                     note="以中央文件提法为准")
    other = ArticleFactory(issue=IssueFactory(), body="<p>学习十九大精神。</p>")
    Article.objects.filter(pk=article.pk).update(body="<p>学习十九大精神，贯彻党的十九大部署。</p>")
    article.refresh_from_db()
    assert [(f.marked, f.message) for f in proofread_article(article).findings] == [
        ("十九大", "“十九大”应为“党的十九大”。以中央文件提法为准。")]
    assert proofread_article(other).findings == []


def test_wording_rule_services(article):
    publication = article.issue.publication
    rule = wording_rule_add(publication=publication, wrong=" 十九大 ", right="党的十九大")
    assert (rule.wrong, rule.right) == ("十九大", "党的十九大")
    with pytest.raises(ValidationError) as error:
        wording_rule_add(publication=publication, wrong="十九大", right="中共十九大")
    assert error.value.messages == ["本刊物的规范表述中已有这一不规范写法。"]
    with pytest.raises(ValidationError) as error:
        wording_rule_update(rule=rule, right="十九大")
    assert error.value.messages == ["规范写法与不规范写法相同。"]
    wording_rule_remove(rule=WordingRule.objects.get())
    assert not WordingRule.objects.exists()


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_wording_list_round_trips_through_a_spreadsheet(fmt):
    publication = PublicationFactory(slug="gzjb")
    other = PublicationFactory(slug="llxx")
    wording_rule_add(publication=publication, wrong="十九大", right="党的十九大", note="以中央文件提法为准")
    wording_rule_add(publication=publication, wrong="最最", note="避免夸张")
    wording_rule_add(publication=other, wrong="两学一做教育", right="“两学一做”学习教育")
    exported = fmt().export_data(WordingRuleResource().export())
    dataset = fmt().create_dataset(exported)
    assert dataset.headers == ["刊物", "不规范写法", "规范写法", "说明"]
    assert [[cell or "" for cell in row] for row in dataset] == [
        ["gzjb", "十九大", "党的十九大", "以中央文件提法为准"],
        ["gzjb", "最最", "", "避免夸张"],
        ["llxx", "两学一做教育", "“两学一做”学习教育", ""],
    ]
    WordingRule.objects.all().delete()
    result = WordingRuleResource().import_data(fmt().create_dataset(exported))
    assert result_errors(result) == []
    assert sorted(WordingRule.objects.values_list("publication__slug", "wrong", "right", "note")) == [
        ("gzjb", "十九大", "党的十九大", "以中央文件提法为准"), ("gzjb", "最最", "", "避免夸张"),
        ("llxx", "两学一做教育", "“两学一做”学习教育", "")]
    again = WordingRuleResource().import_data(fmt().create_dataset(exported))
    assert [row.import_type for row in again.rows] == ["skip", "skip", "skip"]


def test_wording_import_writes_through_the_wording_services(monkeypatch):
    from bulletins import resources

    publication = PublicationFactory(slug="gzjb")
    wording_rule_add(publication=publication, wrong="十九大", right="党的十九大")
    calls = []
    for name in ("wording_rule_add", "wording_rule_update"):
        service = getattr(resources, name)
        monkeypatch.setattr(resources, name,
                            lambda service=service, name=name, **kw: calls.append(name) or service(**kw))
    csv = "刊物,不规范写法,规范写法,说明\ngzjb,十九大,中共十九大,按新提法\ngzjb,最最,,避免夸张\n"
    result = WordingRuleResource().import_data(CSV().create_dataset(csv))
    assert result_errors(result) == []
    assert calls == ["wording_rule_update", "wording_rule_add"]
    assert sorted(WordingRule.objects.values_list("wrong", "right", "note")) == [
        ("十九大", "中共十九大", "按新提法"), ("最最", "", "避免夸张")]


def test_wording_import_reports_bad_rows_and_saves_nothing():
    PublicationFactory(slug="gzjb")
    csv = ("刊物,不规范写法,规范写法,说明\ngzjb,十九大,党的十九大,\nnone,最最,,\ngzjb,五四,五四,\n"
           "gzjb,十九大,中共十九大,\n")
    result = WordingRuleResource().import_data(CSV().create_dataset(csv))
    assert result_errors(result) == [
        "第 2 行：未找到刊物“none”。",
        "第 3 行：规范写法：规范写法与不规范写法相同。",
        "第 4 行：与第 1 行重复。",
    ]
    assert not WordingRule.objects.exists()


# --- the command -------------------------------------------------------------------------


def test_proofread_command_prints_one_finding_a_line(article):
    out = io.StringIO()
    call_command("proofread", str(article.issue.pk), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "punct-halfwidth\t本期\t编者按▶:◀请阅。\t中文中使用了半角“:”，应为全角“：”。"
    assert lines[1] == ("punct-halfwidth\t加强学习 提高本领\t我们要加强学习▶,◀提高本领。今后要继续努力…\t"
                        "中文中使用了半角“,”，应为全角“，”。")
    assert [line.split("\t")[0] for line in lines] == [
        "punct-halfwidth", "punct-halfwidth", "punct-repeated", "traditional-char", "heading-sequence"]


def test_proofread_command_unknown_issue():
    with pytest.raises(Exception, match="没有编号为 999 的期。"):
        call_command("proofread", "999")


def test_proofread_command_summary(article):
    err = io.StringIO()
    call_command("proofread", str(article.issue.pk), "--summary", stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].endswith("：校对发现 5 处问题（错误 5 处，提示 0 处）。")
    assert lines[1:4] == ["punct-halfwidth\t2", "pair-unbalanced\t0", "punct-repeated\t1"]


def test_characters_no_font_has_in_the_masthead_and_the_tail(article):
    from bulletins.services import issue_add_recipient

    publication = article.issue.publication
    publication.issuing_office = "协调小组办公室\n\U000F0003办公室"
    publication.save()
    issue_add_recipient(issue=article.issue, role="发", organisation=OrganisationFactory(name="\U000F0004局"))
    findings = [f for f in proofread_issue(article.issue).findings if f.code == "unprintable-char"]
    assert [(f.article_id, f.location, f.marked) for f in findings] == [
        (None, "报头第4行", "\U000F0003"), (None, "版记第1行", "\U000F0004")]


def test_seed_like_dates_in_an_issue_date_field_are_never_reported():
    issue = IssueFactory(date=datetime.date(2023, 9, 20))
    assert proofread_issue(issue).findings == []
