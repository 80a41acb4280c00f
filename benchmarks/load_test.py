"""Load test: gunicorn (2 workers) and one task worker, driven by locust.

    .venv/bin/python benchmarks/load_test.py [--sqlite] [--users 20] [--seconds 60] [--port 8111]
        [--database bulletins_load] [--redis-url redis://127.0.0.1:6379/6] [--threads 1]

With `--sqlite`, the default install: a SQLite file, the file cache and the database queue, in a
temporary folder. Otherwise a throwaway PostgreSQL database (127.0.0.1:5432, user postgres; the
name given, or bulletins_load_<pid>) and the Redis database given (cache and queue). It
migrates, imports seeds/, gives each simulated editor a draft issue of its own and all of them
one shared draft, starts `gunicorn config.wsgi` with 2 workers (of `--threads` threads each) and
`manage.py run_worker`, and runs locust headless for a bounded time: half the users are editors
(log in, issue list, issue page, save an article of their draft, preview it, download its PDF;
and on the shared draft, all at once: save one of its articles, save its page, move an article,
and submit and withdraw their own draft), half are readers (log in, issue list, an archived
issue's page, its preview, its PDF). Prints requests per second, p50/p95/max per kind, the
errors (a 5xx or an answer that is neither a success nor the conflict page) and the conflicts
(a save refused because a colleague saved first: the page that says so), the CPU seconds that
the web server, the task worker and locust itself used, and the load average. Afterwards it
drops the database and removes the Redis keys the run made (cache and queue), and its
temporary folder.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import psutil  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.html_forms import form_fields  # noqa: E402

PYTHON = sys.executable
PASSWORD = "load-test-" + secrets.token_hex(8)

# Run inside the throwaway site: an editor account and a draft issue per simulated editor.
PREPARE = """
import json
from django.contrib.auth.models import Group, User
from bulletins.models import Issue
from bulletins.services import article_create, issue_create
from editorial.permissions import EDITOR_GROUP
editors, readers = {editors}, {readers}
group = Group.objects.get(name=EDITOR_GROUP)
published = list(Issue.objects.select_related("publication").order_by("pk"))
source = published[0]
drafts = []
for index in range(editors):
    user = User.objects.create_user(f"editor{{index}}", password={password!r}, is_staff=True)
    user.groups.add(group)
    issue = issue_create(publication=source.publication, number=900 + index)
    for article in source.articles.select_related("column").order_by("position"):
        article_create(issue=issue, column=article.column, title=article.title, body=article.body)
    first = issue.articles.order_by("position").first()
    drafts.append({{"issue": issue.pk, "article": first.pk, "column": first.column_id,
                   "title": first.title, "body": first.body}})
shared = issue_create(publication=source.publication, number=990)
for article in source.articles.select_related("column").order_by("position"):
    article_create(issue=shared, column=article.column, title=article.title, body=article.body)
for index in range(readers):
    user = User.objects.create_user(f"reader{{index}}", password={password!r}, is_staff=True)
    user.groups.add(group)
shared_articles = list(shared.articles.values_list("pk", flat=True))
print(json.dumps({{"drafts": drafts, "published": [issue.pk for issue in published],
                  "shared": {{"issue": shared.pk, "articles": shared_articles}}}}))
