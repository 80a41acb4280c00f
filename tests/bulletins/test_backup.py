"""backup and restore: a round trip into a fresh database gives the same issues and files."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bulletins.archive.json_format import archive_export
from bulletins.backup import DATABASE_FILES, NO_KEY, manifest_mac, storage_files
from bulletins.models import Issue
from tests.factories import PublicationFactory, print_issue
from tests.printing import build_issue

pytestmark = pytest.mark.django_db(transaction=True)

SNAPSHOT = """
import hashlib, json
import django
django.setup()
from django.core.files.storage import storages
from bulletins.archive.json_format import archive_export
from bulletins.backup import DATABASE_FILES, NO_KEY, manifest_mac, storage_files
from bulletins.models import Issue
storage = storages["default"]
print(json.dumps({
    "issues": archive_export(Issue.objects.order_by("pk")),
    "statuses": list(Issue.objects.order_by("pk").values_list("status", flat=True)),
    "files": {name: hashlib.sha256(storage.open(name).read()).hexdigest()
              for name in storage_files(storage)},
}, ensure_ascii=False))
"""

# `manage.py restore` with a failure injected: the storage's third save, or the database load.
FAILING_RESTORE = """
import sys
import django
django.setup()
from django.core.files.storage import FileSystemStorage
from django.core.management import execute_from_command_line
import bulletins.backup

saves = []
original_save = FileSystemStorage._save

def failing_save(self, name, content):
    saves.append(name)
    if sys.argv[1] == "storage" and len(saves) == 3:
        raise OSError(28, "No space left on device")
    return original_save(self, name, content)

def failing_load(alias, source):
    raise bulletins.backup.BackupError("pg_restore 失败：连接中断")

FileSystemStorage._save = failing_save
if sys.argv[1] == "database":
    bulletins.backup._restore_database = failing_load
