"""Chinese full-text search: exact results on the imported seeds, kept in step with every write."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from bulletins.archive.importer import archive_import_file
from bulletins.models import Article, Issue
from bulletins.search import parse_query, search_articles, search_index_issue, search_reindex
from bulletins.search import query as search_query
from bulletins.search.backends import (
    FTS_TABLE,
    PART_OVERLAP,
    PART_TOKENS,
    PostgreSQLBackend,
    _index_methods,
)
from bulletins.search.highlight import highlight_html, highlight_text, snippet
from bulletins.search.models import SearchDocument
from bulletins.search.text import article_text, document_tokens, normalise
from bulletins.services import article_create, article_update, issue_import
from tests.factories import ArticleFactory, ColumnFactory, IssueFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seeds():
    for path in sorted(SEEDS.glob("*.txt")):
        assert archive_import_file(path=path).ok
    return Article.objects.filter(issue__status=Issue.Status.PUBLISHED)


def scan(articles, needle: str) -> set[int]:
    """The plain substring scan the index must agree with."""
    needle = normalise(needle)
    return {article.pk for article in articles if needle in normalise(article_text(article))}


def scan_all(articles, query: str) -> set[int]:
    """The scan for each word of a query, all of them."""
    return set.intersection(*(scan(articles, word) for word in query.split()))


def found(query: str, **filters) -> set[int]:
    return {article.pk for article in search_articles(query, **filters)[0:10_000]}


@pytest.mark.parametrize("word", [
    "党建", "镇江", "主题", "学习", "工作",          # two characters, rare to everywhere
    "中心组", "意识形态",                          # three and four
    "全面从严治党", "习近平文化思想",              # six and seven
    "院长方乐做专题", "干部不管处在",              # across a page-break join in the printed text
    "镇", "党", "龘",                               # one character (the last matches nothing)
    "建设", "治党", "党建工作",                    # inside longer words: 治党建设 contains 党建
])
def test_search_finds_exactly_the_articles_a_substring_scan_finds(seeds, word):
    expected = scan(seeds, word)
    assert found(word) == expected
    if word != "龘":
        assert expected, f"{word} should occur in the seeds"


def test_the_seeds_answer_with_counts_found_by_hand(seeds):
    counts = {word: search_articles(word).count() for word in ["党建", "镇江", "全面从严治党", "方乐"]}
    assert counts == {"党建": 7, "镇江": 1, "全面从严治党": 3, "方乐": 1}


def test_numbers_and_latin_words_match_whole(seeds):
    whole = re.compile(r"(?<![0-9a-z])2023(?![0-9a-z])")
    expected = {a.pk for a in seeds if whole.search(normalise(article_text(a)))}
    assert expected and found("2023") == expected

    article = ArticleFactory(issue=IssueFactory(status=Issue.Status.PUBLISHED),
                             body="<p>全年ＧＤＰ增长5.2%，5G基站新增。</p>")
    search_index_issue(issue=article.issue)
    assert found("GDP") == {article.pk}        # full-width letters are normalised
    assert found("gdp增长") == {article.pk}
    assert found("5g") == {article.pk}
    assert found("GD") == set()               # Latin words are whole words, not substrings
    assert found("5.2") == {article.pk}


def test_several_words_mean_all_of_them_and_quotes_keep_a_phrase(seeds):
    both = scan(seeds, "党建") & scan(seeds, "镇江")
    assert found("党建 镇江") == both == found("镇江　党建")
    assert found("“全面从严治党”") == scan(seeds, "全面从严治党")
    assert found('"习近平 文化思想"') == set()  # a space in a phrase must be in the text


def test_drafts_and_issues_on_their_way_are_never_found(seeds):
    for status in [Issue.Status.DRAFT, Issue.Status.SUBMITTED, Issue.Status.SIGNED]:
        issue = IssueFactory()
        article_create(issue=issue, column=ColumnFactory(publication=issue.publication), title="未印发",
                       body=f"<p>独一无二的{status}稿件</p>")
        Issue.objects.filter(pk=issue.pk).update(status=status)
    assert found("独一无二") == set()
    # The admin searches all issues through the same index.
    assert search_articles("独一无二", published_only=False).count() == 3


def test_edits_and_deletions_update_the_results():
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    article = article_create(issue=issue, column=column, title="春耕",
                             body="<p>镇江市推进<strong>党</strong>建工作。</p>")
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    assert found("党建") == {article.pk}      # tags inside a word do not split it
    assert found("春耕") == {article.pk}

    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    article_update(article=article, title="夏收", body="<p>扬州市推进工作。</p>")
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    assert found("党建") == set()
    assert found("春耕") == set()
    assert found("扬州") == {article.pk}

    article.delete()
    assert found("扬州") == set()
    assert SearchDocument.objects.count() == 0
    _check_index()


def _check_index():
    """SQLite: FTS5's consistency check, and no row left for 党建 that no article has."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 0)")  # noqa: S608
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", ['"党建"'])  # noqa: S608
            indexed = cursor.fetchone()[0]
        assert indexed == SearchDocument.objects.filter(
            article__in=[a for a in Article.objects.all() if "党建" in normalise(article_text(a))]).count()


