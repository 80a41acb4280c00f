"""Back up the database and the stored files into a folder, while the site runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletins.backup import BackupError, backup


class Command(BaseCommand):
    help = ("备份数据库（SQLite 在线备份或 pg_dump）和全部存储文件到指定目录，"
            "并写入带校验和、以备份密钥签名（HMAC-SHA256）的清单 manifest.json。网站运行时即可备份。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("out_dir", type=Path, help="备份目录（不存在或为空）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, out_dir: Path, database: str, **options) -> None:
        try:
            result = backup(out_dir, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已备份到 {result.folder}：数据库 {result.database_file}，"
                          f"文件 {result.media_files} 个（{result.media_bytes} 字节）。")
