"""Print an issue's proofreading findings, one a line, tab-separated."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from bulletins.models import Issue
from bulletins.proofreading import Code, proofread_issue


def _cell(text: str) -> str:
    return " ".join(str(text).split())


class Command(BaseCommand):
    help = ("校对一期或多期简报，每处问题一行，以制表符分隔：检查项代码、文章标题、原文摘录（问题处"
            "用▶◀标出）、说明。发现问题不算失败，退出码为 0。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("issues", nargs="+", type=int, metavar="issue_pk", help="期的编号（主键）")
        parser.add_argument("--summary", action="store_true",
                            help="最后在标准错误输出中按检查项汇总数量")

    def handle(self, *args, issues: list[int], summary: bool, **options) -> None:
        found = {issue.pk: issue for issue in Issue.objects.filter(pk__in=issues)}
        missing = [str(pk) for pk in issues if pk not in found]
        if missing:
            raise CommandError(f"没有编号为 {'、'.join(missing)} 的期。")
        totals: Counter[str] = Counter()
        for pk in issues:
            result = proofread_issue(found[pk])
            for finding in result.findings:
                self.stdout.write("\t".join(_cell(value) for value in (
                    finding.code, finding.article_title, finding.excerpt, finding.message)))
            totals += result.counts()
            if summary:
                self.stderr.write(f"{found[pk]}：{result.summary()}"
                                  + (f"另有 {len(result.dismissed)} 处已忽略。" if result.dismissed else ""))
        if summary:
            for code in Code:
                self.stderr.write(f"{code}\t{totals[str(code)]}")