def test_reimporting_an_issue_replaces_what_the_index_held(seeds):
    issue = Issue.objects.filter(articles__title__contains="镇江").get()
    outcome = issue_import(publication=issue.publication, year=issue.year, number=issue.number,
                           date=issue.date, articles=[], distribution=[], replace=True)
    assert outcome.created is False
    assert found("镇江") == set()
    assert SearchDocument.objects.filter(article__issue=issue).count() == 0


def test_deleting_an_issue_empties_its_index_rows(seeds):
    issue = Issue.objects.filter(articles__title__contains="镇江").get()
    issue.recipients.all().delete()
    issue.delete()
    assert found("镇江") == set()
    assert found("党建") == scan(Article.objects.all(), "党建")
    _check_index()


def test_reindex_rebuilds_the_same_index(seeds):
    before = {word: found(word) for word in ["党建", "镇", "全面从严治党"]}
    SearchDocument.objects.all().delete()
    assert found("党建") == set()
    result = search_reindex(batch_size=7)
    assert result.articles == seeds.count()
    assert {word: found(word) for word in before} == before
    _check_index()


def test_filters_by_publication_years_and_column(seeds):
    article = seeds.filter(title__contains="镇江").select_related("issue__publication", "column").get()
    issue = article.issue
    assert found("党建", publication=issue.publication) == scan(
        seeds.filter(issue__publication=issue.publication), "党建")
    assert found("镇江", years=(issue.year, issue.year)) == {article.pk}
    assert found("镇江", years=issue.year - 1) == set()
    assert found("镇江", years=(None, issue.year - 1)) == set()
    assert found("镇江", column=article.column) == {article.pk}
    assert found("镇江", column=article.column.name) == {article.pk}
    assert found("镇江", column="没有这个栏目") == set()


def test_newest_first_by_default_best_match_on_request(seeds):
    newest = list(search_articles("党建")[0:50])
    keys = [(a.issue.date, a.issue.number, -a.position) for a in newest]
    assert keys == sorted(keys, reverse=True)
    best = list(search_articles("党建", order="best")[0:50])
    assert {a.pk for a in best} == {a.pk for a in newest}
    # The article that says 党建 most often comes first.
    most = max(newest, key=lambda a: (article_text(a).count("党建") / len(article_text(a))))
    assert best[0] == most


