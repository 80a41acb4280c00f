"""The Word and OFD editions of the five real issues in seeds/, checked against their PDFs.

The Word files are converted back to PDF by LibreOffice (one run for all five)."""

from pathlib import Path

import pytest
from django.db import transaction

from bulletins.archive.importer import archive_import_file
from bulletins.models import Issue
from bulletins.rendering.docx import render_issue_docx
from bulletins.rendering.ofd import render_issue_ofd
from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf
from tests.bulletins.test_rendering_ofd import check_matches_pdf, check_structure
from tests.editions import (
    LICENSED,
    OFDPackage,
    all_paragraphs,
    east_asian_font,
    libreoffice_to_pdf,
    open_docx,
)
from tests.printing import Measured

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NAMES = ["2020-364", "2020-365", "2023-434", "2023-454", "2023-9"]


@pytest.fixture(scope="module")
def editions(django_db_setup, django_db_blocker, tmp_path_factory):
    """{name: (PDF, docx bytes, OFD bytes, LibreOffice's PDF of the docx, facts)}."""
    out = tmp_path_factory.mktemp("editions")
    made = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for path in sorted(SEEDS.glob("*.txt")):
            assert archive_import_file(path=path).ok
        for issue in Issue.objects.select_related("publication"):
            name = issue_pdf_filename(issue).split("-", 2)[-1].removesuffix(".pdf")
            pdf = render_issue_pdf(issue, use_cache=False)
            docx_data = render_issue_docx(issue)
            (out / f"{name}.docx").write_bytes(docx_data)
            articles = list(issue.articles.order_by("position", "pk"))
            made[name] = [Measured(pdf), docx_data, render_issue_ofd(issue), None, {
                "titles": [a.title for a in articles],
                "tail": [f"{line.role}：{line.text}" for line in issue.distribution_lines()],
                "name": issue.publication.name,
            }]
        transaction.set_rollback(True)
    converted = libreoffice_to_pdf([out / f"{name}.docx" for name in made], out)
    for name, pdf in converted.items():
        made[name][3] = Measured(pdf)
    assert sorted(made) == sorted(NAMES)
    return made


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("seed", NAMES)
def test_docx_has_fonts_masthead_titles_and_tail_in_order(editions, seed):
    _, data, _, _, facts = editions[seed]
    document = open_docx(data)
    assert any(p.style.name == "刊名" and _squash(p.text) == _squash(facts["name"])
               for p in document.paragraphs)
    titles = [_squash(p.text) for p in document.paragraphs if p.style.name == "文章标题"]
    assert titles == [_squash(t) for t in facts["titles"]]
    for paragraph in all_paragraphs(document):
        for run in paragraph.runs:
            if run.text.strip():
                assert east_asian_font(document, paragraph, run) in LICENSED
    tail = [p.text for row in document.tables[-1].rows for p in row.cells[0].paragraphs]
    assert tail[:len(facts["tail"])] == facts["tail"]


@pytest.mark.parametrize("seed", NAMES)
def test_libreoffice_lays_out_the_docx_within_a_page_of_ours(editions, seed):
    pdf, _, _, office, facts = editions[seed]
    assert abs(len(office.pages) - len(pdf.pages)) <= 1, (len(office.pages), len(pdf.pages))
    text = _squash("".join(page.extract_text() for page in office.pages))
    for title in facts["titles"]:
        assert _squash(title) in text, title
    red = _squash("".join(c["text"] for c in office.red_chars(1)))
    assert _squash(facts["name"]) in red


@pytest.mark.parametrize("seed", NAMES)
def test_ofd_is_well_formed_and_matches_the_pdf(editions, seed):
    pdf, _, data, _, _ = editions[seed]
    ofd = OFDPackage(data)
    check_structure(ofd)
    check_matches_pdf(ofd, pdf)
