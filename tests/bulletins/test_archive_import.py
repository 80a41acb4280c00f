"""Importing the seed archive into the database: records, no loss, bad files, idempotency, round trip."""

import datetime
import html
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from bulletins.archive.importer import archive_import_file
from bulletins.archive.json_format import archive_export
from bulletins.models import Article, Column, Issue, IssueRecipient, Organisation, Publication
from bulletins.services import issue_create

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def import_seeds():
    results = [archive_import_file(path=path) for path in SEED_FILES]
    assert [r.error for r in results] == [None] * len(SEED_FILES)
    return results


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Publication, Column, Issue, Article, Organisation, IssueRecipient)}


def export() -> dict:
    issues = (Issue.objects.select_related("publication").prefetch_related("articles__column")
              .order_by("publication__name_prefix", "publication__name", "year", "is_special", "number"))
    return archive_export(issues)


def test_seeds_become_publications_columns_issues_articles_and_distribution():
    import_seeds()
    # Pieces of 版记 lines that name no unit (组织部, 副书记, 各市) are printed, not in the directory.
    assert counts() == {"Publication": 2, "Column": 7, "Issue": 5, "Article": 23,
                        "Organisation": 17, "IssueRecipient": 31}
    jiangsu = Publication.objects.get(name="工作简报")
    assert jiangsu.name_prefix == "建设学习型党组织、学习型领导班子"
    assert jiangsu.slug.isascii()
    assert jiangsu.numbering == Publication.Numbering.CONTINUOUS
    assert list(jiangsu.columns.values_list("name", flat=True)) == ["上情下达", "经验交流", "学习动态"]
    hebei = Publication.objects.get(name="理论学习通讯")
    assert (hebei.name_prefix, hebei.marking) == ("党委中心组", "党内刊物·注意保存")
    assert hebei.issuing_office_lines == ["中共河北省委宣传部", "中共河北省委讲师团"]
    assert hebei.has_total_number and hebei.toc_shows_pages
    assert hebei.column_decoration == Publication.ColumnDecoration.BULLET
    assert hebei.editorial_block.startswith("编辑：《党委中心组理论学习通讯》编辑部")

    issue = Issue.objects.get(publication=hebei, year=2023, number=9)
    assert issue.status == Issue.Status.PUBLISHED
    assert (issue.total_number, issue.print_run) == (453, 2000)
    assert [str(line) for line in issue.distribution_lines()] == [
        "报：省委常委会、省人大常委会、省政府、省政协领导",
        "发：各市、县（市、区）委书记、副书记、组织部长、宣传部长、办公室、宣传部理论处（科）、"
        "中心组学习秘书；各市委讲师团、华北油田公司党委讲师团；省直各厅、局、委、办主要领导、机关党委",
    ]
    names = [org.name for _, org in issue.recipient_organisations()]
    assert names[:4] == ["省委常委会", "省人大常委会", "省政府", "省政协领导"]
    assert "县（市、区）委书记" in names and "华北油田公司党委讲师团" in names

    article = issue.articles.get(title="激发新就业群体“红色动能”")
    assert (article.column.name, article.byline) == ("学思践悟", "临西县委常委、组织部部长 卫建豪")


def test_recipients_are_reused_across_issues():
    import_seeds()
    central = Organisation.objects.get(name="中央协调办")
    assert central.default_role == "报"
    assert central.issue_recipients.count() == 3  # 434, 365 and 364 report to it


def _corpus(issue: Issue) -> str:
    parts = [issue.publication.name_prefix, issue.publication.name, issue.publication.issuing_office,
             issue.publication.editorial_block, f"共印：{issue.print_run}份"]
    parts += [f"{line.role}：{line.text}" for line in issue.distribution_lines()]
    for article in issue.articles.select_related("column"):
        parts += [article.column.name, article.title, article.toc_title, article.subtitle, article.byline,
                  article.source, article.editor_note, html.unescape(re.sub(r"<[^>]+>", "", article.body))]
    return re.sub(r"\s+", "", "".join(parts))


def _content(line: str) -> str:
    text = re.sub(r"^#+\s*|^-\s+|\*\*", "", line.strip())
    text = re.sub(r"^[.．…]{2,}|[.．…]{2,}", " ", text)
    if re.search(r"[.．…]{2,}", line):
        text = re.sub(r"\s\d{1,3}$", "", text.rstrip())  # a TOC page number
    text = re.sub(r"[【】●]", "", text)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_no_body_line_is_lost(path):
    result = archive_import_file(path=path)
    issue = Issue.objects.get(pk=result.issues[0].issue_id)
    corpus = _corpus(issue)
    skipped = {s.line for s in result.skipped}
    lines = path.read_text(encoding="utf-8").splitlines()
    first_column = next(i for i, line in enumerate(lines) if re.search(r"【|●", line))
    missing = [(number, line) for number, line in enumerate(lines, start=1)
               if number > first_column and number not in skipped and _content(line)
               and _content(line) not in corpus]
    assert missing == []


