"""How full the pages of generated issues are: the distribution of page fill.

    .venv/bin/python benchmarks/page_fill.py [--issues 30] [--seed 0]

Generates issues of random shape as the layout test does (tests/layout.py: 2-7 articles of
random length with headings, tables of up to 40 rows and pictures, fixed seeds), lays each out
as the PDF is (no PDF written) in a throwaway SQLite database and media folder, and prints the
share of the text block filled on every page except each issue's last, as a histogram; then,
for the pages followed by a page that starts an article, how much was left empty and how many
of those were left more than a third empty although the next article's head would have fitted.
"""

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from _django import setup_django  # the script's folder is on sys.path

BINS = [(0.0, 0.5), (0.5, 0.667), (0.667, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--issues", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    setup_django(folder / "db.sqlite3")
    from bulletins.rendering.html import printed_issue, render_issue_html
    from bulletins.rendering.pdf import render_document
    from tests.layout import generate_issue, page_layouts, pushed_over_pages

    fills, pushed, times, pages_total = [], [], [], 0
    for seed in range(args.seed, args.seed + args.issues):
        issue = generate_issue(seed, folder / "media")
        start = time.perf_counter()
        pages = page_layouts(render_document(render_issue_html(printed_issue(issue))))
        times.append(time.perf_counter() - start)
        pages_total += len(pages)
        fills += [1 - page.empty_share for page in pages[:-1]]
        pushed += pushed_over_pages(pages)
    print(f"{args.issues} issues (seeds {args.seed}-{args.seed + args.issues - 1}), {pages_total} pages; "
          f"layout median {statistics.median(times) * 1000:.0f} ms an issue")
    print("fill of the text block, every page but an issue's last:")
    for low, high in BINS:
        count = sum(low <= fill < high for fill in fills)
        print(f"  {low:5.0%} - {min(high, 1):4.0%}: {count:4d} {'#' * round(60 * count / len(fills))}")
    print(f"  median {statistics.median(fills):.0%}, lowest {min(fills):.0%}")
    empty = sorted(page.empty_share for page in pushed)
    print(f"pages before an article that starts on the next page: {len(pushed)}; empty share "
          f"median {statistics.median(empty):.0%}, 90th percentile {empty[int(len(empty) * 0.9)]:.0%}, "
          f"max {empty[-1]:.0%}")
    over = [page for page in pushed if page.empty_share > 1 / 3]
    print(f"  more than a third empty: {len(over)}, of which the next article's head would have "
          f"fitted: {sum(page.head_would_fit for page in over)}")


if __name__ == "__main__":
    main()
