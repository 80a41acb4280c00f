"""A batch job run in the background (PDFs of many issues, archive files), with its progress and failures."""

from django.conf import settings
from django.db import models


class BatchJob(models.Model):
    class Kind(models.TextChoices):
        RENDER = "render", "生成PDF"
        ARCHIVE_CHECK = "archive_check", "试导入往期简报"
        ARCHIVE_IMPORT = "archive_import", "导入往期简报"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        FINISHED = "finished", "已完成"
        FAILED = "failed", "出错中止"

    # Jobs over archive files: each has a report page, for who started it.
    ARCHIVE_KINDS = (Kind.ARCHIVE_CHECK, Kind.ARCHIVE_IMPORT)

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    label = models.CharField("内容", max_length=200)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("总数")
    done = models.PositiveIntegerField("已处理", default=0)
    failures = models.JSONField("失败项", default=list, blank=True,
                                help_text="每项：{\"item\": 名称, \"message\": 原因}")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    # The worker's heartbeat: when it started the job or last finished an item of it.
    progress_at = models.DateTimeField("最近进展", null=True, blank=True)

    class Meta:
        app_label = "bulletins"
        ordering = ["-created_at", "-pk"]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.label}"

    @property
    def progress_label(self) -> str:
        return f"{self.done} / {self.total}"
