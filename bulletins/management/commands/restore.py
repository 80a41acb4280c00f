"""Restore a backup written by `backup` into an empty database and the file storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletins.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 backup 命令写出的备份恢复到新建的空数据库和文件存储中（先核对清单签名和全部校验和）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup_dir", type=Path, help="备份目录")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, backup_dir: Path, database: str, **options) -> None:
        try:
            manifest = restore(backup_dir, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已恢复 {manifest['created']} 的备份：文件 {len(manifest['media'])} 个。"
                          "请再运行 manage.py migrate（如版本较新）。")
