"""Benchmark the 信息工作考核 report at the size of a big office: 200 units and 20,000 items.

    .venv/bin/python benchmarks/intake_report.py [--units 200] [--items 20000] [--runs 10]

Builds, on a throwaway SQLite database, the units with a 信息员 each, the items spread over the
year 2026, one in ten adopted into printed issues (a quarter of them 综合采用), 300 higher-level
adoptions and 批示; then prints, for the year's and a month's report (unit_report), the report
page and its XLSX, the median and best time of N runs and the query count.
"""

import argparse
import datetime
import statistics
import tempfile
import time
from pathlib import Path

from _django import setup_django  # the script's folder is on sys.path


def build(units: int, items: int):
    """Rows in bulk: the services write one item at a time, far too slow for the setup of a benchmark."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from bulletins.models import Article, Column, Issue, Organisation, Publication
    from intake.models import Adoption, Recognition, Reporter, Submission
    from intake.permissions import HANDLER_GROUP

    zone = timezone.get_current_timezone()
    editor = User.objects.create_user("caibian", is_staff=True)
    editor.groups.add(Group.objects.get(name=HANDLER_GROUP))
    orgs = Organisation.objects.bulk_create([Organisation(name=f"第{n:03d}单位") for n in range(units)])
    users = User.objects.bulk_create([User(username=f"xxy{n}") for n in range(units)])
    Reporter.objects.bulk_create([Reporter(user=u, unit=o) for u, o in zip(users, orgs, strict=True)])
    submissions = Submission.objects.bulk_create([
        Submission(unit=orgs[n % units], title=f"信息{n}", body="<p>正文。</p>",
                   status=Submission.Status.SUBMITTED,
                   submitted_at=datetime.datetime(2026, 1 + n % 12, 1 + n % 28, 9, tzinfo=zone))
        for n in range(items)], batch_size=2000)
    publication = Publication.objects.create(name="工作简报", slug="gzjb", issuing_office="办公室")
    column = Column.objects.create(publication=publication, name="基层动态")
    issues = [Issue.objects.create(publication=publication, year=2026, number=m,
                                   date=datetime.date(2026, m, 20), status=Issue.Status.PUBLISHED)
              for m in range(1, 13)]
    adopted = submissions[::10]
    articles = Article.objects.bulk_create([
        Article(issue=issues[n % 12], column=column, title=s.title, position=n)
        for n, s in enumerate(adopted)])
    Adoption.objects.bulk_create([
        Adoption(submission=s, issue=a.issue, article=a,
                 mode=Adoption.Mode.COMBINED if n % 4 == 0 else Adoption.Mode.SINGLE)
        for n, (s, a) in enumerate(zip(adopted, articles, strict=True))])
    Submission.objects.filter(pk__in=[s.pk for s in adopted]).update(status=Submission.Status.ADOPTED)
    Recognition.objects.bulk_create([
        Recognition(submission=s, kind=("higher", "instruction")[n % 2],
                    level=("county", "city", "province", "national")[n % 4], name="上级",
                    date=datetime.date(2026, 1 + n % 12, 25), note="证明")
        for n, s in enumerate(adopted[:300])])
    return editor


def measure(work, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=10)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.test import Client

        from intake.reports import report_xlsx, unit_report

        start = time.perf_counter()
        editor = build(arguments.units, arguments.items)
        built = time.perf_counter() - start
        print(f"{arguments.units} 个单位，{arguments.items} 条信息，建库 {built:.1f} 秒")
        client = Client()
        client.force_login(editor)
        cases = {
            "unit_report 全年": lambda: unit_report(year=2026),
            "unit_report 单月": lambda: unit_report(year=2026, month=11),
            "考核页面 全年": lambda: client.get("/admin/intake/report/?year=2026"),
            "XLSX 全年": lambda: report_xlsx(report=unit_report(year=2026)),
        }
        for label, work in cases.items():
            median, best, queries = measure(work, arguments.runs)
            print(f"{label}：中位 {median * 1000:.0f} ms，最快 {best * 1000:.0f} ms，{queries} 次查询")


if __name__ == "__main__":
    main()
