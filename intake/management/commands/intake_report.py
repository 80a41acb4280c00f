"""Print or export the 信息工作考核 of a year or a month."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.reports import report_xlsx, unit_report


class Command(BaseCommand):
    help = "信息工作考核：按单位列出报送、采用、得分和排名；-o 导出 XLSX。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2026")
        parser.add_argument("--month", type=int, help="月份 1–12；不填为全年")
        parser.add_argument("-o", "--output", help="导出的 XLSX 文件路径")

    def handle(self, *args, year: int, month: int | None, output: str | None, **options):
        if month is not None and not 1 <= month <= 12:
            raise CommandError("月份须在 1 到 12 之间。")
        if not 1900 < year < 3000:
            raise CommandError("年度不正确。")
        report = unit_report(year=year, month=month)
        if output:
            path = Path(output)
            if path.suffix.lower() != ".xlsx":
                raise CommandError("导出文件须以 .xlsx 结尾。")
            try:
                path.write_bytes(report_xlsx(report=report))
            except OSError as error:
                raise CommandError(f"无法写入 {path}：{error.strerror}") from error
            self.stdout.write(f"已导出 {report.title}：{len(report.rows)} 个单位，{path}")
            return
        for row in report.rows:
            self.stdout.write("\t".join(str(v) for v in (row.unit, row.submitted, row.adopted, row.points,
                                                         row.rank)))