"""


def run(env: dict, *argv: str, capture: bool = False) -> str:
    completed = subprocess.run([PYTHON, *argv], cwd=ROOT, env=env, check=False,  # noqa: S603
                               capture_output=capture, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:2])} failed:\n{completed.stderr}")
    return completed.stdout if capture else ""


def psql(command: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q",  # noqa: S603, S607
                    "-v", "ON_ERROR_STOP=1", "-c", command], check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


class SiteUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    prefix = ""

    def on_start(self) -> None:
        self.username = f"{self.prefix}{next(OPTIONS.counters[self.prefix])}"
        page = self.client.get("/admin/login/", name="login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post("/admin/login/", name="login", catch_response=True, data={
                "csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD,
                "next": "/admin/"}) as response:
            if "/admin/login/" in response.url:
                response.failure("login refused")

    def open_issue(self, issue_id: int) -> None:
        self.client.get(f"/admin/bulletins/issue/{issue_id}/change/", name="issue page")

    def download(self, issue_id: int, name: str) -> None:
        with self.client.get(f"/admin/issues/{issue_id}/pdf/", name=name,
                             catch_response=True) as response:
            if response.headers.get("Content-Type") == "application/pdf":
                response.success()
            elif "自动刷新" in response.text:
                response.success()  # the render is queued: the page that waits for it
                OPTIONS.waiting[name] += 1
            else:
                response.failure("neither a PDF nor the waiting page")


class Editor(SiteUser):
    prefix = "editor"

    def on_start(self) -> None:
        super().on_start()
        self.draft = OPTIONS.drafts[int(self.username.removeprefix("editor"))]
        self.saves = 0

    @task(3)
    def issue_list(self) -> None:
        self.client.get("/admin/bulletins/issue/", name="issue list")

    @task(3)
    def issue_page(self) -> None:
        self.open_issue(self.draft["issue"])

    @task(2)
    def save_article(self) -> None:
        url = f"/admin/bulletins/article/{self.draft['article']}/change/"
        page = self.client.get(url, name="article page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.saves += 1
        body = self.draft["body"] + f"<p>第{self.saves}次修改。</p>"
        with self.client.post(url, name="article save", catch_response=True, data={
                "csrfmiddlewaretoken": token, "issue": self.draft["issue"],
                "column": self.draft["column"], "title": self.draft["title"], "body": body,
                "_save": "保存"}) as response:
            if "/article/" in response.url and response.url.rstrip("/").endswith("change"):
                response.failure("the form was refused")

    @task(2)
    def preview(self) -> None:
        self.client.get(f"/admin/issues/{self.draft['issue']}/preview/", name="preview")

    @task(2)
    def download_own(self) -> None:
        self.download(self.draft["issue"], "pdf (just edited)")

    # The shared draft: everybody at once.

    @task(1)
    def save_shared_article(self) -> None:
        url = f"/admin/bulletins/article/{random.choice(OPTIONS.shared['articles'])}/change/"
        page = self.client.get(url, name="article page")
        self.saves += 1
        fields = form_fields(page.text, "article_form") | {
            "body": f"<p>{self.username}第{self.saves}次修改共用的文章。</p>", "_save": "保存"}
        self.save(url, fields, "shared article save")

    @task(1)
    def save_shared_issue(self) -> None:
        url = f"/admin/bulletins/issue/{OPTIONS.shared['issue']}/change/"
        page = self.client.get(url, name="issue page")
        self.saves += 1
        fields = form_fields(page.text, "issue_form") | {
            "editor_note": f"{self.username}第{self.saves}次修改编者按。", "_continue": "1"}
        self.save(url, fields, "shared issue save")

    @task(1)
    def move_shared_article(self) -> None:
        issue = OPTIONS.shared["issue"]
        page = self.client.get(f"/admin/bulletins/issue/{issue}/change/", name="issue page")
        article, direction = random.choice(OPTIONS.shared["articles"]), random.choice(["up", "down"])
        self.client.post(f"/admin/issues/{issue}/articles/{article}/move/{direction}/", name="move article",
                         data={"csrfmiddlewaretoken": token_of(page.text)})

    @task(1)
    def submit_and_withdraw(self) -> None:
        issue = self.draft["issue"]
        page = self.client.get(f"/admin/bulletins/issue/{issue}/change/", name="issue page")
        for action in ("submit", "withdraw"):
            self.client.post(f"/admin/issues/{issue}/workflow/{action}/", name="workflow step",
                             data={"csrfmiddlewaretoken": token_of(page.text)})

    def save(self, url: str, fields: dict, name: str) -> None:
        """A save lands (redirect), or is refused with the page that says why: a conflict."""
        with self.client.post(url, name=name, data=fields, catch_response=True,
                              allow_redirects=False) as response:
            if response.status_code == 302:
                response.success()
            elif (response.status_code == 200 and "保存未成功：" in response.text) or (
                    response.status_code == 409 and "内容不能再修改" in response.text):
                response.success()
                OPTIONS.conflicts[name] += 1
            else:
                response.failure(f"neither saved nor the conflict page ({response.status_code})")


class Reader(SiteUser):
    prefix = "reader"

    @task(2)
    def issue_list(self) -> None:
        self.client.get("/admin/bulletins/issue/", name="issue list")

    @task(2)
    def issue_page(self) -> None:
        self.open_issue(random.choice(OPTIONS.published))

    @task(2)
    def preview(self) -> None:
        issue = random.choice(OPTIONS.published)
        self.client.get(f"/admin/issues/{issue}/preview/", name="preview")

    @task(4)
    def download(self) -> None:
        super().download(random.choice(OPTIONS.published), "pdf (unchanged)")


OPTIONS = None  # the drafts, the published issues and the counters, set by main()


def token_of(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class Options:
    def __init__(self, drafts: list, published: list, shared: dict) -> None:
        import itertools

        self.drafts = drafts
        self.published = published
        self.shared = shared
        self.counters = {"editor": itertools.count(), "reader": itertools.count()}
        self.waiting = {"pdf (just edited)": 0, "pdf (unchanged)": 0}
        self.conflicts = {"shared article save": 0, "shared issue save": 0}


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (living or waited for), in seconds."""
    try:
        process = psutil.Process(pid)
        total = sum(process.cpu_times()[:4])  # user, system, children's user and system
        for child in process.children(recursive=True):
            total += sum(child.cpu_times()[:2])
    except psutil.NoSuchProcess:
        return 0.0
    return total


