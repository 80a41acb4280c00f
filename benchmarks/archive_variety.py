"""Archive files made elsewhere: how many read back exactly, are held back, or are wrong.

    .venv/bin/python benchmarks/archive_variety.py [--styles 40] [--chromium] [--libreoffice]

Draws --styles layouts at random (fixed seed; tests/archive_variety.py: masthead arrangements,
date forms, fonts and sizes, TOC with leaders and pages / titles only / none, column heading
styles, the 版记 as a table or ruled paragraphs), each for one seed issue in turn, and makes
each through the producers — WeasyPrint, with --chromium headless Chromium, python-docx in the
offices' Word templates (tests/archive_word.py), with --libreoffice those Word files
exported to PDF by LibreOffice — then reads each file with each extractor that applies: the
importer itself (python-docx for Word, pdfminer for PDF), `pdftotext` and `pdftotext -layout`.
A style also varies the issue (tests/archive_variety.py `issue_for`: a 增刊, more bylines).
A file is exact when it reads back to that issue (`structure`: extracted text cannot show a
subtitle apart from its title nor every paragraph end),
held back when the importer refuses it or doubts it (nothing is imported without the editor),
and wrong otherwise: wrong must be 0. Prints the counts per producer and extractor and the
mean wall-clock time per file of reading it (not of making it).
"""

import argparse
import logging
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import load_average  # the script's folder is on sys.path
from _django import ROOT, setup_django


def producers(libreoffice: bool, chromium: bool, tmp: Path):
    """name -> (make(issue, style, index) -> bytes, kind)."""
    from tests.archive_layouts import write_pdf
    from tests.archive_variety import html_issue
    from tests.archive_word import TEMPLATES

    templates = [TEMPLATES[name] for name in sorted(TEMPLATES)]
    result = {
        "WeasyPrint (random CSS)": (lambda issue, style, index: write_pdf(html_issue(issue, style)), "pdf"),
        "python-docx (office templates)": (
            lambda issue, style, index: templates[index % len(templates)](issue), "docx"),
    }
    if chromium and shutil.which("chromium"):
        result["headless Chromium (random CSS)"] = (
            lambda issue, style, index: _chromium_pdf(html_issue(issue, style, page_numbers=False), tmp),
            "pdf")
    if libreoffice and shutil.which("soffice"):
        result["python-docx -> LibreOffice PDF"] = (
            lambda issue, style, index: _soffice_pdf(templates[index % len(templates)](issue), tmp), "pdf")
    return result


def _chromium_pdf(document: str, tmp: Path) -> bytes:
    source = tmp / "issue.html"
    source.write_text(document, encoding="utf-8")
    target = tmp / "chromium.pdf"
    subprocess.run([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu",  # noqa: S603
                    "--no-pdf-header-footer", f"--user-data-dir={tmp}/chromium-profile",
                    f"--print-to-pdf={target}", source.as_uri()],
                   check=True, capture_output=True, timeout=120)
    return target.read_bytes()


def _soffice_pdf(docx: bytes, tmp: Path) -> bytes:
    source = tmp / "issue.docx"
    source.write_bytes(docx)
    subprocess.run([shutil.which("soffice"), f"-env:UserInstallation=file://{tmp}/profile",  # noqa: S603
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(source)],
                   check=True, capture_output=True, timeout=300)
    return (tmp / "issue.pdf").read_bytes()


def _pdftotext(pdf: bytes, tmp: Path, *options: str) -> bytes:
    source = tmp / "extract.pdf"
    source.write_bytes(pdf)
    return subprocess.run([shutil.which("pdftotext"), *options, str(source), "-"],  # noqa: S603
                          check=True, capture_output=True, timeout=120).stdout


def classify(content: bytes, name: str, seed, *, extracted: bool) -> tuple[str, str]:
    """(exact | held back | wrong, why: the refusal or first doubt, or the parts that differ)."""
    from bulletins.archive.importer import parse_archive_bytes
    from bulletins.archive.types import ArchiveFormatError
    from tests.archive_variety import structure

    try:
        read = parse_archive_bytes(content, name=name)
    except ArchiveFormatError as exc:
        return "held back", exc.message
    doubts = [doubt for issue in read for doubt in issue.doubts]
    if doubts:
        return "held back", doubts[0]
    found = [structure(issue, extracted=extracted) for issue in read]
    wanted = structure(seed, extracted=extracted)
    if found == [wanted]:
        return "exact", ""
    return "wrong", ", ".join(key for key in wanted if not found or found[0].get(key) != wanted[key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", type=int, default=40, help="layouts drawn at random (seed 24)")
    parser.add_argument("--libreoffice", action="store_true", help="also export the Word files to PDF")
    parser.add_argument("--chromium", action="store_true", help="also print the HTML with headless Chromium")
    parser.add_argument("--explain", action="store_true", help="print why each file was held back")
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's fonts lack a FontBBox
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        setup_django(tmp / "bench.sqlite3")
        from bulletins.archive.importer import parse_archive_text
        from tests.archive_variety import issue_for, random_styles

        seeds = [parse_archive_text(path.read_text(encoding="utf-8"), name=path.name)[0]
                 for path in sorted((ROOT / "seeds").glob("*.txt"))]
        counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
        wrong: list[str] = []
        made_producers = producers(args.libreoffice, args.chromium, tmp)
        for index, style in enumerate(random_styles(args.styles)):
            seed = issue_for(seeds[index % len(seeds)], style)
            for producer, (make, kind) in made_producers.items():
                made = make(seed, style, index)
                files = {"importer (python-docx)": (made, "issue.docx")} if kind == "docx" else {
                    "importer (pdfminer)": (made, "issue.pdf")}
                if kind == "pdf" and shutil.which("pdftotext"):
                    files["pdftotext"] = (_pdftotext(made, tmp), "issue.txt")
                    files["pdftotext -layout"] = (_pdftotext(made, tmp, "-layout"), "issue.txt")
                for extractor, (content, name) in files.items():
                    start = time.perf_counter()
                    outcome, why = classify(content, name, seed, extracted=extractor.startswith("pdftotext"))
                    seconds[producer, extractor].append(time.perf_counter() - start)
                    counts[producer, extractor][outcome] += 1
                    if outcome == "wrong" or (outcome == "held back" and args.explain):
                        wrong.append(f"{outcome}: {producer} / {extractor}: {seed.label} in style {index} "
                                     f"{style.label}: {why}")
        print(f"{'producer':34} {'extractor':24} {'files':>5} {'exact':>5} {'held':>5} {'wrong':>5}"
              f" {'s/file':>7}")
        for key in counts:
            found = counts[key]
            mean = sum(seconds[key]) / len(seconds[key])
            print(f"{key[0]:34} {key[1]:24} {sum(found.values()):5} {found['exact']:5} "
                  f"{found['held back']:5} {found['wrong']:5} {mean:7.2f}")
        totals = defaultdict(int)
        for found in counts.values():
            for outcome, number in found.items():
                totals[outcome] += number
        print(f"total {sum(totals.values())} files: exact {totals['exact']}, "
              f"held back {totals['held back']}, wrong {totals['wrong']}")
        for line in wrong:
            print(line)
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