@pytest.mark.parametrize("order", ["newest", "best"])
def test_a_page_and_the_count_are_fetched_together(seeds, django_assert_num_queries, order):
    expected = search_articles("工作", order=order)
    expected_ids, expected_count = [a.pk for a in expected[5:10]], expected.count()
    results = search_articles("工作", order=order)
    # PostgreSQL counts in the same pass (count(*) OVER ()); SQLite is faster with two queries;
    # PostgreSQL's best match from the RUM index takes three (the hits, the statistics of the
    # query's tokens, the ranked rows).
    ranked = (connection.vendor == "postgresql" and order == "best"
              and PostgreSQLBackend.index_method() == "rum")
    with django_assert_num_queries(3 if ranked else 1 if connection.vendor == "postgresql" else 2):
        results.fetch_window(offset=5, limit=5)
        assert results.count() == expected_count
    with django_assert_num_queries(1):  # the articles only
        assert [a.pk for a in results[5:10]] == expected_ids


def test_results_slice_and_count_like_a_sequence(seeds):
    results = search_articles("工作")
    assert len(results) == results.count() == len(scan(seeds, "工作"))
    everything = results[0:1000]
    assert results[3:6] == everything[3:6]
    assert results[-1] == everything[-1]
    with pytest.raises(IndexError):
        results[1000]  # noqa: B018


@pytest.mark.parametrize(("query", "message"), [
    ("", "请输入要检索的文字。"),
    ("   ", "请输入要检索的文字。"),
    ("，。！？……——", "检索词中没有可检索的文字或数字，请换用汉字、字母或数字。"),
    ("党" * 1000, "检索词过长（1000个字），请不超过100个字。"),
    (" ".join(f"词{n}" for n in range(11)), "检索词过多（11个），请不超过10个。"),
])
def test_query_limits_give_their_messages(query, message):
    with pytest.raises(ValidationError) as error:
        search_articles(query)
    assert error.value.messages == [message]


def test_tokens_cover_every_substring():
    assert document_tokens("治党建设") == ["治党", "党建", "建设", "设"]
    assert document_tokens("2023年度ＧＤＰ") == ["2023", "年度", "度", "gdp"]
    terms = parse_query("党建 年 2023年 建2023").terms
    assert [(t.tokens, t.prefix) for t in terms] == [
        (("党建",), False), (("年",), True), (("2023", "年"), True), (("建", "2023"), False)]


def test_a_long_article_is_found_at_its_end_and_across_parts():
    issue = IssueFactory()
    filler = "各地各部门认真贯彻落实" * 2000                      # 22,000 characters
    boundary = PART_TOKENS - PART_OVERLAP - 3                   # a phrase across the first cut
    body = filler[:boundary] + "雄安新区建设" + filler[boundary:] + "量子科技攻关"
    article = article_create(issue=issue, column=ColumnFactory(publication=issue.publication),
                             title="长文", body=f"<p>{body}</p>")
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    assert found("量子科技攻关") == {article.pk}
    assert found("雄安新区建设") == {article.pk}
    # Two terms in different parts of the article: found, and ranked, once.
    assert found("量子科技攻关 雄安新区建设") == {article.pk}
    assert search_articles("量子科技攻关 雄安新区建设", order="best")[0:10] == [article]
    parts = PostgreSQLBackend.parts(document_tokens(body))
    assert len(parts) == 2 and all(len(part) <= PART_TOKENS for part in parts)


def test_highlighting_marks_matches_in_text_and_html():
    query = parse_query("党建 GDP")
    assert highlight_text("抓党建<促>发展，ＧＤＰ", query) == (
        "抓<mark>党建</mark>&lt;促&gt;发展，<mark>ＧＤＰ</mark>")
    html = highlight_html("<p>全市<strong>党建</strong>考核，<a href=\"/x\">党建</a></p>", query)
    assert html == ("<p>全市<strong><mark>党建</mark></strong>考核，"
                    "<a href=\"/x\"><mark>党建</mark></a></p>")
    cut = snippet("前" * 200 + "党建" + "后" * 200, query, width=40)
    assert cut.startswith("…") and cut.endswith("…") and "<mark>党建</mark>" in cut


