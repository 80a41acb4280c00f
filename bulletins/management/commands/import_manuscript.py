"""Import Word manuscripts as articles: `import_manuscript --issue 12 --column 经验交流 a.docx b.docx`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletins.manuscripts import ManuscriptResult
from bulletins.models import Column, Issue
from bulletins.services.manuscripts import import_manuscripts, manuscript_read


class Command(BaseCommand):
    help = "把 Word 稿件（.docx）导入为某一期某栏目的文章，每个文件一篇；要么全部导入，要么都不导入。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=".docx 文件")
        parser.add_argument("--issue", required=True, type=int, help="期的编号（数据库 id）")
        parser.add_argument("--column", required=True, help="栏目名称")
        parser.add_argument("--dry-run", action="store_true", help="照常导入后撤销，只报告结果，不保存")

    def handle(self, *args, files: list[Path], issue: int, column: str, dry_run: bool, **options) -> None:
        found = Issue.objects.select_related("publication").filter(pk=issue).first()
        if found is None:
            raise CommandError(f"没有编号为 {issue} 的期。")
        target = Column.objects.filter(publication=found.publication, name=column.strip()).first()
        if target is None:
            names = "、".join(found.publication.columns.values_list("name", flat=True)) or "（无）"
            raise CommandError(f"刊物“{found.publication}”没有栏目“{column}”。现有栏目：{names}")
        results = [self._read(path) for path in files]
        unreadable = [result for result in results if not result.ok]
        if not unreadable:
            outcome = import_manuscripts(issue=found, column=target, dry_run=dry_run,
                                         manuscripts=[result.manuscript for result in results])
            results = outcome.results
        for result in results:
            if not result.ok:
                self.stderr.write(result.error)
                continue
            manuscript = result.manuscript
            self.stdout.write(f"{result.name}：《{manuscript.title}》，{manuscript.han_count} 字，"
                              f"{len(manuscript.images)} 张图片" + ("（试读，未保存）" if dry_run else ""))
            for warning in manuscript.warnings:
                self.stdout.write(f"  注意：{warning}")
        failed = sum(not result.ok for result in results)
        if failed:
            raise CommandError(f"共 {len(files)} 个文件，失败 {failed} 个；要么全部导入，要么都不导入，"
                               "所以一篇也没有导入。")
        done = "可以导入（试读，未保存）" if dry_run else "已全部导入"
        self.stdout.write(self.style.SUCCESS(f"共 {len(files)} 个文件，{done}。"))

    @staticmethod
    def _read(path: Path) -> ManuscriptResult:
        if not path.is_file():
            return ManuscriptResult(name=path.name, error=f"找不到文件“{path}”。")
        return manuscript_read(name=path.name, content=path.read_bytes())
