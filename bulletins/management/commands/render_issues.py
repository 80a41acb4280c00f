"""Render issues to print-ready PDFs in a folder, on every core."""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from bulletins.models import Issue
from bulletins.rendering import MissingGlyphError


def _setup_worker() -> None:
    import django

    django.setup()


def _render_one(issue_id: int, out_dir: str, with_html: bool) -> tuple[int, str, float, str]:
    """Render one issue in a worker; return (id, file name, seconds, error message)."""
    from bulletins.rendering.html import printed_issue, render_issue_html
    from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf

    started = time.perf_counter()
    issue = Issue.objects.select_related("publication").get(pk=issue_id)
    name = issue_pdf_filename(issue)
    try:
        pdf = render_issue_pdf(issue)
    except MissingGlyphError as error:
        return issue_id, name, time.perf_counter() - started, str(error)
    (Path(out_dir) / name).write_bytes(pdf)
    if with_html:
        html = render_issue_html(printed_issue(issue))
        (Path(out_dir) / name).with_suffix(".html").write_text(html, encoding="utf-8")
    return issue_id, name, time.perf_counter() - started, ""


class Command(BaseCommand):
    help = "把各期简报排成可印刷的 PDF，存入指定目录（文件名：刊物标识-年份-期号.pdf）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out-dir", help="输出目录")
        parser.add_argument("--background", action="store_true",
                            help="不写文件，在后台任务中生成 PDF 存入缓存（进度见管理后台“后台任务”）")
        parser.add_argument("--html", action="store_true", help="同时保存排版用的 HTML")
        parser.add_argument("--publication", help="只印此刊物（英文标识）")
        parser.add_argument("--year", type=int, help="只印此年份")
        parser.add_argument("--number", type=int, help="只印此期号")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help="并行进程数（默认：CPU 核数）")

    def handle(self, *args, out_dir: str | None, html: bool, publication: str | None,
               year: int | None, number: int | None, workers: int, background: bool,
               **options) -> None:
        if not out_dir and not background:
            raise CommandError("请用 --out-dir 指定输出目录，或用 --background 在后台生成。")
        issues = Issue.objects.all()
        if publication:
            issues = issues.filter(publication__slug=publication)
        if year:
            issues = issues.filter(year=year)
        if number:
            issues = issues.filter(number=number)
        ids = list(issues.order_by("publication__slug", "year", "number").values_list("pk", flat=True))
        if not ids:
            raise CommandError("没有符合条件的期。")
        if background:
            from bulletins.batch import batch_render_start

            job = batch_render_start(issues=Issue.objects.filter(pk__in=ids).order_by(
                "publication__slug", "year", "number"), label=f"{len(ids)} 期简报的PDF（命令行）")
            self.stdout.write(f"已排队：后台任务 #{job.pk}，共 {len(ids)} 期。")
            return
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        results = self._run(ids, out_dir, html, max(1, min(workers, len(ids))))
        failures = [r for r in results if r[3]]
        for _, name, seconds, error in sorted(results, key=lambda r: r[1]):
            if error:
                self.stderr.write(f"{name}：{error}")
            else:
                self.stdout.write(f"{name}  {seconds:.2f} 秒")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"共 {len(results) - len(failures)} 期，用时 {elapsed:.2f} 秒。")
        if failures:
            raise CommandError(f"{len(failures)} 期未能生成。")

    def _run(self, ids: list[int], out_dir: str, with_html: bool, workers: int) -> list:
        if workers == 1:
            return [_render_one(pk, out_dir, with_html) for pk in ids]
        # Workers must not inherit open database connections; each sets Django up afresh.
        connections.close_all()
        with ProcessPoolExecutor(max_workers=workers, initializer=_setup_worker) as pool:
            futures = [pool.submit(_render_one, pk, out_dir, with_html) for pk in ids]
            return [future.result() for future in as_completed(futures)]
