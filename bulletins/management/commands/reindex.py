"""Rebuild the full-text index from the articles: `manage.py reindex` (after a bulk load)."""

import time

from django.core.management.base import BaseCommand

from bulletins.search import search_reindex
from bulletins.search.indexing import REINDEX_BATCH


class Command(BaseCommand):
    help = "重建全文检索索引（批量导入数据库之后使用；平时由各项操作自动保持同步）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=REINDEX_BATCH, help="每批索引的文章数")

    def handle(self, *args, batch_size: int, **options) -> None:
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"已索引 {done} 篇")

        result = search_reindex(batch_size=batch_size, progress=progress)
        seconds = time.perf_counter() - started
        size = f"，索引 {result.size_bytes / 1_000_000:.1f} MB" if result.size_bytes else ""
        self.stdout.write(self.style.SUCCESS(
            f"已重建检索索引：{result.articles} 篇文章，用时 {seconds:.1f} 秒{size}。"))