execute_from_command_line(["manage.py", "restore", sys.argv[2]])
"""
TABLES = ("import django; django.setup(); from django.db import connection; "
          "print(len(connection.introspection.table_names()))")


def _snapshot() -> dict:
    storage = storages["default"]
    return {
        "issues": archive_export(Issue.objects.order_by("pk")),
        "statuses": list(Issue.objects.order_by("pk").values_list("status", flat=True)),
        "files": {name: hashlib.sha256(storage.open(name).read()).hexdigest()
                  for name in storage_files(storage)},
    }


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the same kind as the test database, and its URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _in_fresh_site(database_url: str, media_root: Path, *argv: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root),
                   "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    return subprocess.run([sys.executable, *argv], env=environment, cwd=settings.BASE_DIR,  # noqa: S603
                          capture_output=True, text=True, check=False)


def test_backup_and_restore_round_trip(tmp_path, fresh_database):
    publication = PublicationFactory(name="工作简报", slug="gongzuo")
    published = build_issue(articles=3, paragraphs=2, publication=publication)
    print_issue(issue=published)
    draft = build_issue(articles=1, paragraphs=1)
    Issue.objects.filter(pk=draft.pk).update(number=455)
    storage = storages["default"]
    storage.save("article-images/甲.png", ContentFile(b"\x89PNG first"))
    storage.save("article-images/2023/乙.jpg", ContentFile(b"\xff\xd8 second" * 1000))
    before = _snapshot()
    assert len(before["issues"]["issues"]) == 2 and len(before["files"]) == 2

    out = tmp_path / "backup"
    call_command("backup", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert [item["name"] for item in manifest["media"]] == [
        "article-images/2023/乙.jpg", "article-images/甲.png"]
    assert manifest["media"][1]["sha256"] == hashlib.sha256(b"\x89PNG first").hexdigest()

    media = tmp_path / "restored-media"
    restored = _in_fresh_site(fresh_database, media, "manage.py", "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout and "文件 2 个" in restored.stdout
    after = _in_fresh_site(fresh_database, media, "-c", SNAPSHOT)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before

    again = _in_fresh_site(fresh_database, media, "manage.py", "restore", str(out))
    assert again.returncode == 1
    assert "目标数据库不是空的：只能恢复到新建的空数据库。" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path):
    storages["default"].save("article-images/a.png", ContentFile(b"original"))
    out = tmp_path / "backup"
    call_command("backup", str(out))
    (out / "media" / "article-images" / "a.png").write_bytes(b"changed")
    with pytest.raises(CommandError, match="备份已损坏：media/article-images/a.png 的校验和不符。"):
        call_command("restore", str(out))
    (out / "media" / "article-images" / "a.png").unlink()
    with pytest.raises(CommandError, match="备份不完整：缺少 media/article-images/a.png。"):
        call_command("restore", str(out))


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match=f"备份目录 {tmp_path} 不是空的。"):
        call_command("backup", str(tmp_path))


def test_a_new_site_without_any_upload_backs_up(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media-never-made"
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["media"] == []


def test_a_folder_that_is_no_backup_is_refused_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="中没有备份清单 manifest.json，这不是本系统的备份文件夹。"):
        call_command("restore", str(tmp_path))
    (tmp_path / "manifest.json").write_text("{不是 JSON", encoding="utf-8")
    with pytest.raises(CommandError, match="备份清单 .* 无法读取或已损坏。"):
        call_command("restore", str(tmp_path))
    (tmp_path / "manifest.json").write_text('{"format": "bulletins-backup"}', encoding="utf-8")
    with pytest.raises(CommandError, match="这不是本系统的备份（清单格式或版本不符）。"):
        call_command("restore", str(tmp_path))


@pytest.mark.parametrize(("failing", "message"), [
    ("storage", "恢复媒体文件 article-images/c.png（第 3 / 4 个）时出错"
                "（[Errno 28] No space left on device）。"
                "已删除本次写入的 2 个文件，数据库和文件存储均未改动。请排除故障后重新运行 restore。"),
    ("database", "pg_restore 失败：连接中断\n"
                 "已删除本次写入的 4 个文件，数据库和文件存储均未改动。请排除故障后重新运行 restore。"),
], ids=["storage", "database"])
def test_a_restore_that_fails_halfway_changes_nothing_and_can_be_run_again(
        tmp_path, fresh_database, failing, message):
    build_issue(articles=1, paragraphs=1)
    for name in ("a.png", "b.png", "c.png", "d.png"):
        storages["default"].save(f"article-images/{name}", ContentFile(name.encode()))
    before = _snapshot()
    out = tmp_path / "backup"
    call_command("backup", str(out))
    media = tmp_path / "restored-media"

    failed = _in_fresh_site(fresh_database, media, "-c", FAILING_RESTORE, failing, str(out))
    assert failed.returncode == 1
    assert failed.stderr.endswith(f"CommandError: {message}\n")
    assert [path for path in media.rglob("*") if path.is_file()] == []
    tables = _in_fresh_site(fresh_database, media, "-c", TABLES)
    assert tables.stdout.strip() == "0", tables.stderr

    again = _in_fresh_site(fresh_database, media, "manage.py", "restore", str(out))
    assert again.returncode == 0, again.stderr
    after = _in_fresh_site(fresh_database, media, "-c", SNAPSHOT)
    assert json.loads(after.stdout) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_restore is PostgreSQL's")
def test_a_failing_pg_restore_leaves_the_database_empty(tmp_path, fresh_database):
    build_issue(articles=1, paragraphs=1)
    out = tmp_path / "backup"
    call_command("backup", str(out))
    media = tmp_path / "restored-media"
    # A sequence the dump creates late, after most tables: the load fails halfway through.
    clash = ("import django; django.setup(); from django.db import connection; "
             "connection.cursor().execute('CREATE SEQUENCE bulletins_issue_id_seq')")
    assert _in_fresh_site(fresh_database, media, "-c", clash).returncode == 0

    failed = _in_fresh_site(fresh_database, media, "manage.py", "restore", str(out))
    assert failed.returncode == 1
    assert 'relation "bulletins_issue_id_seq" already exists' in failed.stderr
    assert failed.stderr.endswith("\n数据库和文件存储均未改动。请排除故障后重新运行 restore。\n")
    tables = _in_fresh_site(fresh_database, media, "-c", TABLES)
    assert tables.stdout.strip() == "0", tables.stderr


def _resign(folder: Path, change) -> None:
    """Change a backup's manifest and sign it again with the site's key (an operator's mistake,
    or a backup written by a compromised host: the checks after the signature still hold)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    manifest["mac"] = manifest_mac(manifest, settings.BACKUP_KEY.encode())
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def one_file_backup(tmp_path):
    storages["default"].save("article-images/a.png", ContentFile(b"original"))
    out = tmp_path / "backup"
    call_command("backup", str(out))
    return out


