"""Import and export of the directory, lists, issues and articles (django-import-export)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from import_export.formats.base_formats import CSV, JSON, XLSX

from bulletins.models import Article, DistributionList, Issue, IssueRecipient, Organisation, Role
from bulletins.resources import (
    ArticleResource,
    DistributionListResource,
    IssueResource,
    OrganisationResource,
    result_errors,
)
from bulletins.services import issue_create
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    DistributionListFactory,
    OrganisationFactory,
    PublicationFactory,
    print_issue,
)

pytestmark = pytest.mark.django_db

RESOURCES = [OrganisationResource, DistributionListResource, IssueResource, ArticleResource]
FORMATS = {"csv": CSV, "xlsx": XLSX, "json": JSON}


@pytest.fixture
def archive():
    publication = PublicationFactory(slug="gzjb", name="工作简报", name_prefix="学习型组织")
    central = OrganisationFactory(name="中央协调办", short_name="协调办", default_role=Role.REPORT,
                                  copies=2, contact="王明 010-66000000",
                                  address="北京市西城区某路1号", postcode="100000")
    cities = OrganisationFactory(name="各设区市委宣传部、组织部", copies=13,
                                 default_role=Role.ISSUE)
    OrganisationFactory(name="已撤销单位", active=False, copies=0)
    report = DistributionListFactory(publication=publication, name="报：中央有关部门",
                                     role=Role.REPORT, is_default=True, position=0)
    report.members.create(organisation=central, position=0)
    issue_list = DistributionListFactory(publication=publication, name="发：各设区市",
                                         role=Role.ISSUE, is_default=True, position=1)
    issue_list.members.create(organisation=cities, position=0)
    issue_list.members.create(organisation=central, position=1)
    column = ColumnFactory(publication=publication, name="上情下达")
    other_column = ColumnFactory(publication=publication, name="经验交流")
    published = issue_create(
        publication=publication, date=datetime.date(2023, 11, 25), number=454,
        total_number=454, editor_note="编者按：请各地学习。")
    draft = issue_create(publication=publication, date=datetime.date(2024, 1, 10), number=1,
                         print_run=300, is_special=True)
    ArticleFactory(issue=published, column=column, position=0, title="江苏省委常委会议召开",
                   subtitle="——信长星主持并讲话", source="（新华日报）",
                   body="<p>11月20日，会议召开。</p><p>第二段，“引号”、顿号；分号。</p>")
    ArticleFactory(issue=published, column=other_column, position=1, title="镇江市：强化示范带动",
                   toc_title="镇江市经验", byline="镇江市委宣传部 张三", body="<p>正文。</p>")
    print_issue(issue=published)
    ArticleFactory(issue=draft, column=column, position=0, title="增刊文章", body="")
    return publication


def _export(resource_class, fmt):
    return fmt().export_data(resource_class().export())


def _table(fmt, data):
    """Headers and rows of an exported file (XLSX bytes also hold a timestamp)."""
    if isinstance(data, bytes) and not fmt().is_binary():
        data = data.decode("utf-8")
    dataset = fmt().create_dataset(data)
    return dataset.headers, [list(row) for row in dataset]


def _import(resource_class, fmt, data, **kwargs):
    return resource_class().import_data(fmt().create_dataset(data), **kwargs)


def _wipe():
    Article.objects.all().delete()
    IssueRecipient.objects.all().delete()
    Issue.objects.all().delete()
    DistributionList.objects.all().delete()
    Organisation.objects.all().delete()


@pytest.mark.parametrize("fmt_name", FORMATS)
def test_every_resource_round_trips_into_an_empty_installation(archive, fmt_name):
    fmt = FORMATS[fmt_name]
    exported = {r: _export(r, fmt) for r in RESOURCES}
    _wipe()

    for resource_class in RESOURCES:
        result = _import(resource_class, fmt, exported[resource_class])
        assert result_errors(result) == [], resource_class
        assert result.totals["new"] == len(_table(fmt, exported[resource_class])[1])

    for resource_class in RESOURCES:
        if resource_class is IssueResource:
            continue
        assert _table(fmt, _export(resource_class, fmt)) == _table(fmt, exported[resource_class])
    # A spreadsheet starts issues as drafts: status and printed 版记 are exported only
    # (the archive JSON is what brings printed issues back as printed).
    headers, rows = _table(fmt, _export(IssueResource, fmt))
    old_headers, old_rows = _table(fmt, exported[IssueResource])
    assert headers == old_headers
    assert [row[:-2] for row in rows] == [row[:-2] for row in old_rows]
    assert {row[-2] for row in rows} == {"草稿"}
    assert DistributionList.objects.get(name="发：各设区市").member_organisations() == [
        Organisation.objects.get(name="各设区市委宣传部、组织部"),
        Organisation.objects.get(name="中央协调办")]


@pytest.mark.parametrize("fmt_name", ["csv", "xlsx"])
@pytest.mark.parametrize("resource_class", RESOURCES)
def test_reimporting_an_export_changes_nothing(archive, resource_class, fmt_name):
    fmt = FORMATS[fmt_name]
    exported = _export(resource_class, fmt)
    result = _import(resource_class, fmt, exported)
    assert result_errors(result) == []
    assert (result.totals["new"], result.totals["update"]) == (0, 0)
    assert result.totals["skip"] == resource_class().get_queryset().count()
    assert _table(fmt, _export(resource_class, fmt)) == _table(fmt, exported)


def test_organisation_export_headers_and_values(archive):
    dataset = OrganisationResource().export()
    assert dataset.headers == ["单位名称", "简称", "通常发送方式", "份数", "联系人及电话", "邮寄地址",
                               "邮编", "有效"]
    assert dataset[0] == ("中央协调办", "协调办", "报", "2", "王明 010-66000000",
                          "北京市西城区某路1号", "100000", "是")
    assert {row[0]: row[-1] for row in dataset}["已撤销单位"] == "否"


def test_a_list_export_names_its_members_in_order(archive):
    dataset = DistributionListResource().export()
    assert dataset.headers == ["刊物", "名单名称", "发送方式", "新一期默认使用", "顺序", "单位"]
    assert dataset[1] == ("gzjb", "发：各设区市", "发", "是", "1",
                          "各设区市委宣传部、组织部;中央协调办")


def test_a_list_export_takes_the_same_queries_however_many_lists(archive):
    def export_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            DistributionListResource().export()
        return len(context.captured_queries)

    before = export_queries()
    publication = DistributionList.objects.first().publication
    for index in range(3):
        extra = DistributionListFactory(publication=publication, name=f"抄送：名单{index}",
                                        role=Role.COPY, position=10 + index)
        extra.members.create(organisation=OrganisationFactory(name=f"单位{index}"), position=0)
    assert export_queries() == before


def test_importing_a_list_updates_its_members_and_order(archive):
    csv = ("刊物,名单名称,发送方式,新一期默认使用,顺序,单位\n"
           "学习型组织 工作简报,发：各设区市,发,是,1,中央协调办;已撤销单位\n")
    result = _import(DistributionListResource, CSV, csv)
    assert result_errors(result) == []
    assert result.totals["update"] == 1
    names = [o.name for o in DistributionList.objects.get(name="发：各设区市")
             .member_organisations()]
    assert names == ["中央协调办", "已撤销单位"]


def test_issue_export_carries_status_and_printed_lines(archive):
    dataset = IssueResource().export()
    assert dataset.headers == ["刊物", "年份", "期号", "增刊", "总期号", "签发日期", "编者按", "印数",
                               "状态", "印发时的版记"]
    assert dataset[0] == ("gzjb", "2023", "454", "否", "454", "2023-11-25", "编者按：请各地学习。",
                          "15", "已印发", "报：中央协调办\n发：各设区市委宣传部、组织部、中央协调办")
    assert dataset[1][2:4] == ("1", "是")


def test_a_row_cannot_turn_a_printed_issue_back_into_a_draft(archive):
    printed = Issue.objects.get(number=454)
    before = (printed.status, printed.printed_distribution, printed.version)
    csv = ("刊物,年份,期号,增刊,签发日期,编者按,印数,状态,印发时的版记\n"
           "gzjb,2023,454,否,2023-11-25,编者按：请各地学习。,15,草稿,\n")
    result = _import(IssueResource, CSV, csv)
    assert result_errors(result) == []
    printed.refresh_from_db()
    assert (printed.status, printed.printed_distribution, printed.version) == before


def test_a_row_changing_a_printed_issue_is_refused_naming_it(archive):
    csv = ("刊物,年份,期号,增刊,签发日期,编者按\n"
           "gzjb,2023,454,否,2023-11-25,改过的编者按\n")
    assert _bad(IssueResource, csv) == [
        "第 1 行：2023年第454期当前为“已印发”，内容不能修改；如需修改，须先退回草稿。"]
    assert Issue.objects.get(number=454).editor_note == "编者按：请各地学习。"


def test_an_article_row_for_a_printed_issue_is_refused_naming_it(archive):
    csv = ("刊物,年份,期号,增刊,顺序,栏目,标题\n"
           "gzjb,2023,454,否,0,上情下达,改过的标题\n"
           "gzjb,2023,454,否,9,上情下达,新加的文章\n")
    assert _bad(ArticleResource, csv) == [
        "第 1 行：2023年第454期当前为“已印发”，内容不能修改；如需修改，须先退回草稿。",
        "第 2 行：2023年第454期当前为“已印发”，内容不能修改；如需修改，须先退回草稿。"]


def test_article_rows_name_issue_and_column_by_natural_keys(archive):
    dataset = ArticleResource().export()
    assert dataset.headers == ["刊物", "年份", "期号", "增刊", "顺序", "栏目", "标题", "目录标题", "副标题",
                               "署名", "来源", "编者按", "正文"]
    assert dataset[0][:7] == ("gzjb", "2023", "454", "否", "0", "上情下达", "江苏省委常委会议召开")


# Bad rows: numbered, in Chinese, and nothing from the file is saved.


def _bad(resource_class, csv):
    before = {model: model.objects.count()
              for model in (Organisation, DistributionList, Issue, Article)}
    result = _import(resource_class, CSV, csv)
    after = {model: model.objects.count() for model in before}
    assert after == before, "nothing from a bad file may be saved"
    return result_errors(result)


def test_bad_organisation_rows(archive):
    long_name = "长" * 201
    csv = ("单位名称,份数,通常发送方式,有效\n"
           "新单位甲,3,报,是\n"
           "新单位乙,两份,发,是\n"
           ",1,送,是\n"
           "新单位甲,1,送,否\n"
           f"{long_name},1,上报,也许\n")
    assert _bad(OrganisationResource, csv) == [
        "第 2 行：份数：“两份”不是整数。",
        "第 3 行：单位名称：此字段不能为空。",
        "第 4 行：与第 1 行重复。",
        "第 5 行：通常发送方式：“上报”不是可选的值，应为“报”、“送”、“发”、“抄送”之一。"
        "有效：“也许”应填“是”或“否”。单位名称：确保该变量包含不超过 200 字符 (目前字符数 201)。",
    ]
    assert not Organisation.objects.filter(name="新单位甲").exists()


def test_bad_list_rows(archive):
    csv = ("刊物,名单名称,发送方式,单位\n"
           "gzjb,送：新名单,送,中央协调办\n"
           "gzjb,送：另一名单,送,中央协调办;不存在的单位;查无此单位\n"
           "没有的刊物,送：第三名单,送,中央协调办\n"
           "gzjb,送：第四名单,送,中央协调办;中央协调办\n")
    assert _bad(DistributionListResource, csv) == [
        "第 2 行：单位：未找到单位：“不存在的单位”、“查无此单位”。请先导入或新建这些单位。",
        "第 3 行：未找到刊物“没有的刊物”。",
        "第 4 行：单位：名单中重复的单位：“中央协调办”。",
    ]
    assert not DistributionList.objects.filter(name="送：新名单").exists()


def test_bad_issue_rows(archive):
    csv = ("刊物,年份,期号,增刊,签发日期,状态,印发时的版记\n"
           "gzjb,2023,455,否,2023-12-01,草稿,\n"
           "gzjb,2023,456,否,2024-01-05,草稿,\n"
           "gzjb,2023,457,否,十二月,草稿,\n"
           "gzjb,2023,455,否,2023-12-20,已发出,\n")
    assert _bad(IssueResource, csv) == [
        "第 2 行：签发日期：签发日期须在本期所属年份之内。",
        "第 3 行：签发日期：“十二月”不是日期，应写成“2023-11-25”的样子。",
        "第 4 行：与第 1 行重复。",
    ]


def test_bad_article_rows(archive):
    header = "刊物,年份,期号,增刊,顺序,栏目,标题\n"
    csv = (header
           + "gzjb,2024,1,是,5,上情下达,新文章\n"
           + "gzjb,2024,1,是,6,没有的栏目,另一篇\n"
           + "gzjb,2024,1,是,7,上情下达,\n"
           + "gzjb,2023,999,否,0,上情下达,不存在的一期\n"
           + "gzjb,2024,1,是,5,上情下达,重复\n"
           + "gzjb,2024,1,是,8,上情下达," + "题" * 301 + "\n")
    assert _bad(ArticleResource, csv) == [
        "第 2 行：栏目：刊物“学习型组织 工作简报”没有名为“没有的栏目”的栏目。",
        "第 3 行：标题：此字段不能为空。",
        "第 4 行：未找到学习型组织 工作简报2023年第999期。",
        "第 5 行：与第 1 行重复。",
        "第 6 行：标题：确保该变量包含不超过 300 字符 (目前字符数 301)。",
    ]


def test_a_file_without_the_key_column_is_refused(archive):
    errors = _bad(OrganisationResource, "名称,份数\n新单位,1\n")
    assert errors[0] == "文件缺少以下列：单位名称。"


# The django-import-export management commands


class _BinaryStdout(io.TextIOWrapper):
    def __init__(self):
        super().__init__(io.BytesIO(), encoding="utf-8")

    def isatty(self):
        return False


@pytest.mark.parametrize("fmt_name", ["CSV", "XLSX"])
@pytest.mark.parametrize("resource_class", RESOURCES)
def test_export_and_import_commands(archive, tmp_path, resource_class, fmt_name):
    dotted = f"bulletins.resources.{resource_class.__name__}"
    out = _BinaryStdout()
    call_command("export", fmt_name, dotted, stdout=out)
    out.flush()
    data = out.buffer.getvalue()
    fmt = FORMATS[fmt_name.lower()]
    assert _table(fmt, data) == _table(fmt, fmt().export_data(resource_class().export()))
    path = tmp_path / f"export.{fmt_name.lower()}"
    path.write_bytes(data)

    err = io.StringIO()
    call_command("import", dotted, str(path), "--no-input", stderr=err)
    assert "Import finished: 0 new, 0 updated, 0 deleted" in err.getvalue()


def test_import_command_reports_bad_rows_in_chinese_and_saves_nothing(archive, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("单位名称,份数\n新单位甲,3\n新单位乙,两份\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "bulletins.resources.OrganisationResource", str(path),
                     "--no-input", stderr=err)
    assert exit_.value.code == 1
    assert "第 2 行：份数：“两份”不是整数。" in err.getvalue()
    assert not Organisation.objects.filter(name="新单位甲").exists()


@pytest.mark.parametrize("encoding_args", [[], ["--encoding", "gbk"]])
def test_import_command_reads_gbk_csv_with_our_csv_format(archive, tmp_path, encoding_args):
    path = tmp_path / "organisations.csv"
    path.write_bytes("单位名称,份数\n省社科院,4\n".encode("gbk"))
    call_command("import", "bulletins.resources.OrganisationResource", str(path), "--no-input",
                 "--format", "bulletins.formats.CSV", *encoding_args, stderr=io.StringIO())
    assert Organisation.objects.get(name="省社科院").copies == 4


def test_import_command_dry_run_saves_nothing(archive, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("单位名称,份数\n省社科院,4\n", encoding="utf-8")
    call_command("import", "bulletins.resources.OrganisationResource", str(path), "--no-input",
                 "--dry-run", stderr=io.StringIO())
    assert not Organisation.objects.filter(name="省社科院").exists()

