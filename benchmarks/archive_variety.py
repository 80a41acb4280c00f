"""Archive files made elsewhere: how many read back exactly, are held back, or are wrong.

    .venv/bin/python benchmarks/archive_variety.py [--libreoffice]

Lays out each seed issue through several producers — python-docx in two offices' Word
templates (tests/archive_word.py), WeasyPrint with other programs' CSS (tests/archive_layouts.py:
Word-like with and without TOC page numbers, a plain one), and with --libreoffice the Word
files exported to PDF by LibreOffice — and reads each file with each extractor that applies:
the importer itself (python-docx for Word, pdfminer for PDF), `pdftotext` and `pdftotext
-layout`. A file is exact when it reads back to the seed's content (whitespace ignored, as the
importer compares), held back when the importer refuses it or doubts it (nothing imported
without the editor), and wrong otherwise: wrong must be 0. Prints the counts per producer and
extractor and the mean wall-clock time per file of reading it.
"""

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import load_average  # the script's folder is on sys.path
from _django import ROOT, setup_django


def producers(libreoffice: bool, tmp: Path):
    from tests.archive_layouts import plain_style, word_style, write_pdf
    from tests.archive_word import TEMPLATES

    result = {f"python-docx {name}": (template, "docx") for name, template in TEMPLATES.items()}
    result["WeasyPrint Word-like"] = (lambda issue: write_pdf(word_style(issue)), "pdf")
    result["WeasyPrint Word-like, TOC without pages"] = (
        lambda issue: write_pdf(word_style(issue, toc_pages=False)), "pdf")
    result["WeasyPrint plain"] = (lambda issue: write_pdf(plain_style(issue)), "pdf")
    if libreoffice and shutil.which("soffice"):
        for name, template in TEMPLATES.items():
            result[f"python-docx {name} -> LibreOffice PDF"] = (
                lambda issue, template=template: _soffice_pdf(template(issue), tmp), "pdf")
    return result


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


WHITESPACE = re.compile(r"\s+")
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"<(p|h[2-4])>(.*?)</\1>")


def _compact(text: str) -> str:
    return WHITESPACE.sub("", text.replace("**", ""))


def structure(issue, *, extracted: bool) -> dict:
    """What must survive (as tests/bulletins/test_archive_pdf.py checks): masthead, columns,
    titles, subtitles, bylines, sources, 版记, text, paragraphs. Extracted text shows neither
    which line of a title is its subtitle nor always where a paragraph ends: there the title
    and subtitle are compared together and the paragraphs as one text."""
    facts = {
        "masthead": (issue.publication_prefix, issue.publication, issue.marking, issue.year, issue.number,
                     issue.total_number, issue.special, issue.date, _compact("".join(issue.issuing_office))),
        "articles": [(column.name, _compact(a.title + a.subtitle) if extracted else _compact(a.title),
                      "" if extracted else _compact(a.subtitle), _compact(a.byline), _compact(a.source),
                      _compact(a.editor_note))
                     for column in issue.columns for a in column.articles],
        "distribution": [(role, _compact(text)) for role, text in issue.distribution],
        "print_run": issue.print_run,
        "text": _compact("".join(TAG.sub("", a.body_html) for a in issue.articles)),
    }
    if not extracted:
        facts["paragraphs"] = [[(kind, _compact(TAG.sub("", text)))
                                for kind, text in BLOCK.findall(a.body_html)] for a in issue.articles]
    return facts


def classify(content: bytes, name: str, seed, *, extracted: bool) -> str:
    from bulletins.archive.importer import parse_archive_bytes
    from bulletins.archive.types import ArchiveFormatError

    try:
        read = parse_archive_bytes(content, name=name)
    except ArchiveFormatError:
        return "held back"
    if any(issue.doubts for issue in read):
        return "held back"
    same = [structure(issue, extracted=extracted) for issue in read] == [structure(seed, extracted=extracted)]
    return "exact" if same else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libreoffice", action="store_true", help="also export the Word files to PDF")
    args = parser.parse_args()
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        setup_django(tmp / "bench.sqlite3")
        from bulletins.archive.importer import parse_archive_text

        seeds = [parse_archive_text(path.read_text(encoding="utf-8"), name=path.name)[0]
                 for path in sorted((ROOT / "seeds").glob("*.txt"))]
        counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
        wrong: list[str] = []
        for producer, (make, kind) in producers(args.libreoffice, tmp).items():
            for seed in seeds:
                made = make(seed)
                files = {"importer (python-docx)": (made, "issue.docx")} if kind == "docx" else {
                    "importer (pdfminer)": (made, "issue.pdf")}
                if kind == "pdf" and shutil.which("pdftotext"):
                    files["pdftotext"] = (_pdftotext(made, tmp), "issue.txt")
                    files["pdftotext -layout"] = (_pdftotext(made, tmp, "-layout"), "issue.txt")
                for extractor, (content, name) in files.items():
                    start = time.perf_counter()
                    outcome = classify(content, name, seed, extracted=extractor.startswith("pdftotext"))
                    seconds[producer, extractor].append(time.perf_counter() - start)
                    counts[producer, extractor][outcome] += 1
                    if outcome == "wrong":
                        wrong.append(f"{producer} / {extractor}: {seed.label}")
        print(f"{'producer':42} {'extractor':24} {'files':>5} {'exact':>5} {'held':>5} {'wrong':>5}"
              f" {'s/file':>7}")
        for key in counts:
            found = counts[key]
            mean = sum(seconds[key]) / len(seconds[key])
            print(f"{key[0]:42} {key[1]:24} {sum(found.values()):5} {found['exact']:5} "
                  f"{found['held back']:5} {found['wrong']:5} {mean:7.2f}")
        totals = defaultdict(int)
        for found in counts.values():
            for outcome, number in found.items():
                totals[outcome] += number
        print(f"total: exact {totals['exact']}, held back {totals['held back']}, wrong {totals['wrong']}")
        for line in wrong:
            print(f"wrong: {line}")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
