"""Settings from the environment: Redis cache and queue with REDIS_URL, database queue without.

The tests marked `redis` use the real Redis at REDIS_URL (CI runs the suite once with
REDIS_URL=redis://127.0.0.1:6379/6) and are skipped without it.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from bulletins.rendering.background import RenderJob, RenderState, cached_pdf, render_status
from tests.printing import build_issue, forget_rendering

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")


def _production_settings(**env) -> str:
    """What config.settings makes of an environment, printed by a fresh interpreter."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"REDIS_URL", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE", "DEBUG"}}
    environment.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="config.settings", **env)
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.CACHES['default']['BACKEND'], s.TASKS['default']['BACKEND'], "
            "'django_rq' in s.INSTALLED_APPS)")
    result = subprocess.run([sys.executable, "-c", code], env=environment,  # noqa: S603
                            capture_output=True,
                            text=True, check=True, cwd=settings.BASE_DIR)
    return result.stdout.strip()


def test_without_redis_the_cache_is_files_and_the_queue_the_database():
    assert _production_settings() == ("django.core.cache.backends.filebased.FileBasedCache "
                                      "django_tasks_db.DatabaseBackend False")


def test_with_redis_url_the_cache_and_the_queue_are_redis():
    assert _production_settings(REDIS_URL="redis://127.0.0.1:6379/6") == (
        "django.core.cache.backends.redis.RedisCache django_tasks_rq.RQBackend True")


def test_tasks_backend_chooses_the_database_queue_beside_a_redis_cache():
    assert _production_settings(REDIS_URL="redis://127.0.0.1:6379/6", TASKS_BACKEND="database") == (
        "django.core.cache.backends.redis.RedisCache django_tasks_db.DatabaseBackend False")


def _upload_cache_settings(**env) -> str:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE", "UPLOAD_CACHE_DIR"}}
    environment.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="config.settings", **env)
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.CACHES['uploads'] == s.CACHES['default'], s.CACHES['uploads']['BACKEND'])")
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,  # noqa: S603
                          text=True, check=True, cwd=settings.BASE_DIR).stdout.strip()


def test_waiting_uploads_have_a_file_cache_of_their_own_without_redis_and_redis_with_it():
    assert _upload_cache_settings() == "False bulletins.upload_cache.PendingFileCache"
    assert _upload_cache_settings(REDIS_URL="redis://127.0.0.1:6379/6") == (
        "True django.core.cache.backends.redis.RedisCache")


@needs_redis
def test_the_cache_is_the_real_redis():
    import redis
    from django.core.cache import cache

    cache.set("i11-probe", "值", 30)
    client = redis.Redis.from_url(settings.REDIS_URL)
    [key] = client.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:*:i11-probe")
    assert client.ttl(key) <= 30
    assert cache.get("i11-probe") == "值"
    cache.delete("i11-probe")


@needs_redis
@pytest.mark.django_db
def test_a_render_goes_through_the_redis_queue(settings):
    import django_rq
    from django_tasks.signals import task_enqueued
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from bulletins.tasks import enqueue_issue_render, render_issue

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    issue = build_issue(articles=1, paragraphs=1)
    forget_rendering(issue)
    enqueued = []

    def keep(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(keep)
    try:
        status = enqueue_issue_render(issue)
    finally:
        task_enqueued.disconnect(keep)
    assert status.state == RenderState.QUEUED
    [task_result] = enqueued
    queue = django_rq.get_queue("default", job_class=Job)
    assert task_result.id in queue.job_ids
    job = Job.fetch(task_result.id, connection=queue.connection)
    job_id = job.id
    # Run this job only (the Redis database may hold other runs' jobs), in this process, as
    # the worker would.
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.execute_job(job, queue)
    result = render_issue.get_result(job_id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == "ready"
    job = RenderJob.for_issue(issue)
    assert render_status(job).state == RenderState.READY
    assert cached_pdf(job).startswith(b"%PDF-")
    forget_rendering(issue)
