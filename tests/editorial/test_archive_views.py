"""The admin archive import: upload, preview (nothing written), confirm."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulletins.archive.importer import parse_archive_bytes
from bulletins.archive.text_parser import parse_text
from bulletins.models import Issue, Organisation
from bulletins.rendering.pdf import render_issue_pdf
from bulletins.upload_cache import upload_cache
from tests.archive_layouts import word_style, write_pdf
from tests.archive_word import TEMPLATES
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
UPLOAD = "/admin/archive/import/"
CONFIRM = "/admin/archive/import/confirm/"


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    # An imported issue is recorded as printed, as if signed: importing needs the 签发 permission.
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_issue", "change_issue", "sign_off_issue"]))
    client.force_login(user)
    return user


def seed_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SEEDS / name).read_bytes(), content_type="text/plain")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Post, let the worker run what was queued, and open the page the post led to."""
    def posting(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        return client.get(response.url) if response.status_code == 302 else response
    return posting


def test_urls_are_mounted_under_admin_archive():
    assert reverse("editorial:archive_upload") == UPLOAD
    assert reverse("editorial:archive_confirm") == CONFIRM


def test_anonymous_is_sent_to_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_staff_without_add_issue_is_refused(client):
    client.force_login(User.objects.create_user("viewer", password="pw", is_staff=True))
    assert client.get(UPLOAD).status_code == 403


def test_staff_who_may_add_but_not_change_issues_is_refused(client):
    # An import replaces the issues imported before, so it needs the change permission too.
    user = User.objects.create_user("adder", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_issue"))
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


def test_upload_form(client, editor):
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert "往期简报文件" in response.content.decode()


def test_upload_previews_without_writing_then_confirm_imports(client, editor, settings, post):
    bad = SimpleUploadedFile("空文件.txt", b"", content_type="text/plain")
    response = post(UPLOAD, {"files": [seed_upload("004_ceb4e9f67c3b5b87.txt"),
                                              seed_upload("002_6a137115d7a85250.txt"), bad]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "党委中心组 理论学习通讯 2023年第9期（总第453期）" in page
    assert "空文件.txt：文件为空，没有可导入的内容。" in page
    assert "第 166 行（分隔线）：---" in page
    assert "确认导入" in page
    assert Issue.objects.count() == 0
    token = response.context["token"]
    # The uploads wait in the cache, not in MEDIA_ROOT where the web server would serve them.
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    assert upload_cache().get(f"archive-import:{token}") is not None

    response = post(CONFIRM, {"token": token})
    assert response.status_code == 200
    assert "导入完成。" in response.content.decode()
    assert sorted(Issue.objects.values_list("number", flat=True)) == [9, 365]
    assert upload_cache().get(f"archive-import:{token}") is None

    again = client.post(CONFIRM, {"token": token})
    assert again.status_code == 400
    assert "上传的文件已过期或已导入，请重新上传。" in again.content.decode()
    assert Issue.objects.count() == 2


def test_token_of_another_session_is_refused(client, editor):
    response = client.post(UPLOAD, {"files": [seed_upload("000_7a2bf2f7cbdeabb6.txt")]})
    token = response.context["token"]
    client.logout()
    other = User.objects.create_user("other", password="pw", is_staff=True)
    other.user_permissions.add(*Permission.objects.filter(codename__in=["add_issue", "change_issue"]))
    client.force_login(other)
    assert client.post(CONFIRM, {"token": token}).status_code == 400
    assert Issue.objects.count() == 0


def test_an_expired_upload_is_refused(client, editor):
    response = client.post(UPLOAD, {"files": [seed_upload("000_7a2bf2f7cbdeabb6.txt")]})
    upload_cache().delete(f"archive-import:{response.context['token']}")
    refused = client.post(CONFIRM, {"token": response.context["token"]})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "上传的文件已过期，没有导入任何文件，请重新上传这些文件。" in page
    assert 'name="files"' in page  # the upload form, to upload them again
    assert Issue.objects.count() == 0


@pytest.fixture
def file_caches(settings, tmp_path):
    """The caches as production has them without Redis (config.settings), small enough to fill."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                    "LOCATION": str(tmp_path / "cache"), "OPTIONS": {"MAX_ENTRIES": 3}},
        "uploads": {"BACKEND": "bulletins.upload_cache.PendingFileCache",
                    "LOCATION": str(tmp_path / "uploads"), "OPTIONS": {"MAX_ENTRIES": 3}},
    }


def test_an_upload_waiting_for_confirmation_survives_a_full_cache(client, editor, file_caches):
    from django.core.cache import cache, caches

    token = client.post(UPLOAD, {"files": [seed_upload("000_7a2bf2f7cbdeabb6.txt")]}).context["token"]
    for index in range(30):  # rendered PDFs and other uploads fill both caches meanwhile
        cache.set(f"pdf-{index}", b"%PDF", 3600)
        caches["uploads"].set(f"other-{index}", b"...", 3600 if index < 10 else -1)
    assert client.post(CONFIRM, {"token": token}).status_code == 200
    assert Issue.objects.count() == 1


def test_a_full_upload_cache_removes_only_what_has_expired(file_caches):
    from django.core.cache import caches

    uploads = caches["uploads"]
    for index in range(4):
        uploads.set(f"waiting-{index}", index, 3600)
    uploads.set("expired", "x", -1)  # written past the limit, nothing waiting is dropped
    uploads.set("next", "y", 3600)
    assert [uploads.get(f"waiting-{index}") for index in range(4)] == [0, 1, 2, 3]
    assert uploads.get("next") == "y"
    assert len(list((Path(caches["uploads"]._dir)).glob("*.djcache"))) == 5


def test_upload_requires_a_file(client, editor):
    response = client.post(UPLOAD, {})
    assert "请选择要导入的文件。" in response.content.decode()


@pytest.mark.skipif(not admin.site.is_registered(Issue),
                    reason="the Issue admin is registered by editorial.admin")
def test_issue_changelist_links_to_the_import(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_issue"))
    response = client.get(reverse("admin:bulletins_issue_changelist"))
    assert f'<a href="{UPLOAD}">导入往期简报</a>' in response.content.decode()


def test_a_pdf_upload_shows_its_structure_and_imports(client, editor):
    seed = parse_text((SEEDS / "004_ceb4e9f67c3b5b87.txt").read_text(encoding="utf-8"))
    pdf = SimpleUploadedFile("理论学习通讯-2023-9.pdf", write_pdf(word_style(seed)),
                             content_type="application/pdf")
    response = client.post(UPLOAD, {"files": [pdf]})
    page = response.content.decode()
    assert "读出的结构：党委中心组 理论学习通讯 2023年第9期（总第453期）" in page
    assert "<td>激发新就业群体“红色动能”</td>" in page
    assert "<li>报：省委常委会、省人大常委会、省政府、省政协领导</li>" in page
    assert "（页眉页脚）：党委中心组理论学习通讯" in page
    assert 'name="accept"' not in page  # nothing in doubt
    response = client.post(CONFIRM, {"token": response.context["token"]})
    assert "导入完成。" in response.content.decode()
    assert Issue.objects.get().articles.count() == 6


def test_a_file_in_doubt_is_imported_only_when_the_editor_ticks_it(client, editor, post):
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    body_start = text.index("【上情下达】", text.index("【学习动态】"))
    title = "镇江市：强化示范带动 规范学习管理 持续推动中心组学习不断走深走实"
    doubtful = (text[:body_start] + text[body_start:].replace(f"【经验交流】\n\n{title}\n\n", "", 1)).encode()

    def upload():
        return post(UPLOAD, {"files": [SimpleUploadedFile("454.txt", doubtful),
                                              seed_upload("002_6a137115d7a85250.txt")]})

    response = upload()
    page = response.content.decode()
    assert f"存疑：第 18 行：目录中的《{title}》在正文中未找到" in page
    assert '<input type="checkbox" name="accept" value="0" form="archive-confirm">' in page
    assert 'name="accept" value="1"' not in page
    done = post(CONFIRM, {"token": response.context["token"]}).content.decode()
    assert "454.txt：读出的结构有 1 处存疑，未导入。" in done
    assert list(Issue.objects.values_list("number", flat=True)) == [365]

    response = upload()
    post(CONFIRM, {"token": response.context["token"], "accept": ["0"]})
    assert sorted(Issue.objects.values_list("number", flat=True)) == [365, 454]
    assert Issue.objects.get(number=454).articles.count() == 3


HEBEI_FRAGMENTS = ["各市", "副书记", "组织部长", "宣传部长", "办公室", "机关党委"]


def test_the_preview_asks_what_to_do_with_each_piece_that_names_no_unit(client, editor):
    OrganisationFactory(name="中共河北省委组织部")
    response = client.post(UPLOAD, {"files": [seed_upload("004_ceb4e9f67c3b5b87.txt")]})
    page = response.content.decode()
    assert "只照印在版记中、不在名录新建 6 个：各市［不像单位名称］；副书记［不像单位名称］；" in page
    for name in HEBEI_FRAGMENTS:
        assert f'<select name="unit:0:{name}" form="archive-confirm"' in page
    assert page.count('<option value="keep-line" selected>只照印在版记中，不在名录新建</option>') == 6
    assert '<option value="create">在名录中新建单位“副书记”</option>' in page
    assert page.count(f'<option value="{Organisation.objects.get().pk}">中共河北省委组织部</option>') == 6
    assert '<select name="unit:0:县（市、区）委书记"' not in page  # a plausible name is not asked about
    assert list(Organisation.objects.values_list("name", flat=True)) == ["中共河北省委组织部"]


def test_confirming_without_a_choice_creates_no_fragment(client, editor):
    response = client.post(UPLOAD, {"files": [seed_upload("004_ceb4e9f67c3b5b87.txt")]})
    done = client.post(CONFIRM, {"token": response.context["token"]}).content.decode()
    assert "只照印在版记中、不在名录新建 6 个" in done
    assert not Organisation.objects.filter(name__in=HEBEI_FRAGMENTS).exists()
    assert Organisation.objects.count() == 10


def test_each_choice_of_the_preview_and_the_reprinted_tail(client, editor):
    seed = parse_text((SEEDS / "004_ceb4e9f67c3b5b87.txt").read_text(encoding="utf-8"))
    department = OrganisationFactory(name="中共河北省委组织部")
    response = client.post(UPLOAD, {"files": [seed_upload("004_ceb4e9f67c3b5b87.txt")]})
    done = client.post(CONFIRM, {
        "token": response.context["token"], "unit:0:办公室": "create",
        "unit:0:组织部长": str(department.pk), "unit:0:宣传部长": str(department.pk),
        "unit:0:各市": "keep-line"}).content.decode()
    assert ("并入已有单位 2 个：组织部长［不像单位名称］ → 中共河北省委组织部；"
            "宣传部长［不像单位名称］ → 中共河北省委组织部") in done
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "办公室" in names
    assert not names & {"各市", "副书记", "组织部长", "宣传部长", "机关党委"}
    issue = Issue.objects.get()
    assert list(issue.recipients.filter(organisation=department).values_list("role", flat=True)) == ["发"]
    # Whatever the directory holds, the issue prints its 版记 and 共印 as the original did.
    [reprinted] = parse_archive_bytes(render_issue_pdf(issue, use_cache=False), name="reprint.pdf")
    assert reprinted.distribution == seed.distribution
    assert reprinted.print_run == seed.print_run == 2000


def test_a_merge_into_a_unit_deleted_since_the_preview_refuses_the_file(client, editor):
    department = OrganisationFactory(name="中共河北省委组织部")
    response = client.post(UPLOAD, {"files": [seed_upload("004_ceb4e9f67c3b5b87.txt")]})
    pk = department.pk
    department.delete()
    done = client.post(CONFIRM, {"token": response.context["token"], "unit:0:组织部长": str(pk)})
    assert "版记中的“组织部长”要并入的单位已不在名录中，请重新选择。" in done.content.decode()
    assert not Issue.objects.exists()


def test_the_choices_travel_with_several_files_imported_in_the_background(client, editor, post):
    department = OrganisationFactory(name="中共河北省委组织部")
    preview = post(UPLOAD, {"files": [seed_upload("002_6a137115d7a85250.txt"),
                                      seed_upload("004_ceb4e9f67c3b5b87.txt")]})
    page = preview.content.decode()
    assert '<select name="unit:1:组织部长" form="archive-confirm"' in page  # the worker's check
    done = post(CONFIRM, {"token": preview.context["token"], "unit:1:办公室": "create",
                          "unit:1:组织部长": str(department.pk)}).content.decode()
    assert "导入完成。" in done
    assert "并入已有单位 1 个：组织部长［不像单位名称］ → 中共河北省委组织部" in done
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "办公室" in names and not names & {"各市", "副书记", "组织部长"}
    hebei = Issue.objects.get(recipients__organisation=department)
    assert hebei.recipients.filter(organisation__name="办公室").exists()


def test_the_preview_with_its_unit_choices_takes_the_same_queries_however_big_the_directory(
        client, editor):
    def preview_queries(units: int) -> int:
        Organisation.objects.filter(name__startswith="单位").delete()
        for number in range(units):
            OrganisationFactory(name=f"单位{number:03d}")
        with CaptureQueriesContext(connection) as queries:
            page = client.post(UPLOAD, {"files": [seed_upload("004_ceb4e9f67c3b5b87.txt")]}).content.decode()
        assert page.count(f">单位{units - 1:03d}</option>") == 6  # every unit offered to each piece
        return len(queries)

    # The dry run of the import is most of them; the directory's size adds none.
    assert preview_queries(3) == preview_queries(60)


def test_a_text_upload_shows_the_structure_it_read(client, editor, post):
    page = post(UPLOAD, {"files": [seed_upload("000_7a2bf2f7cbdeabb6.txt")]}).content.decode()
    assert "读出的结构：建设学习型党组织、学习型领导班子 工作简报 2023年第454期" in page
    assert "<td>上情下达</td><td>江苏省委常委会议召开 信长星主持并讲话</td>" in page
    assert "版记：" in page
    assert "确认导入" in page


def test_a_preview_of_files_already_imported_unchanged_offers_no_confirmation(client, editor, post):
    post(CONFIRM, {"token": post(UPLOAD, {"files": [seed_upload("000_7a2bf2f7cbdeabb6.txt")]})
                   .context["token"]})
    assert Issue.objects.count() == 1
    response = post(UPLOAD, {"files": [seed_upload("000_7a2bf2f7cbdeabb6.txt")]})
    page = response.content.decode()
    assert "未变化" in page
    assert "确认导入" not in page
    assert "没有可以导入的文件。" in page


def test_a_word_archive_with_bylines_above_its_titles_previews_and_imports(client, editor, post):
    seed = parse_text((SEEDS / "004_ceb4e9f67c3b5b87.txt").read_text(encoding="utf-8"))
    docx = TEMPLATES["wps"](seed)  # bylines centred above the titles
    response = post(UPLOAD, {"files": [SimpleUploadedFile("第9期.docx", docx)]})
    page = response.content.decode()
    assert "党委中心组 理论学习通讯 2023年第9期（总第453期）" in page
    assert "<td>临西县委常委、组织部部长 卫建豪</td>" in page
    assert "<td>（同标题），第3页</td>" in page  # the TOC's title and page of 激发新就业群体“红色动能”
    assert "存疑：" not in page and "确认导入" in page
    post(CONFIRM, {"token": response.context["token"]})
    issue = Issue.objects.get()
    assert [a.byline for a in issue.articles.order_by("position")][2] == "临西县委常委、组织部部长 卫建豪"


def test_a_text_whose_byline_above_a_title_cannot_be_placed_waits_for_the_tick(client, editor, post):
    text = (SEEDS / "000_7a2bf2f7cbdeabb6.txt").read_text(encoding="utf-8")
    title = ("信长星在全省宣传思想文化工作会议上强调 坚持以习近平文化思想为引领 "
             "在建设中华民族现代文明上探索新经验")
    body = text.index(title, text.index(title) + 1)  # the second article of its column
    text = text[:body] + "省委宣传部\n\n" + text[body:]
    response = post(UPLOAD, {"files": [SimpleUploadedFile("第454期.txt", text.encode())]})
    page = response.content.decode()
    assert f"《{title}》标题上方的“省委宣传部”像是署名" in page
    assert 'name="accept"' in page
    assert Issue.objects.count() == 0
