"""Background batch jobs in the admin: what runs, how far it got, what failed."""

from django.contrib import admin, messages
from django.db.models import BooleanField, Case, Value, When
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from bulletins.batch import batch_notice_lost
from bulletins.batch_models import BatchJob
from bulletins.tasks import batch_render_start


@admin.register(BatchJob)
class BatchJobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "status", "progress", "failure_count", "report", "created_by",
                    "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    fields = ["label", "kind", "status", "progress", "report", "failure_list", "created_by",
              "created_at", "started_at", "finished_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The report page of an archive job opens only for who started it.
        return super().get_queryset(request).annotate(viewer_started=Case(
            When(created_by=request.user.pk, then=Value(True)), default=Value(False),
            output_field=BooleanField()))

    def changelist_view(self, request, extra_context=None):
        batch_notice_lost()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if str(object_id).isdigit():
            batch_notice_lost(jobs=BatchJob.objects.filter(pk=object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="进度")
    def progress(self, obj: BatchJob) -> str:
        return obj.progress_label

    @admin.display(description="失败数")
    def failure_count(self, obj: BatchJob) -> int:
        return len(obj.failures)

    @admin.display(description="报告")
    def report(self, obj: BatchJob) -> str:
        if obj.kind not in BatchJob.ARCHIVE_KINDS or not getattr(obj, "viewer_started", False):
            # The admin's empty value, as in the other columns (None would print "None" on the
            # job's own page).
            return self.get_empty_value_display()
        return format_html('<a href="{}">查看报告</a>', reverse("editorial:archive_job", args=[obj.pk]))

    @admin.display(description="失败项")
    def failure_list(self, obj: BatchJob):
        if not obj.failures:
            return "（无）"
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{}：{}</li>", ((item["item"], item["message"]) for item in obj.failures)))


@admin.action(description="在后台生成所选期的PDF", permissions=["view"])
def render_pdfs_in_background(modeladmin, request, queryset):
    """An action for the issue list: queue one batch job over the selected issues."""
    issues = list(queryset.select_related("publication").order_by("publication__name", "year", "number"))
    job = batch_render_start(issues=issues, label=f"{len(issues)} 期简报的PDF", by=request.user)
    modeladmin.message_user(request, format_html(
        "已在后台开始生成 {} 期的PDF，进度见<a href=\"{}\">后台任务</a>。", len(issues),
        reverse("admin:bulletins_batchjob_change", args=[job.pk])), messages.SUCCESS)


class QueuedTaskAdmin(DBTaskResultAdmin):
    """django-tasks' queue, its one untranslatable column relabelled."""

    list_display = ("id", "task_label", "status", "enqueued_at", "started_at", "finished_at", "priority",
                    "queue_name")

    @admin.display(description="任务名称")
    def task_label(self, obj: DBTaskResult) -> str:
        return obj.task_name


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, QueuedTaskAdmin)
