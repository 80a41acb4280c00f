"""Issues laid out in styles drawn at random (fixed seed, tests/archive_variety.py), printed by
WeasyPrint and read by the importer and from pdftotext's text: each reads back to the seed or
is held back, never wrong. benchmarks/archive_variety.py measures the same over hundreds."""

import shutil
import subprocess
from pathlib import Path

import pytest

from bulletins.archive.importer import parse_archive_bytes, parse_archive_text
from tests.archive_layouts import write_pdf
from tests.archive_variety import html_issue, issue_for, random_styles, structure

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
STYLES = random_styles(6)


@pytest.mark.parametrize("index", range(len(STYLES)), ids=lambda i: STYLES[i].label)
def test_a_layout_in_a_random_style_reads_back_or_is_held_back(index, tmp_path):
    path = SEEDS[index % len(SEEDS)]
    seed = issue_for(parse_archive_text(path.read_text(encoding="utf-8"), name=path.name)[0], STYLES[index])
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
