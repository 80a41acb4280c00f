"""Build the reduced faces (GB 2312 repertoire) of the free fonts the bulletin roles use."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from bulletins.rendering.fonts import build_reduced_faces
from bulletins.rendering.reduced import reduced_dir


class Command(BaseCommand):
    help = ("为各字体角色所用的免费字体生成精简字体（GB 2312 字集），放在 BULLETIN_REDUCED_FONT_DIR；"
            "已是最新的不再生成。")
    requires_system_checks = []  # the font check would only report what this command builds

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="即使已是最新也重新生成。")

    def handle(self, *args, force: bool = False, **options):
        started = time.perf_counter()
        results = build_reduced_faces(force=force)
        for result in results:
            if result.error:
                self.stderr.write(result.error)
            elif result.built:
                self.stdout.write(f"已生成 {result.path.name}：{result.characters} 个字符，"
                                  f"{result.path.stat().st_size / 1024 / 1024:.1f} MB，"
                                  f"{result.seconds:.1f} 秒（{result.tool}），源字体 {result.source}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"已是最新：{result.path.name}（源字体 {result.source}）")
        built = sum(result.built for result in results)
        failed = sum(bool(result.error) for result in results)
        if failed:
            raise CommandError(f"精简字体：{failed} 个未能生成（见上），印制时改用这些完整字体，"
                               f"PDF 生成较慢、文件较大；生成 {built} 个，"
                               f"{len(results) - built - failed} 个已是最新。")
        if not results:
            self.stdout.write("各角色都使用授权字体，无需生成精简字体。")
        elif built or options["verbosity"] > 1:
            self.stdout.write(self.style.SUCCESS(
                f"精简字体：生成 {built} 个，{len(results) - built} 个已是最新（{reduced_dir()}），"
                f"用时 {time.perf_counter() - started:.1f} 秒。"))
