"""Benchmark the editors' pages of a big issue: the issue page and one article page.

    .venv/bin/python benchmarks/issue_page.py [--articles 40] [--runs 15]

Builds, on a throwaway SQLite database, an issue of N articles of about 2,400 characters each
(with a table) in five columns and a distribution of ten organisations, logs an editor in with
Django's test client and prints, for each page, the median and best server time of N requests,
the query count and the size of the HTML sent.
"""

import argparse
import datetime
import statistics
import tempfile
import time
from pathlib import Path

from _django import setup_django  # the script's folder is on sys.path


def build_issue(articles: int):
    from django.contrib.auth.models import Group, User

    from bulletins.models import Column, DistributionList, Organisation, Publication
    from bulletins.services import article_create, issue_create, publication_create
    from editorial.permissions import EDITOR_GROUP

    editor = User.objects.create_user("bianji", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    publication: Publication = publication_create(name="工作简报", issuing_office=["协调小组办公室"])
    columns = [Column.objects.create(publication=publication, name=f"栏目{n}", position=n) for n in range(5)]
    members = DistributionList.objects.create(publication=publication, name="发：各市", role="发",
                                              is_default=True)
    for n in range(10):
        members.members.create(organisation=Organisation.objects.create(name=f"单位{n}"), position=n)
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    body = ("<p>" + "学习贯彻党的二十大精神，推动理论学习走深走实。" * 120 + "</p><figure class=\"table\">"
            "<table><tbody><tr><td>单位</td><td>次数</td></tr></tbody></table></figure>")
    for n in range(articles):
        article_create(issue=issue, column=columns[n % 5], title=f"第{n + 1}篇文章的标题", body=body,
                       by=editor)
    return editor, issue


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(times), min(times), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.test import Client
        from django.urls import reverse

        editor, issue = build_issue(options.articles)
        client = Client()
        client.force_login(editor)
        article = issue.articles.order_by("position")[options.articles // 2]
        pages = [("issue page", reverse("admin:bulletins_issue_change", args=[issue.pk])),
                 ("article page", reverse("admin:bulletins_article_change", args=[article.pk]))]
        print(f"{options.articles} articles, {options.runs} requests each (Django test client, server time)")
        print(f"{'page':<14} {'median ms':>10} {'best ms':>8} {'queries':>8} {'HTML KB':>8}")
        for name, url in pages:
            client.get(url)  # warm up templates and caches
            median, best, queries, size = measure(client, url, options.runs)
            print(f"{name:<14} {median * 1000:>10.1f} {best * 1000:>8.1f} {queries:>8} {size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
