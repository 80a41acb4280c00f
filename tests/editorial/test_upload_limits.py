"""Hostile files (small, expanding to much) are refused by what they expand to, with a Chinese
message naming the file and the limit, through the admin upload, the background job and the
command; nothing is saved and nothing is kept."""

import datetime
import os
import resource
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bulletins.batch_models import BatchJob
from bulletins.models import Article, Issue, Organisation
from bulletins.services import issue_create
from bulletins.upload_cache import upload_cache
from editorial.permissions import EDITOR_GROUP
from editorial.workflow import submit
from tests import hostile
from tests.factories import ArticleFactory, ColumnFactory, IssueFactory, PublicationFactory

pytestmark = pytest.mark.django_db

SEED = "000_7a2bf2f7cbdeabb6.txt"


@pytest.fixture
def small_limits(settings):
    """Limits a few times below the defaults, so that the hostile files stay quick to make."""
    settings.ARCHIVE_PDF_MAX_STREAM_MB = 4
    settings.ARCHIVE_PDF_MAX_PAGES = 300
    settings.ARCHIVE_JSON_MAX_DEPTH = 32
    settings.ISSUE_MAX_CHARACTERS = 50_000
    settings.UPLOAD_ZIP_MAX_UNPACKED_MB = 3
    settings.UPLOAD_ZIP_MAX_MEMBERS = 200
    settings.SPREADSHEET_MAX_ROWS = 500
    settings.SPREADSHEET_MAX_FILE_MB = 1
    settings.IMAGE_MAX_PIXELS = 4_000_000
    return settings


# name, bytes, the message that refuses it
ARCHIVE_FILES = [
    ("炸弹.pdf", lambda: hostile.pdf_stream_bomb(inflated_mb=5),
     "“炸弹.pdf”中有一个数据流解压后超过 4 MB，无法导入。"),
    ("五千页.pdf", lambda: hostile.pdf_of_pages(pages=5000),
     "“五千页.pdf”共 5000 页，超过导入上限 300 页。"),
    ("嵌套.json", lambda: hostile.deep_json(depth=2_000_000),
     "“嵌套.json”中的 JSON 嵌套超过 32 层，无法导入。"),
    ("超长.json", lambda: hostile.large_archive_json(characters=60_000),
     "“超长.json”中的工作简报 2023年第1期共 60,"),
]
ARCHIVE_IDS = ["pdf-stream", "pdf-pages", "json-depth", "issue-size"]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_issue", "change_issue", "add_article", "change_article", "view_issue"]))
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    return user


@pytest.mark.parametrize(("name", "make", "message"), ARCHIVE_FILES, ids=ARCHIVE_IDS)
def test_the_command_refuses_each_hostile_archive_file(small_limits, tmp_path, name, make, message):
    path = tmp_path / name
    path.write_bytes(make())
    out = StringIO()
    before = _rss_mb()
    with pytest.raises(CommandError, match="共 1 个文件，成功 0 个，失败 1 个。"):
        call_command("import_archive", str(path), stdout=out)
    assert f"导入失败：{message}" in out.getvalue()
    assert not Issue.objects.exists()
    assert _rss_mb() - before < 200  # refused before it was read, not after


@pytest.mark.parametrize(("name", "make", "message"), ARCHIVE_FILES, ids=ARCHIVE_IDS)
def test_the_admin_upload_refuses_each_hostile_archive_file_and_keeps_nothing(
        client, editor, small_limits, name, make, message):
    response = client.post(reverse("editorial:archive_upload"),
                           {"files": [SimpleUploadedFile(name, make())]})
    assert response.status_code == 200
    [result] = response.context["results"]
    assert result.error.startswith(message)
    assert "确认导入" not in response.content.decode()
    assert upload_cache().get(f"archive-import:{response.context['token']}") is None
    assert not Issue.objects.exists()


