"""Benchmark printing: each seed issue from the database to PDF bytes, against plain WeasyPrint.

    .venv/bin/python benchmarks/render_pdf.py [--runs 7]

Imports seeds/ into a throwaway SQLite database, then per issue prints its pages and size,
the median of N warm runs of render_issue_pdf (no cache), the median of plain WeasyPrint
writing the same HTML (HTML(string=...).write_pdf(), nothing else), their ratio, and the
median time to serve the unchanged issue from the PDF cache; then the Word and OFD editions:
size, median time of render_issue_docx (the PDF, needed only for contents page numbers, from
the cache, as in the views), median time of writing the OFD from the issue's PDF
(render_printed_issue_ofd, no cache) and of serving an unchanged OFD from the cache.
"""

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from _django import ROOT, setup_django  # the script's folder is on sys.path


def median_seconds(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        import pypdf
        from weasyprint import HTML

        from bulletins.archive.importer import archive_import_file
        from bulletins.models import Issue
        from bulletins.rendering.docx import render_issue_docx
        from bulletins.rendering.fetcher import BASE_URL
        from bulletins.rendering.html import printed_issue, render_issue_html
        from bulletins.rendering.ofd import render_issue_ofd, render_printed_issue_ofd
        from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf

        for path in sorted((ROOT / "seeds").glob("*.txt")):
            archive_import_file(path=path)
        issues = list(Issue.objects.select_related("publication").order_by("publication__slug", "year",
                                                                            "number"))
        print(f"{'issue':<28} {'pages':>5} {'size KB':>8} {'render s':>9} {'plain s':>8} "
              f"{'ratio':>6} {'cache ms':>9} {'docx KB':>8} {'docx s':>7} {'ofd KB':>7} {'ofd s':>6} "
              f"{'ofd hit ms':>10}")
        for issue in issues:
            pdf = render_issue_pdf(issue, use_cache=False)  # warm: fonts, cmaps, templates
            html = render_issue_html(printed_issue(issue))
            HTML(string=html, base_url=BASE_URL).write_pdf()
            ours = median_seconds(lambda issue=issue: render_issue_pdf(issue, use_cache=False), args.runs)
            plain = median_seconds(lambda html=html: HTML(string=html, base_url=BASE_URL).write_pdf(),
                                   args.runs)
            render_issue_pdf(issue)  # fill the cache
            cached = median_seconds(lambda issue=issue: render_issue_pdf(issue), args.runs)
            pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
            docx_size = len(render_issue_docx(issue))
            docx_s = median_seconds(lambda issue=issue: render_issue_docx(issue), args.runs)
            ofd_size = len(render_issue_ofd(issue))  # fills the OFD cache
            printed = printed_issue(issue)
            ofd_s = median_seconds(lambda printed=printed, pdf=pdf: render_printed_issue_ofd(printed, pdf),
                                   args.runs)
            ofd_hit = median_seconds(lambda issue=issue: render_issue_ofd(issue), args.runs)
            print(f"{issue_pdf_filename(issue):<28} {pages:>5} {len(pdf) / 1024:>8.0f} {ours:>9.3f} "
                  f"{plain:>8.3f} {ours / plain:>6.2f} {cached * 1000:>9.1f} {docx_size / 1024:>8.0f} "
                  f"{docx_s:>7.3f} {ofd_size / 1024:>7.0f} {ofd_s:>6.3f} {ofd_hit * 1000:>10.1f}")


if __name__ == "__main__":
    main()
