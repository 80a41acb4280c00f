"""The seed archive meets the directory: recipients, re-import, merging, the mailroom sheet."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from import_export.formats.base_formats import CSV, XLSX

from bulletins.archive.importer import archive_import_file
from bulletins.mailroom import mailroom_sheet
from bulletins.models import Article, Issue, IssueRecipient, Organisation
from bulletins.resources import (
    ArticleResource,
    DistributionListResource,
    IssueResource,
    OrganisationResource,
    result_errors,
)
from bulletins.services import organisation_merge

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
RESOURCES = [OrganisationResource, DistributionListResource, IssueResource, ArticleResource]


@pytest.fixture
def seeds():
    results = [archive_import_file(path=path) for path in sorted(SEEDS.glob("*.txt"))]
    assert [r.error for r in results] == [None] * len(results)


def _printed():
    return {issue.pk: [str(line) for line in issue.distribution_lines()]
            for issue in Issue.objects.all()}


def _rows(fmt, data):
    dataset = fmt().create_dataset(data)
    return dataset.headers, [list(row) for row in dataset]


def test_every_seed_recipient_is_in_the_directory_export(seeds):
    exported = {row[0] for row in OrganisationResource().export()}
    recipients = {org.name for issue in Issue.objects.all()
                  for _, org in issue.recipient_organisations()}
    assert recipients
    assert recipients <= exported
    for name in ("中央协调办", "中宣部理论局", "中组部干部局", "省协调小组成员单位",
                 "省级机关各部委办厅局", "省委常委会", "华北油田公司党委讲师团"):
        assert name in exported, name


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_exported_seed_organisations_reimport_without_changes(seeds, fmt):
    printed = _printed()
    exported = fmt().export_data(OrganisationResource().export())
    result = OrganisationResource().import_data(fmt().create_dataset(exported))
    assert result_errors(result) == []
    count = Organisation.objects.count()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, count)
    assert _rows(fmt, fmt().export_data(OrganisationResource().export())) == _rows(fmt, exported)
    assert _printed() == printed


def test_seed_organisations_through_the_management_commands(seeds, tmp_path):
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command("export", "XLSX", "bulletins.resources.OrganisationResource", stdout=out)
    out.flush()
    path = tmp_path / "单位.xlsx"
    path.write_bytes(out.buffer.getvalue())
    err = io.StringIO()
    call_command("import", "bulletins.resources.OrganisationResource", str(path), "--no-input",
                 stderr=err)
    count = Organisation.objects.count()
    assert f"Import finished: 0 new, 0 updated, 0 deleted and {count} skipped 单位." in err.getvalue()


def test_the_seed_archive_round_trips_through_every_resource(seeds):
    printed = _printed()
    exported = {r: XLSX().export_data(r().export()) for r in RESOURCES}
    Article.objects.all().delete()
    IssueRecipient.objects.all().delete()
    Issue.objects.all().delete()
    Organisation.objects.all().delete()
    for resource_class in RESOURCES:
        result = resource_class().import_data(XLSX().create_dataset(exported[resource_class]))
        assert result_errors(result) == [], resource_class
    for resource_class in RESOURCES:
        rows = _rows(XLSX, XLSX().export_data(resource_class().export()))
        expected = _rows(XLSX, exported[resource_class])
        if resource_class is IssueResource:
            # Spreadsheet rows start drafts: status and printed 版记 are exported, never read.
            rows = (rows[0], [row[:-2] for row in rows[1]])
            expected = (expected[0], [row[:-2] for row in expected[1]])
            assert set(Issue.objects.values_list("status", flat=True)) == {Issue.Status.DRAFT}
        assert rows == expected, resource_class
    assert len(printed) == Issue.objects.count()


def test_merging_seed_organisations_keeps_every_printed_line(seeds):
    printed = _printed()
    organisation_merge(source=Organisation.objects.get(name="中央协调办"),
                       target=Organisation.objects.get(name="中宣部理论局"))
    assert _printed() == printed


def test_mailroom_sheet_of_a_seed_issue(seeds):
    issue = Issue.objects.get(year=2023, number=9, publication__name="理论学习通讯")
    sheet = mailroom_sheet(issue=issue)
    assert [row.organisation for row in sheet.rows][:4] == [
        "省委常委会", "省人大常委会", "省政府", "省政协领导"]
    assert sheet.print_run == 2000
    assert sheet.total_copies == len(sheet.rows)
