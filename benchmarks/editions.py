"""Benchmark the Word and OFD editions of each seed issue (the PDF is benchmarks/render_pdf.py).

    .venv/bin/python benchmarks/editions.py [--runs 7]

Imports seeds/ into a throwaway SQLite database, then per issue prints the size and median
time of render_issue_docx (the PDF, needed only for contents page numbers, from the cache, as
in the views), the size and median time of writing the OFD from the issue's PDF
(render_printed_issue_ofd, no cache), and the median time to serve an unchanged OFD from the
cache.
"""

import argparse
import tempfile
from pathlib import Path

from _common import median_seconds  # the script's folder is on sys.path
from _django import import_seeds, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from bulletins.models import Issue
        from bulletins.rendering.docx import render_issue_docx
        from bulletins.rendering.html import printed_issue
        from bulletins.rendering.ofd import render_issue_ofd, render_printed_issue_ofd
        from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf

        import_seeds()
        issues = Issue.objects.select_related("publication").order_by("publication__slug", "year", "number")
        print(f"{'issue':<28} {'docx KB':>8} {'docx s':>7} {'ofd KB':>7} {'ofd s':>6} {'ofd hit ms':>10}")
        for issue in issues:
            pdf = render_issue_pdf(issue)  # warm: fonts, templates; fills the PDF cache
            docx_size = len(render_issue_docx(issue))
            docx_s = median_seconds(lambda issue=issue: render_issue_docx(issue), args.runs)
            ofd_size = len(render_issue_ofd(issue))  # fills the OFD cache
            printed = printed_issue(issue)
            ofd_s = median_seconds(lambda printed=printed, pdf=pdf: render_printed_issue_ofd(printed, pdf),
                                   args.runs)
            ofd_hit = median_seconds(lambda issue=issue: render_issue_ofd(issue), args.runs)
            print(f"{issue_pdf_filename(issue).removesuffix('.pdf'):<28} {docx_size / 1024:>8.0f} "
                  f"{docx_s:>7.3f} {ofd_size / 1024:>7.0f} {ofd_s:>6.3f} {ofd_hit * 1000:>10.1f}")


if __name__ == "__main__":
    main()
