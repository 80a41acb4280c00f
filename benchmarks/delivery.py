"""Benchmark delivery: an issue delivered to 300 units, and a reader's watermarked copy of a PDF.

    .venv/bin/python benchmarks/delivery.py [--units 300] [--runs 5] [--pages 8]

On a throwaway SQLite database: a printed issue whose 版记 sends it to N units (three saved lists
and one unit singly), each unit with one 收文员 with an address. Prints the median time of
`issue_deliver` (rows, events and the N mails, sent to Django's in-memory mailbox) and its query
count; the office's 送达与签收 page and the statistics page (time and queries); and, for a PDF
of record of P pages rendered once with WeasyPrint, the time of the first stamp of a reader (the
font subset is made) and of the next ones (subset cached), with the sizes.
"""

import argparse
import datetime
import statistics
import tempfile
import time
from pathlib import Path

from _common import load_average, timings  # the script's folder is on sys.path
from _django import setup_django


def build(units: int):
    from django.contrib.auth.models import User

    from bulletins.models import Column, DistributionList, Issue, Organisation, Publication, UnitReader
    from bulletins.services import article_create, issue_add_recipient, issue_create

    editor = User.objects.create(username="bianji", is_staff=True, is_superuser=True)
    publication = Publication.objects.create(name="工作简报", slug="gzjb", issuing_office="办公室")
    column = Column.objects.create(publication=publication, name="工作动态")
    Organisation.objects.bulk_create(Organisation(name=f"第{n:03d}单位") for n in range(units))
    organisations = list(Organisation.objects.order_by("name"))
    readers = User.objects.bulk_create(User(username=f"r{n:03d}", email=f"r{n:03d}@example.cn")
                                       for n in range(units))
    UnitReader.objects.bulk_create(UnitReader(unit=o, user=u) for o, u in zip(organisations, readers,
                                                                              strict=True))
    issue = issue_create(publication=publication, date=datetime.date(2023, 11, 25), by=editor)
    article_create(issue=issue, column=column, title="会议精神", body="<p>正文。</p>", by=editor)
    third = (units - 1) // 3
    for n, role in enumerate(["报", "送", "发"]):
        members = DistributionList.objects.create(publication=publication, name=f"名单{n}", role=role)
        for position, organisation in enumerate(organisations[n * third:(n + 1) * third]):
            members.members.create(organisation=organisation, position=position)
        issue_add_recipient(issue=issue, role=role, distribution_list=members, by=editor)
    for organisation in organisations[3 * third:]:
        issue_add_recipient(issue=issue, role="抄送", organisation=organisation, by=editor)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SIGNED)
    issue.refresh_from_db()
    return editor, issue


def deliver_once(issue, editor) -> tuple[float, int, int]:
    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bulletins.models import Delivery, Issue
    from bulletins.services.delivery import issue_deliver
    from editorial.workflow import publish

    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SIGNED, printed_distribution=None)
    publish(issue=issue, by=editor)  # delivers on its commit: undone, to time the delivery alone
    Delivery.objects.all().delete()
    mail.outbox = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        issue_deliver(issue=issue)  # its mails go out when this block commits
    return time.perf_counter() - started, len(queries), len(mail.outbox)


def page(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            status = client.get(url).status_code
            times.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        editor, issue = build(args.units)
        runs = [deliver_once(issue, editor) for _ in range(args.runs)]
        seconds, queries, mails = statistics.median(r[0] for r in runs), runs[-1][1], runs[-1][2]
        print(f"issue_deliver to {args.units} units: median {seconds * 1000:.1f} ms of {args.runs} runs, "
              f"{queries} queries, {mails} mails")

        client = Client()
        client.force_login(editor)
        for label, url in [("送达与签收 page", reverse("editorial:issue_delivery", args=[issue.pk])),
                           ("statistics page", reverse("editorial:delivery_statistics")
                            + "?start=2000-01-01&end=2100-01-01&within=3")]:
            seconds, queries = page(client, url, args.runs)
            print(f"{label}: median {seconds * 1000:.1f} ms, {queries} queries")

        stamp(args.pages, args.runs)
        print(f"load average: {load_average()}")


def stamp(pages: int, runs: int) -> None:
    from weasyprint import HTML

    from bulletins.rendering import stamp as stamping

    body = "".join(f"<h1>第{n + 1}页</h1><p>{'学习贯彻党的二十大精神，推动理论学习走深走实。' * 60}</p>"
                   "<p style='page-break-after:always'></p>" for n in range(pages))
    record = HTML(string=body).write_pdf()
    stamping._subset.cache_clear()
    wall, _ = timings(lambda: stamping.stamp_pdf(record, "南京市委宣传部 李明 2026-12-04 19:30"), 1)
    print(f"stamp a {pages}-page PDF ({len(record) / 1024:.0f} KB), first for a reader (subset made): "
          f"{wall[0] * 1000:.1f} ms")
    wall, _ = timings(lambda: stamping.stamp_pdf(record, "南京市委宣传部 李明 2026-12-04 19:31"), runs * 4)
    copy = stamping.stamp_pdf(record, "南京市委宣传部 李明 2026-12-04 19:32")
    print(f"stamp again (subset cached): median {statistics.median(wall) * 1000:.1f} ms of {runs * 4}, "
          f"copy {len(copy) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