def test_importing_again_changes_nothing():
    import_seeds()
    before = counts()
    stamps = list(Issue.objects.order_by("pk").values_list("updated_at", flat=True))
    results = import_seeds()
    assert [r.issues[0].action for r in results] == ["未变化"] * 5
    assert counts() == before
    assert list(Issue.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_changed_file_updates_its_issue(tmp_path):
    import_seeds()
    before = counts()
    changed = tmp_path / "454.txt"
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    changed.write_text(text.replace("持续推动中心组学习不断走深走实", "持续推动中心组学习走深走实"),
                       encoding="utf-8")
    refused = archive_import_file(path=changed)
    assert refused.error == (
        "454.txt：数据不符合要求：2023年第454期已印发，导入的文件与系统中的内容不同；如确要用文件替换已印发的内容，"
        "请确认替换（命令行加 --replace），原内容保留为历史版本。")
    assert not Issue.objects.get(number=454).articles.filter(
        title="镇江市：强化示范带动 规范学习管理 持续推动中心组学习走深走实").exists()

    result = archive_import_file(path=changed, replace=True)
    assert result.issues[0].action == "替换已印发的内容"
    assert counts() == before
    issue = Issue.objects.get(number=454)
    assert issue.articles.filter(
        title="镇江市：强化示范带动 规范学习管理 持续推动中心组学习走深走实").exists()


def test_gb18030_file_imports_like_utf8():
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    result = archive_import_file(content=text.encode("gb18030"), name="454-gbk.txt")
    assert result.error is None
    assert result.issues[0].articles == 4


@pytest.mark.parametrize(("content", "message"), [
    (b"", "bad.txt：文件为空，没有可导入的内容。"),
    (b"  \n\n", "bad.txt：文件为空，没有可导入的内容。"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "bad.txt：不是文本文件（含有二进制内容）：应为 UTF-8 或 "
     "GB18030/GBK 编码的文本、Markdown 或归档 JSON 文件。"),
    (b"\xff\xfe\xff\xfe\x81\x30" * 20, "bad.txt：无法识别文件编码：应为 UTF-8 或 GB18030/GBK 编码的文本。"),
    ("这是一段普通文字。\n没有报头。\n".encode(),
     "bad.txt 第 1 行：未找到报头中的期号：应有“第 454 期”或“2023年第9期”这样的一行。"),
    ("\n".join((SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8").splitlines()[:22]).encode(),
     "bad.txt 第 22 行：文件在第一篇文章之前结束：只有目录，没有正文，应有栏目下的文章标题和正文。"),
    (b'{"format": "bulletin-archive", "version": 1, "issues": [',
     "bad.txt 第 1 行：JSON 格式错误：Expecting value。"),
    (b'{"format": "bulletin-archive", "version": 2, "issues": []}',
     "bad.txt：不支持的归档格式版本 2，本系统读取第 1 版。"),
])
def test_bad_file_gives_a_clear_error_and_writes_nothing(content, message):
    result = archive_import_file(content=content, name="bad.txt")
    assert result.error == message
    assert result.issues == []
    assert set(counts().values()) == {0}


def test_file_failing_halfway_leaves_the_database_as_it_was(tmp_path):
    import_seeds()
    before = counts()
    # Same continuous number in another year: the issue is refused after its organisations were made.
    clash = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8").replace(
        "2023 年 11 月 25 日", "2024 年 1 月 5 日").replace("发：各设区市委宣传部、组织部", "发：新单位甲")
    result = archive_import_file(content=clash.encode(), name="clash.txt")
    assert result.error == "clash.txt：数据不符合要求：期号：该刊物连续编号，已有相同期号的一期。"
    assert counts() == before
    assert not Organisation.objects.filter(name="新单位甲").exists()


def test_an_issue_created_by_a_colleague_at_the_same_moment_is_a_clear_refusal(monkeypatch):
    """The checks before writing found no such issue; a colleague's import committed it before
    this one's insert (the database's unique constraint refuses the second)."""
    def colleague_first(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: bulletins_issue.publication_id")

    monkeypatch.setattr("bulletins.archive.importer.issue_import", colleague_first)
    result = archive_import_file(path=SEED_FILES[0])
    assert result.error == (f"{SEED_FILES[0].name}：同一期刚被他人导入或修改，本文件未导入。"
                            "请重新上传，预览后再确认。")
    assert Issue.objects.count() == 0


def test_command_imports_folders_reports_and_fails_on_bad_files(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_archive", str(SEEDS), str(bad), stdout=out)
    assert str(caught.value) == "共 6 个文件，成功 5 个，失败 1 个。"
    assert Issue.objects.count() == 5
    report = out.getvalue()
    assert f"文件 {bad}：\n  导入失败：{bad}：文件为空，没有可导入的内容。" in report
    assert ("党委中心组 理论学习通讯 2023年第9期（总第453期）：新建（栏目 4 个，文章 6 篇，段落 32 段，"
            "分发行 2 行）") in report
    assert "跳过第 166 行（分隔线）：---" in report
    # The issue's history names the file, not the server's folder it was read from.
    assert Issue.objects.get(number=9).events.get().note == "来自文件 004_ceb4e9f67c3b5b87.txt"


def test_dry_run_reports_but_writes_nothing():
    out = StringIO()
    call_command("import_archive", str(SEEDS), "--dry-run", stdout=out)
    assert set(counts().values()) == {0}
    assert "建设学习型党组织、学习型领导班子 工作简报 2023年第454期：新建" in out.getvalue()
    assert "共 5 个文件，成功 5 个，失败 0 个。（试导入，未保存任何更改）" in out.getvalue()


def test_export_import_into_empty_database_export_is_identical(tmp_path):
    import_seeds()
    first = tmp_path / "first.json"
    call_command("export_archive", "-o", str(first), stdout=StringIO())
    document = json.loads(first.read_text(encoding="utf-8"))
    assert (document["format"], document["version"], len(document["issues"])) == ("bulletin-archive", 1, 5)
    hebei = document["issues"][0]
    assert hebei["publication"] == "理论学习通讯" and hebei["publication_prefix"] == "党委中心组"
    assert hebei["distribution"][0] == {"role": "报", "text": "省委常委会、省人大常委会、省政府、省政协领导"}
    assert hebei["columns"][1]["articles"][0]["byline"] == "临西县委常委、组织部部长 卫建豪"
    assert document["issues"][1]["marking"] is None and document["issues"][1]["print_run"] is None

    IssueRecipient.objects.all().delete()
    Issue.objects.all().delete()
    Organisation.objects.all().delete()
    Column.objects.all().delete()
    Publication.objects.all().delete()
    result = archive_import_file(path=first)
    assert result.error is None
    assert [r.action for r in result.issues] == ["新建"] * 5
    second = tmp_path / "second.json"
    call_command("export_archive", "-o", str(second), stdout=StringIO())
    assert second.read_bytes() == first.read_bytes()
    assert [r.action for r in archive_import_file(path=second).issues] == ["未变化"] * 5


def test_export_filters_by_publication_and_year():
    import_seeds()
    out = StringIO()
    slug = Publication.objects.get(name="工作简报").slug
    call_command("export_archive", "-o", "-", "--publication", slug, "--year", "2020", stdout=out)
    document = json.loads(out.getvalue())
    assert [(i["year"], i["number"]) for i in document["issues"]] == [(2020, 364), (2020, 365)]


@pytest.mark.parametrize("name", ["党委中心组 理论学习通讯", "党委中心组理论学习通讯", "理论学习通讯"])
def test_export_finds_a_publication_by_its_full_or_short_name(name):
    import_seeds()
    out = StringIO()
    call_command("export_archive", "-o", "-", "--publication", name, stdout=out)
    document = json.loads(out.getvalue())
    assert {i["publication"] for i in document["issues"]} == {"理论学习通讯"}


def test_export_leaves_drafts_out_of_the_archive():
    import_seeds()
    publication = Publication.objects.get(name="工作简报")
    issue_create(publication=publication, date=datetime.date(2024, 1, 10))
    out = StringIO()
    call_command("export_archive", "-o", "-", "--publication", publication.slug, "--year", "2024",
                 stdout=out)
    assert json.loads(out.getvalue())["issues"] == []


def test_query_count_of_a_seed_import_is_bounded(django_assert_max_num_queries):
    with django_assert_max_num_queries(120):
        archive_import_file(path=SEEDS / "004_ceb4e9f67c3b5b87.txt")


def test_the_report_lists_the_units_a_file_adds_and_the_fragments_it_only_prints():
    import_seeds_but = [archive_import_file(path=path) for path in SEED_FILES[:4]]
    assert all(result.ok for result in import_seeds_but)
    hebei = archive_import_file(path=SEED_FILES[4])
    [report] = hebei.issues
    assert report.new_organisations == [
        "省委常委会", "省人大常委会", "省政府", "省政协领导", "县（市、区）委书记", "宣传部理论处（科）",
        "中心组学习秘书", "各市委讲师团", "华北油田公司党委讲师团", "省直各厅、局、委、办主要领导"]
    assert report.fragments == ["各市", "副书记", "组织部长", "宣传部长", "办公室", "机关党委"]
    lines = hebei.report_lines()
    assert "  只照印在版记中、不在名录新建 6 个：各市［不像单位名称］；副书记［不像单位名称］；" \
           "组织部长［不像单位名称］；宣传部长［不像单位名称］；办公室［不像单位名称］；" \
           "机关党委［不像单位名称］" in lines
    assert "  （不像单位名称的可在导入预览中逐个改为并入已有单位或新建；" \
           "命令行用 --merge-unit 名称=已有单位 或 --fragments create）" in lines
    assert not Organisation.objects.filter(name__in=report.fragments).exists()
    again = archive_import_file(path=SEED_FILES[4])
    assert again.issues[0].new_organisations == []  # unchanged: nothing is created
    assert again.issues[0].fragments == []