def test_the_background_job_refuses_the_hostile_files_and_checks_the_good_one(
        client, admin_user, small_limits, settings, django_capture_on_commit_callbacks):
    client.force_login(admin_user)  # importing as printed needs the sign-off role
    seed = settings.BASE_DIR / "seeds" / SEED
    files = [SimpleUploadedFile(name, make()) for name, make, _message in ARCHIVE_FILES]
    files.append(SimpleUploadedFile(SEED, seed.read_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editorial:archive_upload"), {"files": files})
    job = BatchJob.objects.get()
    assert (job.status, job.done, job.total) == ("finished", 5, 5)
    assert [failure["item"] for failure in job.failures] == [name for name, _make, _m in ARCHIVE_FILES]
    for failure, (_name, _make, message) in zip(job.failures, ARCHIVE_FILES, strict=True):
        assert failure["message"].startswith(message)
    preview = client.get(response.url).content.decode()
    assert "确认导入" in preview  # the good file is checked, whatever came before it
    assert not Issue.objects.exists()


def test_a_job_of_nothing_but_refused_files_keeps_no_upload(
        client, editor, small_limits, django_capture_on_commit_callbacks):
    files = [SimpleUploadedFile(name, make()) for name, make, _message in ARCHIVE_FILES[:2]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("editorial:archive_upload"), {"files": files})
    assert BatchJob.objects.get().status == "finished"
    [token] = client.session["archive_import_uploads"]
    assert upload_cache().get(f"archive-import:{token}") is None


@pytest.fixture
def issue():
    issue = IssueFactory()
    ColumnFactory(publication=issue.publication, name="经验交流")
    return issue


DOCX_FILES = [
    ("炸弹.docx", lambda: hostile.docx_bomb(unpacked_mb=4),
     "“炸弹.docx”解压后有 4."),
    ("成员.docx", lambda: hostile.zip_of_many_members(members=250),
     "“成员.docx”中有 2"),
]


@pytest.mark.parametrize(("name", "make", "message"), DOCX_FILES, ids=["unpacked", "members"])
def test_the_admin_refuses_a_docx_that_expands_and_keeps_nothing(
        client, editor, issue, small_limits, name, make, message):
    column = issue.publication.columns.get()
    response = client.post(f"/admin/issues/{issue.pk}/manuscripts/",
                           {"column": column.pk, "files": [SimpleUploadedFile(name, make())]})
    [result] = response.context["results"]
    assert result.error.startswith(message)
    assert "超过上限" in result.error
    assert upload_cache().get(f"manuscript-import:{response.context['token']}") is None
    assert not Article.objects.exists()


@pytest.mark.parametrize(("name", "make", "message"), DOCX_FILES, ids=["unpacked", "members"])
def test_the_command_refuses_a_docx_that_expands(issue, small_limits, tmp_path, capsys, name, make, message):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(CommandError, match="失败 1 个"):
        call_command("import_manuscript", "--issue", str(issue.pk), "--column", "经验交流", str(path))
    assert message in capsys.readouterr().err
    assert not Article.objects.exists()


SPREADSHEETS = [
    ("单位.xlsx", lambda: hostile.xlsx_of_rows(rows=600),
     "“单位.xlsx”有 600 行，超过导入上限 500 行。请分成几个文件导入。"),
    ("单位.csv", lambda: hostile.csv_of_rows(rows=600),
     "“单位.csv”有 600 行，超过导入上限 500 行。请分成几个文件导入。"),
    ("大.csv", lambda: hostile.csv_of_rows(rows=80_000),
     "“大.csv”有 1."),
    ("嵌套.json", lambda: hostile.deep_json(depth=100_000),
     "“嵌套.json”中的 JSON 嵌套超过 32 层，无法导入。"),
]


@pytest.mark.parametrize(("name", "make", "message"), SPREADSHEETS,
                         ids=["xlsx-rows", "csv-rows", "csv-bytes", "json"])
def test_the_admin_spreadsheet_import_refuses_by_rows_and_size_and_keeps_nothing(
        client, admin_user, small_limits, name, make, message):
    client.force_login(admin_user)
    url = reverse("admin:bulletins_organisation_import")
    form = client.get(url).context["form"]
    suffix = name.rsplit(".", 1)[1]
    [index] = [value for value, label in form.fields["format"].choices if label == suffix]
    response = client.post(url, {"format": index, "resource": "0",
                                 "import_file": SimpleUploadedFile(name, make())})
    [error] = response.context["form"].errors["import_file"]
    assert error.startswith(message)
    assert "confirm_form" not in response.context
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("fmt", "name", "make"), [
    ("bulletins.formats.SafeXLSX", "单位.xlsx", lambda: hostile.xlsx_of_rows(rows=600)),
    ("bulletins.formats.SafeCSV", "单位.csv", lambda: hostile.csv_of_rows(rows=600)),
])
def test_the_import_command_refuses_too_many_rows(small_limits, tmp_path, fmt, name, make):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(Exception, match="有 600 行，超过导入上限 500 行"):
        call_command("import", "bulletins.resources.OrganisationResource", str(path), "--no-input",
                     "--format", fmt, stderr=StringIO())
    assert not Organisation.objects.exists()


def test_a_failed_spreadsheet_preview_does_not_keep_the_upload(client, admin_user, monkeypatch):
    from import_export.tmp_storages import CacheStorage

    removed = []
    monkeypatch.setattr(CacheStorage, "remove", lambda self: removed.append(self.name))
    client.force_login(admin_user)
    url = reverse("admin:bulletins_organisation_import")
    bad = SimpleUploadedFile("单位.csv", "单位名称,份数\n省社科院,两份\n".encode())
    response = client.post(url, {"format": "0", "resource": "0", "import_file": bad})
    assert response.context["result"].invalid_rows
    assert removed == [response.context["form"].cleaned_data["import_file"].tmp_storage_name]

    good = SimpleUploadedFile("单位.csv", "单位名称,份数\n省社科院,2\n".encode())
    response = client.post(url, {"format": "0", "resource": "0", "import_file": good})
    assert "confirm_form" in response.context
    assert len(removed) == 1  # kept for the confirmation


def test_an_image_of_too_many_pixels_is_refused_from_its_header(client, admin_user, small_limits):
    client.force_login(admin_user)
    data = hostile.png_of_pixels(width=4000, height=2000)
    assert len(data) < 20_000
    response = client.post(reverse("editorial:image_upload"),
                           {"upload": SimpleUploadedFile("大图.png", data, content_type="image/png")})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "图片“大图.png”有 4000×2000 像素，超过上限 4 百万像素。请缩小后再插入。")


