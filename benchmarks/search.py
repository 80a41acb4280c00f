"""Benchmark the Chinese full-text search on a generated archive of 25,000 articles.

    .venv/bin/python benchmarks/search.py [--articles 25000] [--chars 3000] [--runs 40]
    .venv/bin/python benchmarks/search.py --database postgres://postgres@127.0.0.1:5432/bench_search
    ... --database URL --keep      keep the PostgreSQL database afterwards
    ... --database URL --reuse     measure the kept database again (no generating, no rebuilding)
    ... --database URL --gin       index with GIN, as where the rum extension is missing

Builds a throwaway database (SQLite in a temporary folder, or the PostgreSQL database named,
which is dropped and created), imports the seeds, generates issues of several publications
over twenty years whose articles are made of the seeds' sentences in new orders (so words
occur as often as in real bulletins), builds the index and prints: build time, index size,
and for each query its hits and the median and 95th percentile of what a result page costs
(the count and the first 20 articles, newest first; then best match first).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from _django import import_seeds, setup_django  # the script's folder is on sys.path

QUERIES = [
    ("two characters", "党建"),
    ("two characters, rare", "镇江"),
    ("four characters", "主题教育"),
    ("common word", "工作"),
    ("six-character phrase", "全面从严治党"),
    ("one character", "镇"),
    ("two words", "党建 基层"),
    ("Latin word / number", "2023"),
    ("no hit", "量子纠缠"),
]


def clauses_from_seeds() -> list[str]:
    """The seeds' clauses (split at ，。；：！？), each once, in the order found."""
    from bulletins.models import Article
    from bulletins.search.text import html_to_text

    found: dict[str, None] = {}
    for body in Article.objects.values_list("body", flat=True):
        for clause in re.split(r"[，。；：！？\n]", html_to_text(body)):
            if 4 <= len(clause.strip()) <= 60:
                found[clause.strip()] = None
    return list(found)


