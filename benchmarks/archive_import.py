"""Benchmark the archive import: the five seeds, then a generated archive of 1,000 varied issues.

    .venv/bin/python benchmarks/archive_import.py [--issues 1000]

Runs against a throwaway SQLite database and prints wall time and peak memory (max RSS).
The generated issues are variants of the seeds: own numbers, years, dates and totals, a
changed title in TOC and body, and swapped paragraphs, so that no two files are the same.
"""

import argparse
import random
import re
import resource
import tempfile
import time
from pathlib import Path

from _django import import_seeds, seed_files, setup_django  # the script's folder is on sys.path


def variant(text: str, index: int, rng: random.Random) -> str:
    """Give a seed text its own identity and some changed content."""
    if "总第" in text:  # the Hebei per-year publication with totals
        year, number = 1900 + index // 12, index % 12 + 1  # clear of the seed's 2023
        text = re.sub(r"^# 09$", f"# {number:02d}", text, flags=re.M)
        text = re.sub(r"^## 2023$", f"## {year}", text, flags=re.M)
        text = text.replace("(总第453期)", f"(总第{10000 + index}期)")
        text = text.replace("2023年9月20日", f"{year}年{index % 12 + 1}月{index % 28 + 1}日")
    else:  # the Jiangsu continuously numbered publication
        year, number = 2000 + index // 40, 1000 + index
        text = re.sub(r"^(#? ?)第 \d+ 期$", rf"\g<1>第 {number} 期", text, flags=re.M)
        text = re.sub(r"^(\*\*)?\d{4} 年 \d+ 月 \d+ 日", f"{year} 年 {index % 12 + 1} 月 {index % 28 + 1} 日",
                      text, count=1, flags=re.M)
    # Change one title the same way in the TOC and the body.
    titles = re.findall(r"^- (.+?)(?:\.{3,}.*)?\s*$", text, flags=re.M)
    if titles:
        title = rng.choice(titles).strip()
        text = text.replace(title, f"{title}（之{index}）")
    # Swap two complete paragraphs.
    lines = text.split("\n")
    paragraphs = [i for i, line in enumerate(lines) if len(line) > 80 and line.endswith("。")
                  and not line.startswith(("#", "-", "*"))]
    if len(paragraphs) >= 2:
        a, b = rng.sample(paragraphs, 2)
        lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from bulletins.archive.importer import archive_import_file
        from bulletins.models import Article, Issue

        seeds = seed_files()
        started = time.perf_counter()
        results = import_seeds()
        seconds = time.perf_counter() - started
        failed = [r.error for r in results if not r.ok]
        print(f"种子导入：{len(seeds)} 个文件，{seconds:.2f} 秒，失败 {len(failed)} 个")

        rng = random.Random(20231125)
        texts = [seed.read_text(encoding="utf-8") for seed in seeds]
        hebei = [t for t in texts if "总第" in t]
        jiangsu = [t for t in texts if "总第" not in t]
        folder = Path(tmp) / "archive"
        folder.mkdir()
        for index in range(args.issues):
            base = hebei[0] if index % 5 == 4 else jiangsu[index % len(jiangsu)]
            (folder / f"{index:05d}.txt").write_text(variant(base, index, rng), encoding="utf-8")
        files = sorted(folder.glob("*.txt"))
        started = time.perf_counter()
        results = [archive_import_file(path=path) for path in files]
        seconds = time.perf_counter() - started
        failed = [r.error for r in results if not r.ok]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        per_issue = seconds / len(files) * 1000
        print(f"生成归档导入：{len(files)} 个文件，{seconds:.1f} 秒（每期 {per_issue:.0f} 毫秒），"
              f"失败 {len(failed)} 个")
        print(f"数据库中：{Issue.objects.count()} 期，{Article.objects.count()} 篇文章")
        print(f"峰值内存（最大常驻集）：{peak_mb:.0f} MB")
        for error in failed[:5]:
            print(f"  {error}")


if __name__ == "__main__":
    main()