def test_an_issue_too_large_to_print_cannot_be_submitted(editor, small_limits):
    issue = issue_create(publication=PublicationFactory(), date=datetime.date(2024, 1, 5), number=3)
    ArticleFactory(issue=issue, position=0, title="长文", body="<p>" + "字" * 60_000 + "</p>")
    with pytest.raises(ValidationError) as refused:
        submit(issue=issue, by=User.objects.create_superuser("zhubian"))
    assert refused.value.messages == [
        "2024年第3期共 60,009 字符，超过可印制的上限 50,000 字符。请拆分为几期或删减后再试。"]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_the_worker_survives_a_file_that_exhausts_the_child(small_limits, monkeypatch, tmp_path):
    """With its limits raised, a stream bomb passes the checks: the child that reads it runs out
    of its memory and is replaced; this process, the worker, is the same and stays small."""
    from bulletins.rendering import isolated

    monkeypatch.setenv("ARCHIVE_PDF_MAX_STREAM_MB", "100000")
    small_limits.ARCHIVE_PDF_MAX_STREAM_MB = 100000
    small_limits.BULLETIN_PARSE_ISOLATED = True
    runner = isolated.IsolatedRunner(timeout=60, memory_mb=700, max_tasks_per_child=10)
    monkeypatch.setattr(isolated, "_parse_runner", runner)
    path = tmp_path / "炸弹.pdf"
    path.write_bytes(hostile.pdf_stream_bomb(inflated_mb=800))
    pid, before = os.getpid(), _rss_mb()
    try:
        out = StringIO()
        with pytest.raises(CommandError, match="失败 1 个"):
            call_command("import_archive", str(path), stdout=out)
        assert "导入失败：“炸弹.pdf”读取所需内存超过上限（700 MB），已停止。" in out.getvalue()
        assert os.getpid() == pid
        assert _rss_mb() - before < 100
        assert not Issue.objects.exists()
    finally:
        runner.close()


def test_a_pdf_of_nothing_but_repeated_lines_gets_a_message_not_a_500(tmp_path):
    path = tmp_path / "十页.pdf"
    path.write_bytes(hostile.pdf_of_pages(pages=10))
    out = StringIO()
    with pytest.raises(CommandError, match="失败 1 个"):
        call_command("import_archive", str(path), stdout=out)
    assert "PDF 文件中除页码和各页重复的页眉页脚外没有文字。" in out.getvalue()


def test_the_command_refuses_a_file_over_the_size_limit_unread(small_limits, tmp_path, monkeypatch):
    small_limits.ARCHIVE_MAX_FILE_MB = 1
    path = tmp_path / "大.txt"
    path.write_bytes(b"x" * (2 * 1024 * 1024))
    read = []
    original = type(path).read_bytes
    monkeypatch.setattr(type(path), "read_bytes", lambda self: read.append(self) or original(self))
    out = StringIO()
    with pytest.raises(CommandError, match="失败 1 个"):
        call_command("import_archive", str(path), stdout=out)
    assert "导入失败：“大.txt”有 2.0 MB，超过导入上限 1 MB。" in out.getvalue()
    assert read == []


def test_a_large_spreadsheet_is_read_in_the_child(client, admin_user, settings, monkeypatch):
    """Above SPREADSHEET_ISOLATE_ROWS the workbook is read in the reading child: reading it
    here fails, and the preview still lists every row."""
    from bulletins import formats
    from bulletins.rendering import isolated

    def not_here(*args, **kwargs):
        raise AssertionError("a large spreadsheet read in the web process")

    settings.BULLETIN_PARSE_ISOLATED = True
    settings.SPREADSHEET_ISOLATE_ROWS = 300
    runner = isolated.IsolatedRunner(timeout=60, memory_mb=1024, max_tasks_per_child=10)
    monkeypatch.setattr(isolated, "_parse_runner", runner)
    monkeypatch.setattr(formats.SafeXLSX, "read_dataset", not_here)
    client.force_login(admin_user)
    url = reverse("admin:bulletins_organisation_import")
    index = [value for value, label in client.get(url).context["form"].fields["format"].choices
             if label == "xlsx"][0]
    try:
        response = client.post(url, {"format": index, "resource": "0", "import_file": SimpleUploadedFile(
            "单位.xlsx", hostile.xlsx_of_rows(rows=400))})
        assert response.context["result"].totals["new"] == 400
        assert not Organisation.objects.exists()
    finally:
        runner.close()
