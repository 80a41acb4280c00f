"""Benchmark importing a printed PDF: the 22-page seed 第9期 as we print it, and pdftotext's text of it.

    .venv/bin/python benchmarks/archive_pdf.py [--repeat 5]

Renders the seed once (not timed) on a throwaway SQLite database, then times (fastest and
median of --repeat runs, wall clock and CPU time of this process) reading the PDF (pdfminer.six:
characters, lines, logical lines), parsing it into an issue, and the whole import of the file
(dry run: the real import, rolled back); and the same for the text pdftotext extracts from it,
when poppler-utils is installed. The load average before and after is printed: on a shared
machine the wall clock waits for the other processes, the CPU time much less so.
"""

import argparse
import resource
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from _common import load_average, timings  # the script's folder is on sys.path
from _django import ROOT, setup_django


def timed(function, repeat: int) -> str:
    """Fastest and median of `repeat` runs in ms, wall clock and CPU: on a shared machine the
    fastest is the cost."""
    wall, cpu = timings(function, repeat)
    return (f"{min(wall) * 1000:6.0f} ms fastest, {statistics.median(wall) * 1000:6.0f} ms median"
            f" (CPU {min(cpu) * 1000:4.0f} ms fastest, {statistics.median(cpu) * 1000:4.0f} ms median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.db import transaction

        from bulletins.archive.importer import archive_import_file, parse_archive_bytes
        from bulletins.archive.pdf_reader import read_pdf
        from bulletins.models import Issue
        from bulletins.rendering.pdf import render_issue_pdf

        with transaction.atomic():
            seeded = archive_import_file(path=ROOT / "seeds" / "004_ceb4e9f67c3b5b87.txt")
            if not seeded.ok:
                raise SystemExit(seeded.error)
            pdf = render_issue_pdf(Issue.objects.get(), use_cache=False)
            transaction.set_rollback(True)
        read = read_pdf(pdf)
        print(f"PDF: {len(pdf) / 1024:.0f} KiB, {read.pages} pages, {len(read.lines)} logical lines")
        print(f"  read (pdfminer.six, lines):    {timed(lambda: read_pdf(pdf), args.repeat)}")
        parse = timed(lambda: parse_archive_bytes(pdf, name="9.pdf"), args.repeat)
        print(f"  read and parse:                {parse}")
        print(f"  import (dry run, rolled back): "
              f"{timed(lambda: archive_import_file(content=pdf, name='9.pdf', dry_run=True), args.repeat)}")
        if shutil.which("pdftotext"):
            source = Path(tmp) / "9.pdf"
            source.write_bytes(pdf)
            for flags in ([], ["-layout"]):
                target = Path(tmp) / "9.txt"
                subprocess.run(["pdftotext", *flags, str(source), str(target)], check=True)  # noqa: S603, S607
                text = target.read_bytes()
                label = "pdftotext " + (" ".join(flags) or "(plain)")
                print(f"{label}: {len(text) / 1024:.0f} KiB")
                run = timed(lambda: archive_import_file(content=text, name="9.txt", dry_run=True),  # noqa: B023
                            args.repeat)
                print(f"  import (dry run, rolled back): {run}")
        print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
