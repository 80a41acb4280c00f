"""Issues laid out in styles drawn at random (fixed seed, tests/archive_variety.py), printed by
WeasyPrint and read by the importer and from pdftotext's text: each reads back to the seed or
is held back, never wrong. benchmarks/archive_variety.py measures the same over hundreds."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletins.archive.importer import parse_archive_bytes, parse_archive_text
from tests.archive_layouts import write_pdf
from tests.archive_variety import html_issue, random_styles

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
WHITESPACE = re.compile(r"\s+")
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r"<(p|h[2-4])>(.*?)</\1>")
STYLES = random_styles(6)


def compact(text: str) -> str:
    return WHITESPACE.sub("", text.replace("**", ""))


def structure(issue, *, extracted: bool) -> dict:
    """Masthead, columns, titles, bylines, sources, 版记, text (and paragraphs, except from
    extracted text, which shows neither a subtitle apart from its title nor every paragraph end)."""
    facts = {
        "masthead": (issue.publication_prefix, issue.publication, issue.marking, issue.number,
                     issue.total_number, issue.date, compact("".join(issue.issuing_office))),
        "articles": [(column.name, compact(a.title + a.subtitle) if extracted else compact(a.title),
                      "" if extracted else compact(a.subtitle), compact(a.byline), compact(a.source))
                     for column in issue.columns for a in column.articles],
        "distribution": [(role, compact(text)) for role, text in issue.distribution],
        "print_run": issue.print_run,
        "text": compact("".join(TAG.sub("", a.body_html) for a in issue.articles)),
    }
    if not extracted:
        facts["paragraphs"] = [[(kind, compact(TAG.sub("", text)))
                                for kind, text in BLOCK.findall(a.body_html)] for a in issue.articles]
    return facts


@pytest.mark.parametrize("index", range(len(STYLES)), ids=lambda i: STYLES[i].label)
def test_a_layout_in_a_random_style_reads_back_or_is_held_back(index, tmp_path):
    path = SEEDS[index % len(SEEDS)]
    seed = parse_archive_text(path.read_text(encoding="utf-8"), name=path.name)[0]
    pdf = write_pdf(html_issue(seed, STYLES[index]))
    files = [(pdf, "issue.pdf", False)]
    if shutil.which("pdftotext"):
        (tmp_path / "in.pdf").write_bytes(pdf)
        for options in ([], ["-layout"]):
            text = subprocess.run([shutil.which("pdftotext"), *options, str(tmp_path / "in.pdf"), "-"],  # noqa: S603
                                  check=True, capture_output=True).stdout
            files.append((text, "issue.txt", True))
    for content, name, extracted in files:
        [read] = parse_archive_bytes(content, name=name)
        if read.doubts:
            continue  # held back: the editor sees the doubts before anything is imported
        assert structure(read, extracted=extracted) == structure(seed, extracted=extracted), name
    # The PDF itself reads back exactly in every style drawn here.
    [read] = parse_archive_bytes(pdf, name="issue.pdf")
    assert read.doubts == []
