"""Hostile uploads: per file, the time to refusal and the peak memory of the process that handled it.

    .venv/bin/python benchmarks/hostile_uploads.py [--only NAME ...] [--in-process]

Each file is small and expands to much (the sizes of the attacks in issue 21). It is made
first, on disk; then a fresh process, a web or task worker with the settings' default limits,
handles it as the site would: archive files through `archive_import_file` (what the admin
upload, the background job and `import_archive` call), a manuscript through `import_manuscript`,
a spreadsheet and an image through the admin's import and upload views. Printed per file: the
answer (the first 60 characters), the wall time to it (the reading child is started before),
the worker's peak RSS (Django and the site loaded: about 100 MB before any file), and the peak
RSS of the reading child (archive files and manuscripts are read in one; Linux counts in it the
worker's peak at the time it was started). `--in-process` reads archive files and manuscripts in
the worker itself (BULLETIN_PARSE_ISOLATED=off). The spreadsheet and image workers' figures
include the test client's copies of the request body (a real upload streams to a file).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# name -> (file name, how it is handled, maker)
CASES = {
    "docx-190mb": ("炸弹.docx", "manuscript", lambda h: h.docx_bomb(unpacked_mb=190)),
    "docx-5000-members": ("成员.docx", "manuscript", lambda h: h.zip_of_many_members(members=5000)),
    "pdf-stream-300mb": ("炸弹.pdf", "archive", lambda h: h.pdf_stream_bomb(inflated_mb=300)),
    "pdf-5000-pages": ("五千页.pdf", "archive", lambda h: h.pdf_of_pages(pages=5000)),
    "json-depth-2m": ("嵌套.json", "archive", lambda h: h.deep_json(depth=2_000_000)),
    "json-1.6m-chars": ("超长.json", "archive", lambda h: h.large_archive_json(characters=1_600_000)),
    "xlsx-200k-rows": ("单位.xlsx", "spreadsheet", lambda h: h.xlsx_of_rows(rows=200_000)),
    "csv-30mb": ("单位.csv", "spreadsheet", lambda h: h.csv_of_rows(rows=1_600_000)),
    "png-20000x20000": ("大图.png", "image", lambda h: h.png_of_pixels(width=20_000, height=20_000)),
}


def handle(kind: str, path: Path, database: Path) -> dict:
    """In the worker process: handle one file as the site does; return the answer and figures."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("BULLETIN_PARSE_ISOLATED", "on")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    # settings_test reads in the worker (fast tests); the site's default is a child process.
    settings.BULLETIN_PARSE_ISOLATED = os.environ["BULLETIN_PARSE_ISOLATED"] == "on"
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response context, for the admin's form errors
    content = path.read_bytes()
    if settings.BULLETIN_PARSE_ISOLATED and kind in {"archive", "manuscript"}:
        from bulletins.rendering.isolated import parse_runner

        parse_runner()._get_pool()  # started once per worker: not part of one file's time
    started = time.perf_counter()
    answer = _answer(kind, path.name, content)
    elapsed = time.perf_counter() - started
    from bulletins.rendering import isolated

    if isolated._parse_runner is not None:
        isolated._parse_runner.close()  # so that the child's peak is counted below
    return {"answer": answer, "seconds": elapsed,
            "worker_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _answer(kind: str, name: str, content: bytes) -> str:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    if kind == "archive":
        from bulletins.archive.importer import archive_import_file

        result = archive_import_file(content=content, name=name, dry_run=True)
        return result.error or "imported"
    if kind == "manuscript":
        from bulletins.services.manuscripts import import_manuscript
        from tests.factories import ColumnFactory, IssueFactory

        issue = IssueFactory()
        result = import_manuscript(issue=issue, column=ColumnFactory(publication=issue.publication),
                                   name=name, content=content, dry_run=True)
        return result.error or "read"
    client = Client()
    client.force_login(User.objects.create_superuser("admin"))
    if kind == "spreadsheet":
        form = client.get("/admin/bulletins/organisation/import/").context["form"]
        [index] = [value for value, label in form.fields["format"].choices if name.endswith(label)]
        response = client.post("/admin/bulletins/organisation/import/", {
            "format": index, "resource": "0", "import_file": SimpleUploadedFile(name, content)})
        return "；".join(response.context["form"].errors.get("import_file", [])) or "previewed"
    response = client.post("/admin/editor/image-upload/", {
        "upload": SimpleUploadedFile(name, content, content_type="image/png")})
    return response.json().get("error", {}).get("message", "stored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="these files only")
    parser.add_argument("--in-process", action="store_true", help="read in the worker, not a child")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "PATH", "DATABASE"), help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, path, database = args.worker
        print(json.dumps(handle(kind, Path(path), Path(database)), ensure_ascii=False))  # noqa: T201
        return
    if args.make:
        from tests import hostile

        case, path = args.make
        Path(path).write_bytes(CASES[case][2](hostile))
        return
    # Files are made and handled in processes of their own: Linux keeps a process's peak RSS
    # across fork and exec, so this one stays small, and each worker's figure is its own.
    environment = {**os.environ, "BULLETIN_PARSE_ISOLATED": "off" if args.in_process else "on"}
    print(f"{'file':<20} {'size':>9} {'refused in':>10} {'worker RSS':>10} {'child RSS':>9}  answer")  # noqa: T201
    with tempfile.TemporaryDirectory() as folder:
        for case in args.only or CASES:
            name, kind, _make = CASES[case]
            path = Path(folder) / name
            subprocess.run([sys.executable, __file__, "--make", case, str(path)], check=True)  # noqa: S603
            database = Path(folder) / f"{case}.sqlite3"
            worker = subprocess.run(  # noqa: S603 - this script, in a fresh process
                [sys.executable, __file__, "--worker", kind, str(path), str(database)], env=environment,
                cwd=ROOT, capture_output=True, text=True, check=False)
            if worker.returncode != 0:
                print(f"{case:<20} worker failed: {worker.stderr.strip().splitlines()[-1:]}")  # noqa: T201
                continue
            figures = json.loads(worker.stdout.strip().splitlines()[-1])
            in_child = kind in {"archive", "manuscript"} and not args.in_process
            child = f"{figures['child_mb']:.0f}MB" if in_child else "-"
            print(f"{case:<20} {path.stat().st_size / 1024:>7.0f}KB {figures['seconds']:>9.2f}s "  # noqa: T201
                  f"{figures['worker_mb']:>8.0f}MB {child:>9}  {figures['answer'][:60]}")
            path.unlink()


if __name__ == "__main__":
    main()
