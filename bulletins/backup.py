"""Backups: a consistent snapshot of the database and every stored file, with a manifest.

A backup folder holds `manifest.json`, the database (`database.sqlite3` written with SQLite's
online backup API, or `database.pgdump` from `pg_dump`, both consistent while the site runs)
and `media/` with every file of the `default` storage (read through the storage API, so
object storage is backed up too). The manifest lists each file with its size and SHA-256 and
is signed with HMAC-SHA256 under the backup key (BACKUP_KEY or BACKUP_KEY_FILE), which is kept
apart from the backups: whoever can write a backup folder cannot make a restore accept it. A
restore checks the signature, every name and every file before it changes anything, and never
follows a symlink or reads a special file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import posixpath
import sqlite3
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connections
from django.utils import timezone

FORMAT = "bulletins-backup"
VERSION = 2
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
MIN_KEY_LENGTH = 16
NO_KEY = ("未设置备份密钥：请设置环境变量 BACKUP_KEY，或用 BACKUP_KEY_FILE 指定密钥文件"
          "（见 README 的 Backups 一节）。")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Chinese."""


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    database_file: str
    media_files: int
    media_bytes: int


def backup_key() -> bytes:
    """The key that signs manifests: BACKUP_KEY, else the contents of BACKUP_KEY_FILE."""
    key = settings.BACKUP_KEY.encode()
    if not key and settings.BACKUP_KEY_FILE:
        try:
            key = Path(settings.BACKUP_KEY_FILE).read_bytes().strip()
        except OSError as error:
            raise BackupError(f"无法读取备份密钥文件 {settings.BACKUP_KEY_FILE}"
                              f"（{error.strerror}）。") from error
    if not key:
        raise BackupError(NO_KEY)
    if len(key) < MIN_KEY_LENGTH:
        raise BackupError(f"备份密钥太短：至少要 {MIN_KEY_LENGTH} 个字符。")
    return key


def manifest_mac(manifest: dict, key: bytes) -> str:
    """HMAC-SHA256 of the manifest without its `mac`, over a canonical JSON form."""
    signed = {name: value for name, value in manifest.items() if name != "mac"}
    message = json.dumps(signed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _open_regular(path: Path):
    """Open a file of a backup for reading, never through a symlink and never a special file."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(f"{path} is not a regular file")
    return os.fdopen(descriptor, "rb")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with _open_regular(path) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in a storage, recursively, in a stable order."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a new site's media folder, before its first upload
        return []
    names = [posixpath.join(folder, name) if folder else name for name in files]
    for directory in directories:
        names += storage_files(storage, posixpath.join(folder, directory) if folder else directory)
    return sorted(names)


def _pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", settings_dict["USER"]]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, environment


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {vendor} 数据库（支持 SQLite 和 PostgreSQL）。")
    return vendor


def _backup_database(alias: str, target: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others keep writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    settings_dict = connection.settings_dict
    arguments, environment = _pg_environment(settings_dict)
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-acl", *arguments,
               "--file", str(target), settings_dict["NAME"]]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"pg_dump 失败：{completed.stderr.strip()}")


def backup(out_dir: Path, *, alias: str = "default") -> BackupResult:
    """Write a backup into `out_dir`, which must not exist yet or be empty."""
    out_dir = Path(out_dir)
    key = backup_key()
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BackupError(f"备份目录 {out_dir} 不是空的。")
    vendor = _vendor(alias)
    (out_dir / MEDIA_DIR).mkdir(parents=True, exist_ok=True)
    database_file = DATABASE_FILES[vendor]
    _backup_database(alias, out_dir / database_file)

    storage = storages["default"]
    media = []
    for name in storage_files(storage):
        target = out_dir / MEDIA_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
        media.append({"name": name, "size": target.stat().st_size, "sha256": digest.hexdigest()})

    manifest = {
        "format": FORMAT, "version": VERSION, "created": timezone.now().isoformat(),
        "database": {"vendor": vendor, "file": database_file,
                     "size": (out_dir / database_file).stat().st_size,
                     "sha256": _sha256_file(out_dir / database_file)},
        "media": media,
    }
    manifest["mac"] = manifest_mac(manifest, key)
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")
    return BackupResult(folder=out_dir, database_file=database_file, media_files=len(media),
                        media_bytes=sum(item["size"] for item in media))


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup, after checking its signature, its names and every file it lists."""
    folder = Path(folder)
    key = backup_key()
    try:
        with _open_regular(folder / MANIFEST) as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{folder} 中没有备份清单 {MANIFEST}，这不是本系统的备份文件夹。") from error
    except (OSError, ValueError) as error:
        raise BackupError(f"备份清单 {folder / MANIFEST} 无法读取或已损坏。") from error
    if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
            or manifest.get("version") != VERSION):
        raise BackupError("这不是本系统的备份（清单格式或版本不符）。")
    mac = manifest.get("mac")
    if not isinstance(mac, str) or not hmac.compare_digest(mac, manifest_mac(manifest, key)):
        raise BackupError("备份清单的签名不符，未作任何改动：备份在写出后被改动过，"
                          "或 BACKUP_KEY 不是写这份备份时所用的密钥。")
    for name, sha256 in _listed_files(manifest):
        path = _member(folder, name)
        if _sha256_file(path) != sha256:
            raise BackupError(f"备份已损坏：{name} 的校验和不符。")
    return manifest