def report(environment: Environment, seconds: float, options: Options) -> None:
    stats = environment.stats
    print(f"\n{'kind':<20} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(f"{entry.name:<20} {entry.num_requests:>8} {entry.num_failures:>6} "
              f"{entry.get_response_time_percentile(0.5):>7.0f} "
              f"{entry.get_response_time_percentile(0.95):>7.0f} {entry.max_response_time:>7.0f}")
    total = stats.total
    print(f"{'all':<20} {total.num_requests:>8} {total.num_failures:>6} "
          f"{total.get_response_time_percentile(0.5):>7.0f} "
          f"{total.get_response_time_percentile(0.95):>7.0f} {total.max_response_time:>7.0f}")
    print(f"\n{total.num_requests / seconds:.1f} requests per second over {seconds:.0f} s, "
          f"{total.num_failures} errors; load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    for name, count in options.waiting.items():
        print(f"{name}: {count} answered with the waiting page (render still queued)")
    for name, count in options.conflicts.items():
        print(f"{name}: {count} refused as a conflict (a colleague saved first), with the page that says so")
    for error in stats.errors.values():
        print(f"error: {error.method} {error.name}: {error.error} ×{error.occurrences}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6",
                        help="a Redis database for this run (its new keys are removed afterwards)")
    parser.add_argument("--database", default=f"bulletins_load_{os.getpid()}",
                        help="name of the PostgreSQL database to create and drop")
    parser.add_argument("--threads", type=int, default=1, help="threads of each gunicorn worker")
    parser.add_argument("--sqlite", action="store_true",
                        help="the default install: SQLite file, file cache, database queue")
    args = parser.parse_args()

    database = args.database
    folder = Path(tempfile.mkdtemp(prefix="bulletins-load-"))
    prefix = f"load-{os.getpid()}"
    env = {key: value for key, value in os.environ.items()
           if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "REDIS_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", HTTPS="off",  # plain HTTP on the loopback interface
        STATIC_ROOT=str(folder / "static"), MEDIA_ROOT=str(folder / "media"),
        AXES_FAILURE_LIMIT="1000",
    )
    if args.sqlite:
        redis_client = None
        env.update(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", CACHE_DIR=str(folder / "cache"),
                   UPLOAD_CACHE_DIR=str(folder / "upload-cache"))
    else:
        import redis

        redis_client = redis.Redis.from_url(args.redis_url)
        keys_before = set(redis_client.scan_iter())
        env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
                   REDIS_URL=args.redis_url, CACHE_KEY_PREFIX=prefix)
        psql(f"CREATE DATABASE {database}")
    editors = args.users // 2
    readers = args.users - editors
    processes: list[subprocess.Popen] = []
    try:
        print("Setting up: migrate, collectstatic, import seeds/ ...", flush=True)
        run(env, "manage.py", "migrate", "--no-input", "-v", "0")
        run(env, "manage.py", "collectstatic", "--no-input", "-v", "0")
        run(env, "manage.py", "import_archive", "seeds/", capture=True)
        import json

        prepared = json.loads(run(env, "manage.py", "shell", "-c", PREPARE.format(  # its last line
            editors=editors, readers=readers, password=PASSWORD), capture=True).splitlines()[-1])
        processes.append(subprocess.Popen(  # noqa: S603
            [str(Path(PYTHON).with_name("gunicorn")), "config.wsgi", "--workers", "2",
             "--threads", str(args.threads), "--bind", f"127.0.0.1:{args.port}",
             "--log-level", "warning"], cwd=ROOT, env=env))
        processes.append(subprocess.Popen([PYTHON, "manage.py", "run_worker"], cwd=ROOT, env=env,  # noqa: S603
                                          stdout=subprocess.DEVNULL))
        host = f"http://127.0.0.1:{args.port}"
        wait_for(f"{host}/admin/login/")
        # Render the archive once, as saving it would have: its downloads are then unchanged.
        run(env, "manage.py", "shell", "-c",
            "from bulletins.models import Issue\nfrom bulletins.tasks import render_issue\n"
            "[render_issue.call(pk) for pk in Issue.objects.values_list('pk', flat=True)]")

        global OPTIONS
        options = OPTIONS = Options(prepared["drafts"], prepared["published"], prepared["shared"])
        Editor.fixed_count, Reader.fixed_count = editors, readers
        environment = Environment(user_classes=[Editor, Reader], host=host)
        runner = environment.create_local_runner()
        print(f"Running {args.users} users ({editors} editors, {readers} readers) "
              f"for {args.seconds} s against {host} on {'SQLite' if args.sqlite else 'PostgreSQL'} ...",
              flush=True)
        load_before = os.getloadavg()[0]
        web, worker = processes
        cpu_before = cpu_seconds(web.pid), cpu_seconds(worker.pid), time.process_time()
        started = time.monotonic()
        runner.start(args.users, spawn_rate=args.spawn_rate)
        gevent.spawn_later(args.seconds, runner.quit)
        runner.greenlet.join()
        cpu_after = cpu_seconds(web.pid), cpu_seconds(worker.pid), time.process_time()
        report(environment, time.monotonic() - started, options)
        web_cpu, worker_cpu, locust_cpu = (after - before
                                           for after, before in zip(cpu_after, cpu_before, strict=True))
        requests = environment.stats.total.num_requests
        print(f"CPU seconds during the run: web server {web_cpu:.1f} "
              f"({web_cpu / max(requests, 1) * 1000:.0f} ms a request), task worker {worker_cpu:.1f}, "
              f"locust {locust_cpu:.1f}; load average {load_before:.1f} before")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                # The task worker finishes the render in hand first.
                process.wait(timeout=300)
            except subprocess.TimeoutExpired:
                process.kill()
        if redis_client is not None:
            # The cache keys and the queue's keys (rq:…) that this run made.
            keys = [key for key in redis_client.scan_iter()
                    if key not in keys_before and key.split(b":")[0] in (prefix.encode(), b"rq")]
            if keys:
                redis_client.delete(*keys)
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
