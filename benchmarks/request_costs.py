"""What each request of the load test costs the web process: CPU, wall time and queries.

    .venv/bin/python benchmarks/request_costs.py [--runs 10] [--profile "issue list"]
        [--database-url postgres://postgres@127.0.0.1:5432/NAME] [--redis-url redis://…/N]

Runs the production settings (password hasher, sessions, cache, task queue as configured) in
this process with Django's test client, on a throwaway SQLite database and file cache by
default, or on the PostgreSQL database (created and dropped here: give a name of your own) and
the Redis database given. Imports seeds/, makes an editor with a draft copy of a seed issue,
renders the published issues into the cache (as the worker would), then times each kind of
request of benchmarks/load_test.py: the median of N runs of CPU time of this process
(time.process_time: the work of Django, the templates and the database driver, not the database
server's) and wall time, with the number of queries. `--profile KIND` prints cProfile's top
functions for that kind.
"""

import argparse
import cProfile
import os
import pstats
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-" + secrets.token_hex(6)


def configure(options, folder: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver", HTTPS="off", DATABASE_URL=options.database_url
        or f"sqlite:///{folder / 'bench.sqlite3'}", CACHE_DIR=str(folder / "cache"),
        CACHE_KEY_PREFIX=f"bench-{os.getpid()}", MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        TASKS_BACKEND="database", LOG_LEVEL="ERROR")
    os.environ.pop("DEBUG", None)
    if options.redis_url:
        os.environ["REDIS_URL"] = options.redis_url
    else:
        os.environ.pop("REDIS_URL", None)


def prepare():
    """The seeds, an editor with a draft copy of the first seed issue, the archive rendered."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from bulletins.models import Issue
    from bulletins.services import article_create, issue_create
    from bulletins.tasks import render_issue
    from editorial.permissions import EDITOR_GROUP

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("import_archive", str(ROOT / "seeds"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    editor = User.objects.create_user("editor0", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    published = list(Issue.objects.order_by("pk"))
    source = published[0]
    draft = issue_create(publication=source.publication, number=900)
    for article in source.articles.select_related("column").order_by("position"):
        article_create(issue=draft, column=article.column, title=article.title, body=article.body)
    for issue in published:
        render_issue.call(issue.pk)
    return editor, draft, published


def timed(request, runs: int, profile: bool):
    """Median CPU and wall milliseconds of `request()` and the queries of its last run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, wall = [], []
    profiler = cProfile.Profile(time.process_time) if profile else None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started_cpu, started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            request()
            if profiler:
                profiler.disable()
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
    if profiler:
        # Our code and the apps around it, by cumulative CPU time.
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(
            r"/(bulletins|editorial|reversion|axes|csp|sessions)/", 40)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", help="a PostgreSQL database to create, use and drop")
    parser.add_argument("--redis-url", help="Redis for the cache (keys of this run removed)")
    parser.add_argument("--profile", default="", help="kind of request to profile")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bulletins-costs-"))
    configure(options, folder)
    database = options.database_url.rsplit("/", 1)[1] if options.database_url else None
    if database:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",  # noqa: S603, S607
                        f"CREATE DATABASE {database}"], check=True)
    load = os.getloadavg()[0]
    try:
        import django

        django.setup()
        run(options)
    finally:
        from django.db import connections

        if options.redis_url:
            import redis

            client = redis.Redis.from_url(options.redis_url)
            keys = list(client.scan_iter(match=f"{os.environ['CACHE_KEY_PREFIX']}:*"))
            if keys:
                client.delete(*keys)
        connections.close_all()
        if database:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",  # noqa: S603, S607
                            f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], check=True)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores")


def run(options) -> None:
    from django.test import Client
    from django.urls import reverse

    editor, draft, published = prepare()
    client = Client()
    client.post("/admin/login/", {"username": "editor0", "password": PASSWORD, "next": "/admin/"})
    article = draft.articles.order_by("position").first()
    saves = iter(range(1, 1_000_000))

    def save_article():
        response = client.post(reverse("admin:bulletins_article_change", args=[article.pk]), {
            "issue": draft.pk, "column": article.column_id, "title": article.title,
            "body": article.body + f"<p>第{next(saves)}次修改。</p>", "_save": "保存"})
        assert response.status_code == 302, response.status_code  # noqa: S101

    def login():
        Client().post("/admin/login/", {"username": "editor0", "password": PASSWORD,
                                        "next": "/admin/"})

    def get(url, expect="text/html"):
        def request():
            response = client.get(url)
            assert response.status_code == 200 and expect in response["Content-Type"], url  # noqa: S101
        return request

    kinds = [
        ("login (POST)", login),
        ("issue list", get(reverse("admin:bulletins_issue_changelist"))),
        ("issue page", get(reverse("admin:bulletins_issue_change", args=[draft.pk]))),
        ("article page", get(reverse("admin:bulletins_article_change", args=[article.pk]))),
        ("article save", save_article),
        ("preview", get(reverse("editorial:issue_preview", args=[draft.pk]))),
        ("pdf (unchanged)", get(reverse("editorial:issue_pdf", args=[published[-1].pk]),
                                "application/pdf")),
        ("pdf (just edited)", get(reverse("editorial:issue_pdf", args=[draft.pk]))),
    ]
    print(f"{options.runs} runs each, median; database {os.environ['DATABASE_URL'].split(':')[0]}, "
          f"cache {'Redis' if options.redis_url else 'files'}")
    print(f"{'kind':<20} {'CPU ms':>7} {'wall ms':>8} {'queries':>8}")
    for name, request in kinds:
        request()  # warm up templates and caches
        cpu, wall, queries = timed(request, options.runs, name == options.profile)
        print(f"{name:<20} {cpu:>7.1f} {wall:>8.1f} {queries:>8}", flush=True)


if __name__ == "__main__":
    main()
