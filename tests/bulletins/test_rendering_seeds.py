"""The five real issues in seeds/, imported and printed, measured page by page."""

from pathlib import Path

import pytest
from django.db import transaction

from bulletins.archive.importer import archive_import_file
from bulletins.models import Issue
from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf
from tests.printing import (
    Measured,
    check_folios,
    check_fonts_embedded,
    check_grid,
    check_tail,
    check_toc_pages,
)

# The module fixtures need the test database set up even when only they are selected.
pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EXPECTED = {  # file name: (pages, tail lines)
    "2020-364": (range(8, 12), ["报：中央协调办、中宣部理论局、中组部干部局", "发：各市委宣传部、组织部"]),
    "2020-365": (range(7, 10), ["送：省协调小组成员单位、省级机关各部委办厅局"]),
    "2023-434": (range(9, 13), ["报：中央协调办、中宣部理论局、中组部干部局"]),
    "2023-454": (range(9, 13), ["送：省协调小组成员单位、省级机关各部委办厅局",
                                "发：各设区市委宣传部、组织部"]),
    "2023-9": (range(20, 25), ["报：省委常委会、省人大常委会、省政府、省政协领导", "共印2000份",
                               "邮编：050051"]),
}


@pytest.fixture(scope="module")
def seeds(django_db_setup, django_db_blocker):
    """{name: (Measured PDF, issue facts)} for every seed, rolled back afterwards."""
    rendered = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for path in sorted(SEEDS.glob("*.txt")):
            assert archive_import_file(path=path).ok
        for issue in Issue.objects.select_related("publication"):
            name = issue_pdf_filename(issue).split("-", 2)[-1].removesuffix(".pdf")
            pdf = render_issue_pdf(issue, use_cache=False)
            rendered[name] = (Measured(pdf), {
                "titles": [a.title for a in issue.articles.order_by("position", "pk")],
                "columns": list(dict.fromkeys(
                    issue.publication.decorate_column(a.column.name)
                    for a in issue.articles.select_related("column").order_by("position", "pk"))),
                "name": issue.publication.name,
                "toc_pages": issue.publication.toc_shows_pages,
                "numbered_tail": issue.publication.number_tail_page,
            })
        transaction.set_rollback(True)
    assert sorted(rendered) == sorted(EXPECTED)
    return rendered


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_pages_are_a4_within_size_and_on_the_grid(seeds, seed):
    pdf, _ = seeds[seed]
    assert len(pdf.pages) in EXPECTED[seed][0]
    assert len(pdf.data) <= 800 * 1024
    for page in pdf.pages:
        assert (round(page.width), round(page.height)) == (595, 842)
    check_grid(pdf)


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_masthead_red_name_on_page_one_only(seeds, seed):
    pdf, facts = seeds[seed]
    red = "".join(c["text"] for c in pdf.red_chars(1)).replace(" ", "")
    assert facts["name"].replace(" ", "") in red
    assert not any(pdf.red_chars(n) for n in range(2, len(pdf.pages) + 1))


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_page_numbers_tail_fonts_and_bookmarks(seeds, seed):
    pdf, facts = seeds[seed]
    check_folios(pdf, numbered_tail=facts["numbered_tail"])
    check_tail(pdf, EXPECTED[seed][1])
    check_fonts_embedded(pdf)
    outline = pdf.reader.outline
    assert [item.title for item in outline if not isinstance(item, list)] == facts["columns"]
    assert [c.title for item in outline if isinstance(item, list) for c in item] == facts["titles"]


def test_hebei_toc_page_numbers_are_the_real_pages(seeds):
    pdf, facts = seeds["2023-9"]
    assert facts["toc_pages"]
    check_toc_pages(pdf, facts["titles"])
