"""Import Word manuscripts as articles: `import_manuscript --issue 12 --column 经验交流 a.docx b.docx`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletins.manuscripts import import_manuscript
from bulletins.models import Column, Issue


class Command(BaseCommand):
    help = "把 Word 稿件（.docx）导入为某一期某栏目的文章，每个文件一篇。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=".docx 文件")
        parser.add_argument("--issue", required=True, type=int, help="期的编号（数据库 id）")
        parser.add_argument("--column", required=True, help="栏目名称")
        parser.add_argument("--dry-run", action="store_true", help="只读取并报告，不保存")

    def handle(self, *args, files: list[Path], issue: int, column: str, dry_run: bool, **options) -> None:
        found = Issue.objects.select_related("publication").filter(pk=issue).first()
        if found is None:
            raise CommandError(f"没有编号为 {issue} 的期。")
        target = Column.objects.filter(publication=found.publication, name=column.strip()).first()
        if target is None:
            names = "、".join(found.publication.columns.values_list("name", flat=True)) or "（无）"
            raise CommandError(f"刊物“{found.publication}”没有栏目“{column}”。现有栏目：{names}")
        failed = 0
        for path in files:
            if not path.is_file():
                self.stderr.write(f"找不到文件“{path}”。")
                failed += 1
                continue
            result = import_manuscript(issue=found, column=target, name=path.name,
                                       content=path.read_bytes(), dry_run=dry_run)
            if not result.ok:
                self.stderr.write(result.error)
                failed += 1
                continue
            manuscript = result.manuscript
            self.stdout.write(f"{path.name}：《{manuscript.title}》，{manuscript.han_count} 字，"
                              f"{len(manuscript.images)} 张图片" + ("（试读，未保存）" if dry_run else ""))
            for warning in manuscript.warnings:
                self.stdout.write(f"  注意：{warning}")
        summary = f"共 {len(files)} 个文件，成功 {len(files) - failed} 个，失败 {failed} 个。"
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