def test_command_prints_every_hit_tab_separated(seeds, capsys):
    call_command("search_articles", "镇江")
    out, err = capsys.readouterr()
    assert out == ("建设学习型党组织、学习型领导班子 工作简报 2023年第454期\t"
                   "镇江市：强化示范带动 规范学习管理 持续推动中心组学习不断走深走实\n")
    assert err == "共 1 篇。\n"
    call_command("search_articles", "党建", "--year", "2023", "--publication", "理论学习通讯")
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines and all(line.startswith("党委中心组 理论学习通讯 2023年") for line in lines)


def test_reindex_command_reports(seeds, capsys):
    call_command("reindex")
    out, _ = capsys.readouterr()
    assert out.startswith(f"已重建检索索引：{seeds.count()} 篇文章，用时 ")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_postgresql_search_turns_sequential_scans_off_for_itself_only(seeds):
    assert search_articles("党建").count() == 7
    assert len(search_articles("党建", order="best")[0:20]) == 7
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
                       "current_setting('enable_bitmapscan')")
        assert cursor.fetchone() == ("on", "on", "on")


@pytest.fixture(params=["rum", "gin"])
def postgresql_index(request):
    """The search on PostgreSQL with either index: RUM where the server has it, and GIN."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's index kinds")
    index = PostgreSQLBackend()
    if request.param == "rum" and not index.rum_available():
        pytest.skip("this PostgreSQL server has no rum extension")
    index.drop_schema(None)  # rolled back with the test's transaction
    assert index.create_index(rum=request.param == "rum") == request.param
    yield request.param
    _index_methods.clear()


@pytest.mark.parametrize("word", ["党建", "镇", "全面从严治党", "党建 学习", "治党建设", "2023"])
def test_postgresql_finds_and_ranks_the_same_with_rum_or_gin(seeds, postgresql_index, word):
    newest = search_articles(word)[0:1000]
    best = search_articles(word, order="best")
    assert {a.pk for a in newest} == scan_all(seeds, word)
    assert best.count() == len(newest)
    assert sorted(a.pk for a in best[0:1000]) == sorted(a.pk for a in newest)
    page = search_articles(word, order="best")
    page.fetch_window(offset=1, limit=2)
    assert [a.pk for a in page[1:3]] == [a.pk for a in best[1:3]]


def test_postgresql_ranks_the_densest_article_first_with_rum_or_gin(seeds, postgresql_index):
    hits = search_articles("党建")[0:50]
    most = max(hits, key=lambda a: (article_text(a).count("党建") / len(article_text(a))))
    assert search_articles("党建", order="best")[0] == most


def test_the_migrations_index_with_rum_where_postgresql_has_it():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's index kinds")
    expected = "rum" if PostgreSQLBackend.rum_available() else "gin"
    assert PostgreSQLBackend.index_method() == expected


@pytest.mark.parametrize("word", ["党建", "工作", "党建 学习", "镇", "全面从严治党"])
def test_postgresql_ranks_many_hits_in_the_index_scan_as_it_ranks_a_few(seeds, monkeypatch, word):
    if connection.vendor != "postgresql" or PostgreSQLBackend.index_method() != "rum":
        pytest.skip("PostgreSQL's RUM index")
    few = [a.pk for a in search_articles(word, order="best")[0:1000]]
    monkeypatch.setattr(search_query, "RANK_ROWS_DIRECTLY", 0)  # as if they were many
    many = search_articles(word, order="best")
    everything = [a.pk for a in many[0:1000]]
    assert sorted(everything) == sorted(few) == sorted(scan_all(seeds, word))
    assert [a.pk for a in search_articles(word, order="best")[1:3]] == everything[1:3]
    # A narrow filter: the ranked rows are read on until the page is full.
    year = min(a.issue.year for a in seeds)
    expected = scan_all(seeds.filter(issue__year=year), word)
    narrow = search_articles(word, order="best", years=year)
    assert narrow.count() == len(expected)
    assert {a.pk for a in narrow[0:2]} <= expected and len(narrow[0:2]) == min(2, len(expected))
    assert sorted(a.pk for a in narrow[0:1000]) == sorted(expected)
    if word == "党建":
        assert many[0].pk == few[0]  # the densest article, as ranked on its own rows
