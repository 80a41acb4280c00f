"""Write issues to the versioned archive JSON: `export_archive -o archive.json`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from bulletins.archive.json_format import archive_export
from bulletins.models import Issue
from bulletins.services import publication_find


class Command(BaseCommand):
    help = "把已印发的往期简报导出为归档 JSON 文件（格式见 README）；草稿不归档。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", type=Path, required=True, help="输出文件，“-”表示标准输出")
        parser.add_argument("--publication", help="只导出此刊物（英文标识或刊名）")
        parser.add_argument("--year", type=int, help="只导出此年份")

    def handle(self, *args, output: Path, publication: str | None, year: int | None, **options) -> None:
        # The archive holds printed issues; importing one always stores it as printed.
        issues = Issue.objects.published().select_related("publication").prefetch_related(
            "articles__column")
        if publication:
            wanted = Q(publication__slug=publication) | Q(publication__name=publication)
            # A full name such as “党委中心组 理论学习通讯” (spaces ignored), as the masthead prints it.
            found = publication_find(name_prefix="", name=publication)
            if found is not None:
                wanted |= Q(publication=found)
            issues = issues.filter(wanted)
            if not issues.exists():
                raise CommandError(f"没有刊物“{publication}”的期。")
        if year:
            issues = issues.filter(year=year)
        issues = issues.order_by("publication__name_prefix", "publication__name", "year", "is_special",
                                 "number")
        document = archive_export(issues)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if str(output) == "-":
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(document['issues'])} 期到 {output}。"))