def generate(*, articles: int, chars: int, rng: random.Random) -> None:
    from bulletins.models import Article, Column, Issue, Publication

    clauses = clauses_from_seeds()
    rng.shuffle(clauses)
    # Zipf-like: a few clauses (and their words) are common, most are rare, as in real text.
    weights, total = [], 0.0
    for rank in range(1, len(clauses) + 1):
        total += 1 / rank
        weights.append(total)
    titles = list(Article.objects.values_list("title", flat=True))
    publications = [Publication.objects.create(name=f"工作简报{n}", name_prefix="基准测试", slug=f"bench-{n}",
                                               issuing_office="办公室") for n in range(5)]
    columns = {p.pk: [Column.objects.create(publication=p, name=name, position=i)
                      for i, name in enumerate(["上情下达", "经验交流", "基层动态", "理论前沿"])]
               for p in publications}
    per_issue = 5
    issues = []
    for n in range(articles // per_issue):
        publication = publications[n % len(publications)]
        year = 2005 + (n * 20) // (articles // per_issue)
        issues.append(Issue(publication=publication, year=year, number=n // len(publications) + 1,
                            date=datetime.date(year, 1 + n % 12, 1 + n % 28),
                            status=Issue.Status.PUBLISHED))
    Issue.objects.bulk_create(issues, batch_size=500)
    issues = list(Issue.objects.filter(publication__in=publications).order_by("pk"))
    batch: list[Article] = []
    for issue in issues:
        for position in range(per_issue):
            paragraphs, length = [], 0
            while length < chars:
                sentences = ["，".join(rng.choices(clauses, cum_weights=weights, k=rng.randint(2, 4))) + "。"
                             for _ in range(rng.randint(3, 6))]
                paragraph = "".join(sentences)
                paragraphs.append(f"<p>{paragraph}</p>")
                length += len(paragraph)
            batch.append(Article(issue=issue, column=rng.choice(columns[issue.publication_id]),
                                 position=position, title=rng.choice(titles), byline="本刊记者",
                                 body="".join(paragraphs)))
        if len(batch) >= 1000:
            Article.objects.bulk_create(batch)  # generated, already clean HTML: no save() needed
            batch = []
    Article.objects.bulk_create(batch)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def server_cpu_ms() -> float:
    """CPU time so far of the PostgreSQL process serving this connection, read from /proc as
    the server runs on this machine (0 for SQLite, which runs in this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(query: str, *, order: str, runs: int) -> tuple[int, float, float, float]:
    """Hits, median and 95th percentile wall time, and the mean CPU time a page took in this
    process and the database server's (CPU time leaves out the time spent waiting for a core,
    which wall time on a loaded machine does not)."""
    from bulletins.search import search_articles

    times = []
    hits = 0
    started_cpu, started_server = time.process_time(), server_cpu_ms()
    for _ in range(runs):
        started = time.perf_counter()
        results = search_articles(query, order=order)
        results.fetch_window(offset=0, limit=20)  # as the search page does: count and ids at once
        hits = results.count()
        page = results[0:20]
        times.append((time.perf_counter() - started) * 1000)
        assert len(page) == min(20, hits)  # noqa: S101
    cpu = (time.process_time() - started_cpu) * 1000 + server_cpu_ms() - started_server
    return hits, statistics.median(times), percentile(times, 0.95), cpu / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=25_000)
    parser.add_argument("--chars", type=int, default=3_000, help="characters of body per article")
    parser.add_argument("--runs", type=int, default=40, help="timed runs per query")
    parser.add_argument("--database", help="a PostgreSQL URL (its database is dropped and created)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the PostgreSQL database a --keep run left (after migrating it)")
    parser.add_argument("--gin", action="store_true",
                        help="PostgreSQL: index with GIN, as a server without the rum extension does")
    args = parser.parse_args()
    rng = random.Random(10)
    with tempfile.TemporaryDirectory() as tmp:
        if args.database:
            name = urlsplit(args.database).path.lstrip("/")
            for sql in () if args.reuse else (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c", sql]
                subprocess.run(psql, check=True)  # noqa: S603
            os.environ["DATABASE_URL"] = args.database
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
            import django
            from django.core.management import call_command

            django.setup()
            call_command("migrate", verbosity=0)
        else:
            setup_django(Path(tmp) / "bench.sqlite3")
        from django.db import connection

        from bulletins.models import Article
        from bulletins.search import search_reindex
        from bulletins.search.text import article_text

        if not args.reuse:
            import_seeds()
            started = time.perf_counter()
            generate(articles=args.articles, chars=args.chars, rng=rng)
            total_chars = sum(len(article_text(a)) for a in Article.objects.only("title", "body").iterator())
            print(f"database: {connection.vendor}; generated {Article.objects.count():,} articles, "
                  f"{total_chars / 1e6:.1f} M characters of text, in {time.perf_counter() - started:.0f} s")

            started = time.perf_counter()
            result = search_reindex()
            print(f"index build (reindex): {time.perf_counter() - started:.1f} s; "
                  f"index size {result.size_bytes / 1e6:.0f} MB")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        if connection.vendor == "postgresql":
            from bulletins.search.backends import PostgreSQLBackend

            index = PostgreSQLBackend()
            if args.gin and index.index_method() != "gin":
                index.drop_schema(None)
                index.create_index(rum=False)
            elif not args.gin:
                index.upgrade_index()  # back to RUM after a --gin run
            print(f"PostgreSQL index: {index.index_method()}")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"\n{'query':<22} {'text':<8} {'hits':>7} {'newest p50':>11} {'p95':>7} {'cpu':>6} "
              f"{'best p50':>9} {'p95':>7} {'cpu':>6}   (ms: count and the first page of 20; "
              "cpu: mean per page, this process and the database server's)")
        for label, query in QUERIES:
            measure(query, order="newest", runs=2)  # warm the cache, for both orders
            measure(query, order="best", runs=1)
            hits, p50, p95, cpu = measure(query, order="newest", runs=args.runs)
            _, best50, best95, best_cpu = measure(query, order="best", runs=max(5, args.runs // 4))
            cjk = sum(1 for char in query if ord(char) > 0x2e80)  # wide characters take two columns
            print(f"{label:<22} {query:<{8 - cjk}} {hits:>7,} {p50:>11.1f} {p95:>7.1f} {cpu:>6.1f} "
                  f"{best50:>9.1f} {best95:>7.1f} {best_cpu:>6.1f}")
        print(f"\nload average after measuring: {os.getloadavg()[0]:.1f}")
        if args.database and not args.keep:
            connection.close()
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c",  # noqa: S603, S607
                            f"DROP DATABASE IF EXISTS {name}"], check=True)


if __name__ == "__main__":
    main()
