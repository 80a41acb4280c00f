"""Benchmark proofreading: every seed issue, checked as the 校对 panel and the command do.

    .venv/bin/python benchmarks/proofread.py [--runs 7] [--wording 300]

Imports seeds/ into a throwaway SQLite database, gives each publication a wording list of
`--wording` entries (random forms that do not occur, so every one is searched for in full),
and prints per issue: articles, characters stored in the checked fields (body as HTML),
findings, database queries, and the median and worst time of `proofread_issue` (database to
findings, fonts already loaded) over `--runs` runs; and, once, the time to read the
fonts' character maps for the printability check.
"""

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from _common import timings  # the script's folder is on sys.path
from _django import import_seeds, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--wording", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from bulletins.models import Issue, Publication, WordingRule
        from bulletins.proofreading import ARTICLE_FIELDS, proofread_issue
        from bulletins.proofreading.run import printable_codepoints

        import_seeds()
        rng = random.Random(13)
        for publication in Publication.objects.all():
            WordingRule.objects.bulk_create(
                WordingRule(publication=publication,
                            wrong="".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(3, 6))),
                            right=f"规范写法{n}") for n in range(args.wording))
        started = time.perf_counter()
        printable_codepoints()  # the fonts' character maps are read once per process
        print(f"fonts' character maps, read once per process: {time.perf_counter() - started:.2f} s")

        print(f"{'issue':<40} {'articles':>8} {'chars':>7} {'findings':>8} {'queries':>7} "
              f"{'median s':>9} {'max s':>7}")
        for issue in Issue.objects.select_related("publication").order_by("publication", "year", "number"):
            chars = sum(len(getattr(a, name)) for a in issue.articles.all() for name in ARTICLE_FIELDS)
            with CaptureQueriesContext(connection) as queries:
                result = proofread_issue(issue)
            times, _ = timings(lambda issue=issue: proofread_issue(issue), args.runs)
            print(f"{str(issue):<40} {issue.articles.count():>8} {chars:>7} {len(result.findings):>8} "
                  f"{len(queries):>7} {statistics.median(times):>9.3f} {max(times):>7.3f}")


if __name__ == "__main__":
    main()