def _listed_files(manifest: dict) -> list[tuple[str, str]]:
    """(name in the folder, SHA-256) of every file of a signed manifest, checked for shape."""
    malformed = BackupError("备份清单的内容不完整或格式不对，未作任何改动。")
    database, media = manifest.get("database"), manifest.get("media")
    if (not isinstance(database, dict) or database.get("vendor") not in DATABASE_FILES
            or database.get("file") != DATABASE_FILES[database["vendor"]] or not isinstance(media, list)):
        raise malformed
    listed = [(database["file"], database.get("sha256"))]
    for item in media:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise malformed
        _check_name(item["name"])
        listed.append((f"{MEDIA_DIR}/{item['name']}", item.get("sha256")))
    if not all(isinstance(sha256, str) for _name, sha256 in listed):
        raise malformed
    return listed


def _check_name(name: str) -> None:
    """A media name must stay inside the folder and the storage: relative, no `..`, no `\\`."""
    parts = name.split("/")
    if (not name or name.startswith("/") or "\\" in name or "\0" in name
            or any(part in {"", ".", ".."} for part in parts)):
        raise BackupError(f"备份清单中的文件名 “{name}” 不安全（绝对路径或含 ..），拒绝恢复，未作任何改动。")


def _member(folder: Path, name: str) -> Path:
    """The path of a listed file, refused if it or a folder on its way is a symlink or not a file."""
    path = folder
    for part in name.split("/"):
        path = path / part
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            raise BackupError(f"备份不完整：缺少 {name}。") from None
        if stat.S_ISLNK(mode):
            raise BackupError(f"备份中的 {path.relative_to(folder)} 是符号链接，拒绝恢复，未作任何改动。")
    if not stat.S_ISREG(mode):
        raise BackupError(f"备份中的 {name} 不是普通文件，拒绝恢复，未作任何改动。")
    return path


def _database_is_empty(alias: str) -> bool:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_database(alias: str, source: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup_copy = sqlite3.connect(source)
        try:
            backup_copy.backup(connection.connection)
        finally:
            backup_copy.close()
        return
    settings_dict = connection.settings_dict
    connection.close()
    arguments, environment = _pg_environment(settings_dict)
    # One transaction: a failure leaves the database as empty as it was.
    command = ["pg_restore", "--no-owner", "--no-acl", "--single-transaction", *arguments,
               "--dbname", settings_dict["NAME"], str(source)]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"pg_restore 失败：{completed.stderr.strip()}")


def _restore_media(folder: Path, manifest: dict, storage: Storage) -> list[str]:
    """Store every file of the backup and return their names; on a failure remove the ones
    stored so far and raise."""
    media = manifest["media"]
    stored: list[str] = []
    for number, item in enumerate(media, start=1):
        where = f"恢复媒体文件 {item['name']}（第 {number} / {len(media)} 个）时"
        try:
            with _open_regular(folder / MEDIA_DIR / item["name"]) as handle:
                saved = storage.save(item["name"], File(handle, name=item["name"]))
        except Exception as error:  # noqa: BLE001 - any backend's error (S3's are not OSError)
            raise BackupError(f"{where}出错（{error}）。{_undo_media(storage, stored)}") from error
        stored.append(saved)
        if saved != item["name"]:
            raise BackupError(f"{where}被存为 {saved}（存储中出现了同名文件）。"
                              f"{_undo_media(storage, stored)}")
    return stored


def _undo_media(storage: Storage, stored: list[str]) -> str:
    """Delete the files this restore stored; say in what state that leaves the site."""
    left = []
    for name in stored:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - reported below, with the name to delete by hand
            left.append(name)
    if not left:
        deleted = f"已删除本次写入的 {len(stored)} 个文件，" if stored else ""
        return f"{deleted}数据库和文件存储均未改动。请排除故障后重新运行 restore。"
    return (f"数据库未改动，但本次写入的文件中有 {len(left)} 个未能删除（{left[0]} 等）："
            "请排除故障，从存储中删除这些文件后重新运行 restore。")


def restore(folder: Path, *, alias: str = "default") -> dict:
    """Bring a backup into an empty database and the `default` storage; return its manifest.

    All or nothing: the files are stored first (the storage has none of them, as checked) and
    removed again if one fails or the database cannot be loaded; the database is loaded in one
    transaction, so it is either complete or still empty.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = _vendor(alias)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"备份来自 {manifest['database']['vendor']} 数据库，"
                          f"不能恢复到 {vendor} 数据库。")
    if not _database_is_empty(alias):
        raise BackupError("目标数据库不是空的：只能恢复到新建的空数据库。")
    storage = storages["default"]
    clashes = [item["name"] for item in manifest["media"] if storage.exists(item["name"])]
    if clashes:
        raise BackupError(f"存储中已有同名文件，未作任何改动：{clashes[0]} 等 {len(clashes)} 个。")
    stored = _restore_media(folder, manifest, storage)
    try:
        _restore_database(alias, folder / manifest["database"]["file"])
    except (BackupError, OSError, sqlite3.Error, DatabaseError) as error:
        reason = error if isinstance(error, BackupError) else f"载入数据库失败（{error}）"
        raise BackupError(f"{reason}\n{_undo_media(storage, stored)}") from error
    return manifest
