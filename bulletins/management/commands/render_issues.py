"""Render issues to print-ready PDFs (and their Word and OFD editions) in a folder, on every core."""

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
    from bulletins.rendering import prepare_process_for_rendering

    prepare_process_for_rendering()  # a worker renders issue after issue


FORMATS = ("pdf", "docx", "ofd")


def _render_one(issue_id: int, out_dir: str, with_html: bool,
                formats: tuple[str, ...] = ("pdf",)) -> tuple[int, str, float, str]:
    """Render one issue in a worker; return (id, file names, seconds, error message)."""
    from bulletins.rendering.docx import render_printed_issue_docx
    from bulletins.rendering.html import printed_issue, render_issue_html
    from bulletins.rendering.ofd import render_printed_issue_ofd
    from bulletins.rendering.outline import article_pages
    from bulletins.rendering.pdf import issue_pdf_filename, render_issue_pdf

    started = time.perf_counter()
    issue = Issue.objects.select_related("publication").get(pk=issue_id)
    name = issue_pdf_filename(issue)
    # The Word and OFD editions come from the same issue data and the same PDF.
    printed = printed_issue(issue)
    try:
        pdf = render_issue_pdf(issue, printed=printed)
    except MissingGlyphError as error:
        return issue_id, name, time.perf_counter() - started, str(error)
    stem = name.removesuffix(".pdf")
    if "pdf" in formats:
        (Path(out_dir) / name).write_bytes(pdf)
    if "docx" in formats:
        pages = article_pages(pdf, printed) if printed.toc_shows_pages else {}
        (Path(out_dir) / f"{stem}.docx").write_bytes(render_printed_issue_docx(printed, pages=pages))
    if "ofd" in formats:
        (Path(out_dir) / f"{stem}.ofd").write_bytes(render_printed_issue_ofd(printed, pdf))
    name = ", ".join(f"{stem}.{fmt}" for fmt in formats)
    if with_html:
        html = render_issue_html(printed)
        (Path(out_dir) / f"{stem}.html").write_text(html, encoding="utf-8")
    return issue_id, name, time.perf_counter() - started, ""


class Command(BaseCommand):
    help = ("把各期简报排成可印刷的 PDF（及 Word、OFD 版），存入指定目录"
            "（文件名：刊物标识-年份-期号.pdf/.docx/.ofd）。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out-dir", help="输出目录")
        parser.add_argument("--background", action="store_true",
                            help="不写文件，在后台任务中生成 PDF 存入缓存（进度见管理后台“后台任务”）")
        parser.add_argument("--html", action="store_true", help="同时保存排版用的 HTML")
        parser.add_argument("--format", default="pdf",
                            help="输出格式，逗号分隔：pdf、docx、ofd（默认：pdf）")
        parser.add_argument("--publication", help="只印此刊物（英文标识）")
        parser.add_argument("--year", type=int, help="只印此年份")
        parser.add_argument("--number", type=int, help="只印此期号")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help="并行进程数（默认：CPU 核数）")

    def handle(self, *args, out_dir: str | None, html: bool, publication: str | None,
               year: int | None, number: int | None, workers: int, background: bool,
               format: str = "pdf", **options) -> None:  # noqa: A002
        if not out_dir and not background:
            raise CommandError("请用 --out-dir 指定输出目录，或用 --background 在后台生成。")
        formats = tuple(dict.fromkeys(part.strip().lower() for part in format.split(",") if part.strip()))
        unknown = [part for part in formats if part not in FORMATS]
        if unknown or not formats:
            raise CommandError(f"不支持的格式：{'、'.join(unknown) or format}（可选：pdf、docx、ofd）。")
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
            from bulletins.tasks import batch_render_start

            job = batch_render_start(issues=Issue.objects.filter(pk__in=ids).order_by(
                "publication__slug", "year", "number"), label=f"{len(ids)} 期简报的PDF（命令行）")
            self.stdout.write(f"已排队：后台任务 #{job.pk}，共 {len(ids)} 期。")
            return
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        results = self._run(ids, out_dir, html, max(1, min(workers, len(ids))), formats)
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

    def _run(self, ids: list[int], out_dir: str, with_html: bool, workers: int,
             formats: tuple[str, ...] = ("pdf",)) -> list:
        if workers == 1:
            return [_render_one(pk, out_dir, with_html, formats) for pk in ids]
        # Workers must not inherit open database connections; each sets Django up afresh.
        connections.close_all()
        with ProcessPoolExecutor(max_workers=workers, initializer=_setup_worker) as pool:
            futures = [pool.submit(_render_one, pk, out_dir, with_html, formats) for pk in ids]
            return [future.result() for future in as_completed(futures)]
