"""A TOC with page numbers costs one more layout of its pages, and still prints the right numbers."""

import logging

import pytest
import weasyprint
import weasyprint.document
from weasyprint.css import targets

from bulletins.rendering import target_counters
from bulletins.rendering.pdf import render_issue_pdf, write_pdf
from tests.printing import Measured, build_issue, check_toc_pages

pytestmark = pytest.mark.django_db


def repaginations(caplog) -> int:
    return sum("Repagination" in record.getMessage() for record in caplog.records
               if record.name == "weasyprint.progress")


def test_toc_pages_are_laid_out_once_more_and_print_the_pages_of_the_titles(caplog):
    issue = build_issue(toc_shows_pages=True, articles=5, paragraphs=14)
    titles = [article.title for article in issue.articles.order_by("position")]
    caplog.set_level(logging.INFO, logger="weasyprint.progress")

    pdf = Measured(render_issue_pdf(issue, use_cache=False))

    assert len(pdf.pages) >= 6
    assert repaginations(caplog) == 1  # WeasyPrint 70 alone: 2
    check_toc_pages(pdf, titles)


def test_weasyprints_own_collector_repaginates_twice(caplog, monkeypatch):
    """What the correction is for: the same kind of document with WeasyPrint's collector."""
    monkeypatch.setattr(weasyprint.document, "TargetCollector", targets.TargetCollector)
    issue = build_issue(toc_shows_pages=True, articles=5, paragraphs=14)
    caplog.set_level(logging.INFO, logger="weasyprint.progress")

    render_issue_pdf(issue, use_cache=False)

    assert repaginations(caplog) == 2


def test_a_content_with_its_own_page_counter_keeps_it(caplog):
    """`counter(page)` beside a target-counter() in one content is still updated per page."""
    html = """<html><head><style>
      @page { size: A6; }
      .ref::before { content: target-counter(attr(data-target), page) " / " counter(page); }
      .filler { height: 80mm; }
    </style></head><body>
      <p class="ref" data-target="#far"></p><div class="filler"></div><div class="filler"></div>
      <h1 id="far">目标</h1></body></html>"""
    caplog.set_level(logging.INFO, logger="weasyprint.progress")

    pdf = Measured(write_pdf(html))

    first_line = pdf.pages[0].extract_text().splitlines()[0]
    assert first_line == f"{len(pdf.pages)} / 1"


def test_the_correction_is_for_the_weasyprint_in_use():
    """A new WeasyPrint: check whether the two slips are still there, then move the pin."""
    assert weasyprint.__version__ == target_counters.CORRECTED_VERSION
    assert weasyprint.document.TargetCollector is target_counters.TargetCollector
