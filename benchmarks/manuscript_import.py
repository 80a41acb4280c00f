"""Benchmark the Word import: read and import generated manuscripts into one issue.

    .venv/bin/python benchmarks/manuscript_import.py [--files 40] [--paragraphs 40]

Each manuscript is built with python-docx like tests/manuscripts.py (centred title, subtitle,
byline, headings by East Asian font and numbering, bold lead-ins, a table, one 800×500 photo)
with the given number of body paragraphs. Runs against a throwaway SQLite database and media
folder and prints the file size, the median time to read one file (mammoth, post-processing,
sanitising: the preview) and the time to create all the articles from what was read (the
confirmation, which stores the photos and places each article in the issue).
"""

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from _django import setup_django  # the script's folder is on sys.path

PARAGRAPH = ("今年以来，全市各级党组织坚持把学习贯彻党的创新理论作为首要政治任务，健全完善理论学习中心组"
             "学习制度，采取专题辅导、集体研讨、调研交流等方式，推动理论学习往深里走、往心里走、往实里走。")


def manuscript(index: int, paragraphs: int) -> bytes:
    from docx import Document
    from PIL import Image

    from tests.manuscripts import body, east_asian, save

    document = Document()
    title = document.add_paragraph()
    title.alignment = 1
    east_asian(title, f"第{index}篇：强化示范带动 推动理论学习走深走实", "方正小标宋简体", size=22)
    body(document, "——市委理论学习中心组学习经验", indent=False, align=1)
    body(document, "市委宣传部 王明", indent=False, align=1)
    for number in range(paragraphs):
        if number % 10 == 0:
            body(document, (f"{'一二三四五六七八九十'[number // 10 % 10]}、突出学习重点", "黑体"))
        elif number % 5 == 0:
            body(document, ("（一）坚持读原著", "楷体_GB2312"))
        body(document, ("聚力高位谋划。", "黑体", True), PARAGRAPH)
    table = document.add_table(rows=5, cols=3)
    for row in table.rows:
        for cell in row.cells:
            east_asian(cell.paragraphs[0], "京口区", "仿宋_GB2312", size=12)
    photo = io.BytesIO()
    Image.effect_noise((800, 500), 40).convert("RGB").save(photo, format="JPEG", quality=85)
    document.add_picture(io.BytesIO(photo.getvalue()))
    body(document, "（市委宣传部）", indent=False, align=2)
    return save(document)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--paragraphs", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    setup_django(folder / "db.sqlite3")
    from bulletins.manuscripts import read_manuscript
    from bulletins.services.manuscripts import import_manuscripts
    from tests.factories import ColumnFactory, IssueFactory

    files = [manuscript(index, args.paragraphs) for index in range(args.files)]
    reads, read = [], []
    for index, content in enumerate(files):
        start = time.perf_counter()
        read.append(read_manuscript(name=f"{index}.docx", content=content))
        reads.append(time.perf_counter() - start)
    issue = IssueFactory()
    column = ColumnFactory(publication=issue.publication)
    start = time.perf_counter()
    outcome = import_manuscripts(issue=issue, column=column, manuscripts=read)
    if not outcome.saved:
        raise SystemExit("\n".join(result.error for result in outcome.failed))
    total = time.perf_counter() - start
    size = statistics.median(len(content) for content in files)
    print(f"{args.files} manuscripts of {args.paragraphs} paragraphs, a table and a photo, "
          f"median {size / 1024:.0f} KB each")
    print(f"read (preview) one file: median {statistics.median(reads) * 1000:.0f} ms, "
          f"max {max(reads) * 1000:.0f} ms")
    print(f"confirm (store the photos, create the articles) for all {args.files}: {total:.2f} s "
          f"({total / args.files * 1000:.0f} ms a file), {issue.articles.count()} articles")


if __name__ == "__main__":
    main()
