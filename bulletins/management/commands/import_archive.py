"""Import past issues from bulletin text/Markdown files or archive JSON: `import_archive seeds/`.

The files are imported here, one by one (each in its own transaction), with their reports
printed as they come; the run is also recorded as a job in the admin's 后台任务, where its
progress (done N of M) and the files that failed can be followed from the browser.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletins.archive.importer import archive_files, archive_import_files
from bulletins.batch import batch_count_import, batch_create, batch_running
from bulletins.batch_models import BatchJob
from bulletins.models import Organisation
from bulletins.services import UnitAction

FRAGMENT_POLICIES = [UnitAction.KEEP_LINE.value, UnitAction.CREATE.value]


class Command(BaseCommand):
    help = "导入往期简报：PDF、文本、Markdown 或归档 JSON 文件，可指定文件或文件夹。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="要导入的文件或文件夹")
        parser.add_argument("--dry-run", action="store_true",
                            help="完整试导入一遍并报告结果，但不保存任何更改")
        parser.add_argument("--replace", action="store_true",
                            help="文件中的期在系统中已有草稿或内容不同的已印发版本时，用文件替换"
                                 "（原内容保留为历史版本）；不加此项则拒绝导入该文件")
        parser.add_argument("--accept-warnings", action="store_true",
                            help="结构存疑（目录与正文不符等）的文件在核对报告后仍然导入")
        parser.add_argument("--fragments", choices=FRAGMENT_POLICIES, default=UnitAction.KEEP_LINE.value,
                            help="版记中不像单位名称的片段（副书记、各市、办公室等）：keep-line "
                                 "只照印在版记中、不在名录新建（默认）；create 仍然在名录中新建")
        parser.add_argument("--merge-unit", action="append", default=[], metavar="名称=已有单位",
                            help="把版记中名录没有的这个名称记为名录中已有的那个单位（版记照印原文），可重复")

    def handle(self, *args, paths: list[Path], dry_run: bool, replace: bool, accept_warnings: bool,
               fragments: str, merge_unit: list[str], **options) -> None:
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"找不到：{'、'.join(missing)}")
        merge_values = _merge_values(merge_unit)
        files = archive_files(paths)
        if not files:
            raise CommandError("没有找到可导入的文件（.pdf、.txt、.md、.json）。")
        kind = BatchJob.Kind.ARCHIVE_CHECK if dry_run else BatchJob.Kind.ARCHIVE_IMPORT
        job = batch_create(kind=kind, total=len(files),
                           label=f"{len(files)} 个文件：{'、'.join(str(path) for path in paths)}")
        done = 0

        def report(result) -> None:
            nonlocal done
            done += 1
            batch_count_import(job, result)
            lines = result.report_lines()
            self.stdout.write(f"[{done}/{len(files)}] {lines[0]}")
            for line in lines[1:]:
                self.stdout.write(line)

        with batch_running(job):
            results = archive_import_files(
                [(str(path), {"path": path}) for path in files], dry_run=dry_run, replace=replace,
                accept_warnings=accept_warnings, fragments=UnitAction(fragments),
                unit_values=dict.fromkeys(range(len(files)), merge_values), each=report)
        failed = sum(not result.ok for result in results)
        summary = f"共 {len(files)} 个文件，成功 {len(files) - failed} 个，失败 {failed} 个。"
        if dry_run:
            summary += "（试导入，未保存任何更改）"
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _merge_values(values: list[str]) -> dict[str, str]:
    """`--merge-unit 组织部=中共江苏省委组织部`: the name as the 版记 prints it, an existing unit
    (by its id, as the admin preview gives it)."""
    choices: dict[str, str] = {}
    for value in values:
        name, _, target = (part.strip() for part in value.partition("="))
        if not name or not target:
            raise CommandError(f"--merge-unit 应写成“名称=已有单位”：{value}")
        organisation = Organisation.objects.filter(name=target).first()
        if organisation is None:
            raise CommandError(f"--merge-unit：名录中没有单位“{target}”。")
        choices[name] = str(organisation.pk)
    return choices
