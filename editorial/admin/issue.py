from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bulletins.models import Article, Column, DistributionList, Issue, IssueRecipient, Publication
from bulletins.resources import ArticleResource, IssueResource
from bulletins.services import issue_apply_default_distribution, issue_publish
from editorial.admin.search import IndexedSearchMixin
from editorial.admin.transfer import TransferMixin
from editorial.forms import ArticleForm, IssueForm, IssueRecipientForm


def _issue_from_request(request) -> Issue | None:
    object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
    return Issue.objects.filter(pk=object_id).first() if object_id else None


class ArticleInline(SortableStackedInline):
    model = Article
    form = ArticleForm
    ordering = ["position"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        issue = _issue_from_request(request)
        if db_field.name == "column" and issue is not None:
            kwargs["queryset"] = Column.objects.filter(publication_id=issue.publication_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IssueRecipientInline(SortableTabularInline):
    model = IssueRecipient
    form = IssueRecipientForm
    ordering = ["position"]
    fields = ["role", "distribution_list", "organisation", "is_addition"]
    autocomplete_fields = ["organisation"]
    extra = 0

    # A published issue keeps the distribution it was printed with.
    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        issue = _issue_from_request(request)
        if db_field.name == "distribution_list" and issue is not None:
            kwargs["queryset"] = DistributionList.objects.filter(publication_id=issue.publication_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Issue)
class IssueAdmin(IndexedSearchMixin, SortableAdminBase, TransferMixin, admin.ModelAdmin):
    resource_classes = [IssueResource]
    form = IssueForm
    list_display = ["publication", "number_display", "total_number", "date", "article_count",
                    "status"]
    list_display_links = ["number_display"]
    list_filter = ["publication", "year", "status"]
    list_select_related = ["publication"]
    search_fields = ["articles__title", "articles__body", "publication__name"]
    date_hierarchy = "date"
    readonly_fields = ["status", "distribution_preview", "computed_print_run_display"]
    actions = ["publish"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["publication", "is_special", "year", "number", "total_number",
                               "date", "editor_note"]}),
        ]
        if obj is not None:
            fieldsets.append(("分发与印数", {"fields": ["distribution_preview", "print_run",
                                                   "computed_print_run_display", "status"]}))
        return fieldsets

    def get_inlines(self, request, obj):
        # Columns and distribution lists depend on the publication, so they come after the first save.
        return [ArticleInline, IssueRecipientInline] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("publication")
        if obj is not None and obj.is_frozen:
            fields.append("print_run")
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        publication = Publication.objects.filter(pk=initial.get("publication")).first()
        if publication is None and Publication.objects.count() == 1:
            publication = Publication.objects.get()
        if publication is not None:
            today = timezone.localdate()
            number, total = publication.next_issue_numbers(year=today.year)
            initial.update(publication=publication.pk, year=today.year, number=number,
                           total_number=total, date=today,
                           print_run=publication.default_print_run)
        return initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            issue_apply_default_distribution(issue=obj)

    def response_add(self, request, obj, post_url_continue=None):
        # Articles are added on the change page, so stay there after creating the issue.
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="标记所选的期为已印发（固定版记和印数）", permissions=["change"])
    def publish(self, request, queryset):
        drafts = queryset.filter(status=Issue.Status.DRAFT).select_related("publication")
        published = [issue_publish(issue=issue).number_label for issue in drafts]
        if published:
            self.message_user(request, f"已标记为已印发：{'、'.join(published)}。", messages.SUCCESS)
        else:
            self.message_user(request, "所选的期都已印发，未作改动。", messages.WARNING)

    @admin.display(description="期号", ordering="number")
    def number_display(self, obj: Issue) -> str:
        return obj.number_label

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, obj: Issue) -> int:
        return obj.article_count

    @admin.display(description="版记预览")
    def distribution_preview(self, obj: Issue):
        lines = obj.distribution_lines()
        if not lines:
            return "（尚无分发对象）"
        printed = format_html_join("", "<div>{}</div>", ((str(line),) for line in lines))
        if obj.is_frozen:
            return format_html("{}<div class=\"help\">本期已印发，版记按印发时固定，不随名录变动。</div>",
                               printed)
        return printed

    @admin.display(description="按份数计算的印数")
    def computed_print_run_display(self, obj: Issue) -> str:
        return f"共印 {obj.computed_print_run()} 份"


@admin.register(Article)
class ArticleAdmin(IndexedSearchMixin, TransferMixin, admin.ModelAdmin):
    resource_classes = [ArticleResource]
    form = ArticleForm
    list_display = ["title", "issue", "column"]
    list_filter = ["issue__publication", "issue__year", "column__name"]
    list_select_related = ["issue__publication", "column"]
    search_fields = ["title", "subtitle", "byline", "body"]
    autocomplete_fields = ["issue"]

    def get_fields(self, request, obj=None):
        return ["issue", *ArticleForm.Meta.fields]