SIGNATURE_REFUSED = ("备份清单的签名不符，未作任何改动：备份在写出后被改动过，"
                     "或 BACKUP_KEY 不是写这份备份时所用的密钥。")


def test_a_backup_whose_files_and_sums_were_rewritten_is_refused(one_file_backup, settings):
    database = one_file_backup / DATABASE_FILES[connection.vendor]
    database.write_bytes(database.read_bytes() + b"edited")
    manifest = json.loads((one_file_backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["database"]["sha256"] = hashlib.sha256(database.read_bytes()).hexdigest()
    manifest["database"]["size"] = database.stat().st_size
    (one_file_backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match=SIGNATURE_REFUSED):
        call_command("restore", str(one_file_backup))

    del manifest["mac"]
    (one_file_backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match=SIGNATURE_REFUSED):
        call_command("restore", str(one_file_backup))


def test_a_backup_is_refused_under_another_key_and_not_written_without_one(
        one_file_backup, tmp_path, settings):
    settings.BACKUP_KEY = "another-key-of-the-operator"
    with pytest.raises(CommandError, match=SIGNATURE_REFUSED):
        call_command("restore", str(one_file_backup))

    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match=re.escape(NO_KEY)):
        call_command("backup", str(tmp_path / "second"))
    assert not (tmp_path / "second").exists()


def test_the_key_may_come_from_a_file(tmp_path, settings):
    key_file = tmp_path / "backup.key"
    key_file.write_text("a-key-kept-in-a-file-0123456789\n")
    settings.BACKUP_KEY, settings.BACKUP_KEY_FILE = "", str(key_file)
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["mac"] == manifest_mac(manifest, b"a-key-kept-in-a-file-0123456789")

    settings.BACKUP_KEY_FILE = str(tmp_path / "missing.key")
    with pytest.raises(CommandError, match=f"无法读取备份密钥文件 {tmp_path / 'missing.key'}"):
        call_command("restore", str(tmp_path / "backup"))


def test_a_symlink_in_a_backup_is_never_followed(one_file_backup, tmp_path):
    member = one_file_backup / "media" / "article-images" / "a.png"
    member.unlink()
    member.symlink_to("/etc/passwd")
    passwd = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    _resign(one_file_backup, lambda manifest: manifest["media"][0].update(sha256=passwd))
    with pytest.raises(CommandError,
                       match="备份中的 media/article-images/a.png 是符号链接，拒绝恢复，未作任何改动。"):
        call_command("restore", str(one_file_backup))

    member.unlink()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.png").write_bytes(b"original")
    folder = one_file_backup / "media" / "article-images"
    folder.rmdir()
    folder.symlink_to(outside)
    with pytest.raises(CommandError, match="备份中的 media/article-images 是符号链接"):
        call_command("restore", str(one_file_backup))


def test_a_special_file_in_a_backup_is_not_read(one_file_backup):
    member = one_file_backup / "media" / "article-images" / "a.png"
    member.unlink()
    os.mkfifo(member)
    with pytest.raises(CommandError, match="备份中的 media/article-images/a.png 不是普通文件，拒绝恢复"):
        call_command("restore", str(one_file_backup))


@pytest.mark.parametrize("name", ["../x.png", "/etc/x.png", "article-images/../../x.png", "a\\..\\x.png"])
def test_names_that_leave_the_backup_or_the_storage_are_refused(one_file_backup, name):
    _resign(one_file_backup, lambda manifest: manifest["media"][0].update(name=name))
    with pytest.raises(CommandError, match=re.escape(f"备份清单中的文件名 “{name}” 不安全")):
        call_command("restore", str(one_file_backup))


@pytest.mark.parametrize("change", [
    lambda manifest: manifest.pop("media"),
    lambda manifest: manifest.update(media={"name": "a.png"}),
    lambda manifest: manifest["media"][0].pop("name"),
    lambda manifest: manifest["media"][0].update(sha256=None),
    lambda manifest: manifest["database"].update(file="../../db.sqlite3"),
    lambda manifest: manifest.update(database=[]),
], ids=["no-media", "media-not-a-list", "no-name", "no-sum", "database-file", "database-not-an-object"])
def test_a_malformed_manifest_is_refused_in_chinese(one_file_backup, change):
    _resign(one_file_backup, change)
    with pytest.raises(CommandError, match="备份清单的内容不完整或格式不对，未作任何改动。"):
        call_command("restore", str(one_file_backup))
