"""Benchmark printing: each seed issue from the database to PDF bytes, against plain WeasyPrint.

    .venv/bin/python benchmarks/render_pdf.py [--runs 7]

Imports seeds/ into a throwaway SQLite database and prepares the process as the servers'
processes that print are (prepare_process_for_rendering), then per issue prints its pages and size;
the median of N warm runs of render_issue_pdf (database to PDF bytes, no cache), wall and
CPU time; the median of plain WeasyPrint, as released, writing the same HTML
(HTML(string=...).write_pdf(font_config=...), nothing else; one FontConfiguration for all
runs, so @font-face files are registered once, as in our renderer; without our corrections of
pydyf's compression level and WeasyPrint's target counters, bulletins/rendering/compression.py
and target_counters.py) and the ratio of the two;
the median of that plain WeasyPrint writing the issue's HTML with the full font faces only (no
reduced faces: what printing cost before them), wall and CPU time, that PDF's size and the
speed-up of ours against it (wall time);
and the median time to serve the unchanged issue from the PDF cache.

The three are run in turn (ours, plain, full faces; N times), so they meet the same load.
The machine is shared, so absolute times move with its load (printed before and after); the
CPU time and the two ratios move much less.

    .venv/bin/python benchmarks/render_pdf.py --runs 7 --stages

also prints, per issue, where our CPU time goes (medians, run in turn): the whole of
render_issue_pdf, laying out the HTML (render_document: parsing, styles, layout) and writing
the laid-out document (document_to_pdf: drawing, font subsets, compression), the rest being
loading the issue, its HTML and the glyph check; and how many page layouts WeasyPrint made (from its progress
log: a page is laid out again when a target-counter() it holds changes).
"""

import argparse
import contextlib
import dataclasses
import io
import logging
import statistics
import tempfile
import time
from pathlib import Path

from _common import load_average, median_seconds  # the script's folder is on sys.path
from _django import import_seeds, setup_django


@contextlib.contextmanager
def stock_weasyprint():
    """WeasyPrint and pydyf as released: our two corrections undone for the duration."""
    import zlib

    import pydyf
    import weasyprint.document
    from weasyprint.css.targets import TargetCollector

    ours = pydyf.zlib, weasyprint.document.TargetCollector
    pydyf.zlib, weasyprint.document.TargetCollector = zlib, TargetCollector
    try:
        yield
    finally:
        pydyf.zlib, weasyprint.document.TargetCollector = ours


def interleaved(functions: dict, runs: int) -> dict:
    """Median wall and CPU seconds of each function, run in turn, so that all of them meet the
    same load of a shared machine: {name: (wall, cpu)}."""
    times = {name: ([], []) for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            times[name][0].append(time.perf_counter() - wall)
            times[name][1].append(time.process_time() - cpu)
    return {name: (statistics.median(wall), statistics.median(cpu))
            for name, (wall, cpu) in times.items()}


class PageLayouts(logging.Handler):
    """Counts the pages WeasyPrint lays out (its "Creating layout - Page N" progress records,
    not those it reuses as up to date)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Creating layout - Page" in message and "up-to-date" not in message:
            self.count += 1


def page_layouts(function) -> int:
    progress = logging.getLogger("weasyprint.progress")
    counter, level, propagate = PageLayouts(), progress.level, progress.propagate
    progress.addHandler(counter)
    progress.setLevel(logging.INFO)
    progress.propagate = False  # counted, not printed
    try:
        function()
    finally:
        progress.removeHandler(counter)
        progress.setLevel(level)
        progress.propagate = propagate
    return counter.count


def print_stages(issue, runs: int) -> None:
    from bulletins.rendering.fonts import current_fonts
    from bulletins.rendering.html import printed_issue, render_issue_html
    from bulletins.rendering.pdf import document_to_pdf, render_document, render_issue_pdf

    fonts = current_fonts()
    html = render_issue_html(printed_issue(issue), fonts=fonts)
    document = render_document(html, fonts=fonts)
    measured = interleaved({
        "whole": lambda: render_issue_pdf(issue, use_cache=False),
        "layout": lambda: render_document(html, fonts=fonts),
        "write": lambda: document_to_pdf(document)}, runs)
    whole, layout, write = (cpu for _, cpu in measured.values())
    layouts = page_layouts(lambda: render_document(html, fonts=fonts))
    # Medians of separate runs: on a loaded machine layout + write can exceed the whole.
    print(f"{'':<28} CPU s: whole {whole:.3f}, layout {layout:.3f}, write {write:.3f}; "
          f"{layouts} page layouts for {len(document.pages)} pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--stages", action="store_true",
                        help="also print where our CPU time goes, and the page layouts made")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        import pypdf
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        from bulletins.models import Issue
        from bulletins.rendering import prepare_process_for_rendering
        from bulletins.rendering.fetcher import BASE_URL
        from bulletins.rendering.fonts import current_fonts
        from bulletins.rendering.html import printed_issue, render_issue_html
        from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf

        fonts = current_fonts()
        font_config = FontConfiguration()  # @font-face files registered once, as render_issue_pdf does
        full_only = dataclasses.replace(fonts, reduced={})
        print("reduced faces:", ", ".join(Path(face.path).name for face in fonts.reduced.values())
              or "none (run manage.py build_reduced_fonts)")
        import_seeds()
        prepare_process_for_rendering()  # as a web worker and the render child start
        issues = list(Issue.objects.select_related("publication").order_by("publication__slug", "year",
                                                                            "number"))
        print("load average", load_average())
        print(f"{'issue':<28} {'pages':>5} {'size KB':>8} {'render s':>9} {'cpu s':>6} {'plain s':>8} "
              f"{'ratio':>6} {'full s':>7} {'cpu s':>6} {'full KB':>8} {'speed-up':>8} {'cache ms':>9}")
        for issue in issues:
            pdf = render_issue_pdf(issue, use_cache=False)  # warm: fonts, cmaps, templates
            printed = printed_issue(issue)
            html = render_issue_html(printed)
            full_html = render_issue_html(printed, fonts=full_only)

            def plain(html=html):
                with stock_weasyprint():
                    return HTML(string=html, base_url=BASE_URL).write_pdf(font_config=font_config)

            def plain_full(full_html=full_html):
                with stock_weasyprint():
                    return HTML(string=full_html, base_url=BASE_URL).write_pdf()

            plain()
            full_pdf = plain_full()
            measured = interleaved({
                "ours": lambda issue=issue: render_issue_pdf(issue, use_cache=False),
                "plain": plain, "full": plain_full}, args.runs)
            (ours, ours_cpu), (plain_seconds, _), (full_seconds, full_cpu) = measured.values()
            render_issue_pdf(issue)  # fill the cache
            cached = median_seconds(lambda issue=issue: render_issue_pdf(issue), args.runs)
            pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
            print(f"{issue_pdf_filename(issue):<28} {pages:>5} {len(pdf) / 1024:>8.0f} {ours:>9.3f} "
                  f"{ours_cpu:>6.3f} "
                  f"{plain_seconds:>8.3f} {ours / plain_seconds:>6.2f} {full_seconds:>7.3f} {full_cpu:>6.3f} "
                  f"{len(full_pdf) / 1024:>8.0f} {full_seconds / ours:>8.2f} {cached * 1000:>9.1f}")
            if args.stages:
                print_stages(issue, args.runs)
        print("load average", load_average())


if __name__ == "__main__":
    main()
