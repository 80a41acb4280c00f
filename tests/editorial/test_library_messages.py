"""What the libraries show is Chinese: import-export's strings, django-ckeditor-5's, permission names."""

import ast
import re
from pathlib import Path

import import_export
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.utils import translation

from editorial.permissions import EDITOR_GROUP

pytestmark = pytest.mark.django_db

CKEDITOR_MESSAGES = ["File should be at most %(max_size)s MB.",
                     "You do not have permission to upload files.",
                     "You must be logged in to upload files.", "Invalid form data"]


def _msgids(po: Path) -> list[str]:
    """Singular msgids of a .po file (a few lines of parsing instead of a dependency)."""
    ids = []
    for entry in po.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r"^msgid ((?:\".*\"\n?)+)", entry, re.MULTILINE)
        if match and "msgid_plural" not in entry:
            text = "".join(ast.literal_eval(part) for part in re.findall(r"\".*\"", match.group(1)))
            if text:
                ids.append(text)
    return ids


def test_every_import_export_and_ckeditor_string_is_chinese():
    po = Path(import_export.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
    msgids = _msgids(po)
    assert "Select all" in msgids and len(msgids) > 30
    with translation.override("zh-hans"):
        english = [msgid for msgid in [*msgids, *CKEDITOR_MESSAGES]
                   if translation.gettext(msgid) == msgid and re.search("[a-z]{3}", msgid)]
        assert translation.gettext("Select all") == "全选"
    # Format names and placeholders only may stay as they are.
    assert english == []


def test_export_page_says_select_all_in_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/bulletins/organisation/export/")
    assert response.status_code == 200
    assert "全选" in response.content.decode()
    assert "Select all" not in response.content.decode()


def test_permission_names_are_chinese_after_migrate():
    article = Permission.objects.get(codename="add_article")
    assert article.name == "可以增加文章"
    assert Permission.objects.get(codename="view_issue").name == "可以查看期"
    assert Permission.objects.get(codename="change_user").name == "可以修改用户"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    # A later migrate keeps them (Django does not rename existing permissions back).
    call_command("migrate", verbosity=0)
    assert Permission.objects.get(codename="delete_article").name == "可以删除文章"


def test_user_page_lists_permissions_in_chinese(client, admin_user):
    editor = User.objects.create_user("bianji", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    client.force_login(admin_user)
    page = client.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()
    assert "可以增加文章" in page
    assert "Can add" not in page


def test_the_libraries_sections_of_the_admin_are_chinese(client, admin_user):
    client.force_login(admin_user)
    index = client.get("/admin/").content.decode()
    for chinese in ("登录保护", "登录尝试", "登录日志", "后台任务队列", "队列中的任务"):
        assert chinese in index
    for english in ("Axes", "Access attempts", "Access logs", "Tasks Database Backend", "Task results"):
        assert english not in index
    AccessAttempt.objects.create(username="zhangsan", ip_address="10.0.0.5", user_agent="Firefox",
                                 path_info="/admin/login/", http_accept="*/*", get_data="",
                                 post_data="", failures_since_start=3)
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "IP 地址" in attempts and "IP Address" not in attempts
    assert "登录保护" in attempts  # the breadcrumb
