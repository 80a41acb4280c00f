from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from bulletins.models import Article, Column, DistributionList, Issue, IssueRecipient, Publication
from bulletins.rendering.typesetting import typeset_body
from bulletins.resources import ArticleResource, IssueResource
from bulletins.sanitize import sanitize_html
from bulletins.services import (
    article_create,
    article_delete,
    article_update,
    issue_add_recipient,
    issue_create,
    issue_delete,
    issue_on_record,
    issue_propose_numbers,
    issue_update,
    recipient_delete,
    recipient_update,
)
from bulletins.services.articles import ARTICLE_FIELDS
from bulletins.services.distribution import RECIPIENT_FIELDS
from bulletins.services.guards import events_on_record
from bulletins.services.issues import ISSUE_EDITABLE_FIELDS
from editorial import workflow
from editorial.admin.jobs import render_pdfs_in_background
from editorial.admin.refusals import RefusedSaveMixin, refused_as_page
from editorial.admin.rows import save_changed_rows
from editorial.admin.search import IndexedSearchMixin
from editorial.admin.transfer import TransferMixin
from editorial.forms import ArticleForm, IssueForm, IssueRecipientForm, RecipientFormSet
from editorial.views.assembly import issue_assembly


def _issue_from_request(request) -> Issue | None:
    """The issue of the page, read once per request."""
    if not hasattr(request, "_bulletins_issue"):
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        request._bulletins_issue = Issue.objects.filter(pk=object_id).first() if object_id else None
    return request._bulletins_issue


def _editable(obj: Issue | None) -> bool:
    return obj is None or obj.is_editable


class IssueRecipientInline(SortableTabularInline):
    model = IssueRecipient
    form = IssueRecipientForm
    formset = RecipientFormSet
    ordering = ["position"]
    fields = ["role", "distribution_list", "organisation", "is_addition"]
    autocomplete_fields = ["organisation"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("distribution_list", "organisation")

    @staticmethod
    def _writable(obj: Issue | None) -> bool:
        """Only a draft's distribution changes, and a printed 版记 stays as it was printed, even
        in a draft reopened for correction."""
        return obj is None or (obj.is_editable and not obj.is_frozen)

    def has_add_permission(self, request, obj=None):
        return self._writable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._writable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._writable(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        issue = _issue_from_request(request)
        if db_field.name == "distribution_list" and issue is not None:
            kwargs["queryset"] = DistributionList.objects.filter(publication_id=issue.publication_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "distribution_list":
            # Read once a request for every row of the formset (iter(): no COUNT query first).
            if not hasattr(request, "_bulletins_list_choices"):
                request._bulletins_list_choices = list(iter(field.choices))
            field.choices = request._bulletins_list_choices
        return field


def _changed_fields(form, allowed) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}


@admin.register(Issue)
class IssueAdmin(RefusedSaveMixin, IndexedSearchMixin, SortableAdminBase, TransferMixin, admin.ModelAdmin):
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
    actions = ["delete_drafts", render_pdfs_in_background]

    class Media:
        js = ["editorial/unsaved.js", "editorial/busy.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["publication", "is_special", "year", "number", "total_number",
                               "date", "editor_note", "expected_version"]}),
        ]
        if obj is not None:
            fieldsets.append(("分发与印数", {"fields": ["distribution_preview", "print_run",
                                                   "computed_print_run_display", "status"]}))
        return fieldsets

    def get_inlines(self, request, obj):
        # Articles are listed compactly above the form (assembly) and edited one at a time on
        # their own page; distribution lists depend on the publication, so they come after the
        # first save.
        return [IssueRecipientInline] if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("publication")
        if obj is not None and obj.is_frozen:
            fields.append("print_run")
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by delete_drafts, which keeps the record
        return actions

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        on_record = obj is not None and (
            obj.on_record if hasattr(obj, "on_record") else issue_on_record(obj))
        deletable = obj is None or (obj.is_editable and not on_record)
        return deletable and super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("publication")
                .annotate(article_count=Count("articles"),
                          on_record=Exists(events_on_record().filter(issue=OuterRef("pk")))))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        request._bulletins_issue = obj
        return obj

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        publication = Publication.objects.filter(pk=initial.get("publication")).first()
        if publication is None and Publication.objects.count() == 1:
            publication = Publication.objects.get()
        if publication is not None:
            today = timezone.localdate()
            year, number, total = issue_propose_numbers(publication=publication, year=today.year)
            initial.update(publication=publication.pk, year=year, number=number,
                           total_number=total, date=today,
                           print_run=publication.default_print_run)
        return initial

    # Writes go through the services, which check the state and keep the revisions; a refusal
    # shows the page again (RefusedSaveMixin).

    def issue_of_page(self, request, object_id) -> Issue | None:
        return Issue.objects.filter(pk=object_id).first() if object_id else None

    def history_view(self, request, object_id, extra_context=None):
        # The issue's history is its revisions and its timeline, not the admin's change log.
        return redirect("editorial:issue_history", object_id)

    def save_model(self, request, obj, form, change):
        if not change:
            with refused_as_page():
                created = issue_create(by=request.user, publication=obj.publication,
                                       **{name: getattr(obj, name) for name in ISSUE_EDITABLE_FIELDS})
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        with refused_as_page():
            issue_update(issue=obj, by=request.user,
                         expected_version=form.cleaned_data.get("expected_version"),
                         **_changed_fields(form, ISSUE_EDITABLE_FIELDS))

    def save_formset(self, request, form, formset, change):
        """Save only the distribution rows the user changed, each through its service."""
        def add(row):
            data = {name: row.cleaned_data.get(name) for name in RECIPIENT_FIELDS}
            # A blank row posts position 0: the service then puts it after the others.
            data["position"] = data["position"] or None
            return issue_add_recipient(issue=form.instance, by=request.user, **data)

        def update(row):
            fields = _changed_fields(row, RECIPIENT_FIELDS)
            recipient_update(recipient=row.instance, by=request.user, **fields)

        def delete(recipient):
            recipient_delete(recipient=recipient, by=request.user)

        with refused_as_page():
            save_changed_rows(formset, add=add, change=update, delete=delete)

    def delete_model(self, request, obj):
        issue_delete(issue=obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        # Articles are added on the change page, so stay there after creating the issue.
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            assembly = issue_assembly(obj)
            context.update(
                events=obj.events.select_related("revision").order_by("created_at", "pk"),
                workflow_actions=workflow.available_actions(obj, request.user),
                assembly=assembly,
                article_total=sum(len(group.articles) for group in assembly),
                can_arrange=obj.is_editable and request.user.has_perm("bulletins.change_article"),
            )
        elif add:
            context["adding_issue"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description="删除所选的草稿（已进入送审流程的期不会删除）", permissions=["delete"])
    def delete_drafts(self, request, queryset):
        deleted, kept = [], []
        for issue in queryset.select_related("publication"):
            try:
                issue_delete(issue=issue, by=request.user)
                deleted.append(issue.number_label)
            except ValidationError as error:
                kept.append(f"{issue.number_label}（{'；'.join(error.messages)}）")
        if deleted:
            self.message_user(request, f"已删除：{'、'.join(deleted)}。", messages.SUCCESS)
        if kept:
            self.message_user(request, f"未删除：{'、'.join(kept)}", messages.WARNING)

    @admin.display(description="期号", ordering="number")
    def number_display(self, obj: Issue) -> str:
        return obj.number_label

    @admin.display(description="文章数", ordering="article_count")
    def article_count(self, obj: Issue) -> int:
        return obj.article_count

    @admin.display(description="版记预览")
    def distribution_preview(self, obj: Issue):
        lines = obj.distribution_lines(obj.cached_recipients())
        if not lines:
            return "（尚无分发对象）"
        printed = format_html_join("", "<div>{}</div>", ((str(line),) for line in lines))
        if obj.is_frozen:
            return format_html("{}<div class=\"help\">本期已印发，版记按印发时固定，不随名录变动。</div>",
                               printed)
        return printed

    @admin.display(description="按份数计算的印数")
    def computed_print_run_display(self, obj: Issue) -> str:
        return f"共印 {obj.computed_print_run(obj.cached_recipients())} 份"


@admin.register(Article)
class ArticleAdmin(RefusedSaveMixin, IndexedSearchMixin, TransferMixin, admin.ModelAdmin):
    resource_classes = [ArticleResource]
    form = ArticleForm
    list_display = ["title", "issue", "column", "updated_by", "updated_at"]
    list_filter = ["issue__publication", "issue__year", "column__name"]
    list_select_related = ["issue__publication", "column", "updated_by"]
    search_fields = ["title", "subtitle", "byline", "body"]
    autocomplete_fields = ["issue"]

    class Media:
        js = ["editorial/unsaved.js"]

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            # From 送审 on (or for who may only read) the page shows the article: its body as
            # printed, not its HTML.
            return ["issue", *(name if name != "body" else "printed_body"
                               for name in ArticleForm.Meta.fields)]
        return ["issue", *ArticleForm.Meta.fields, "expected_version"]

    @admin.display(description="正文")
    def printed_body(self, obj: Article) -> str:
        return format_html('<div class="printed-article">{}</div>',
                           mark_safe(typeset_body(sanitize_html(obj.body))))  # noqa: S308 - sanitised

    def history_view(self, request, object_id, extra_context=None):
        # An article's history is its issue's revisions, shown for this article.
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        return redirect(ArticleForm.compare_url(article))

    def get_readonly_fields(self, request, obj=None):
        return ["issue"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "issue":
            kwargs["queryset"] = Issue.objects.drafts().select_related("publication")
        if db_field.name == "column":
            issue = self._issue(request)
            if issue is not None:
                kwargs["queryset"] = Column.objects.filter(publication_id=issue.publication_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue__publication")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        request._bulletins_article_issue = obj.issue if obj is not None else None
        return obj

    def issue_of_page(self, request, object_id) -> Issue | None:
        if object_id:
            article = Article.objects.filter(pk=object_id).select_related("issue__publication").first()
            return article.issue if article is not None else None
        return self._issue(request)

    def _issue(self, request) -> Issue | None:
        """The issue the article page is about: the article's, or ?issue= when adding one."""
        if hasattr(request, "_bulletins_article_issue"):
            return request._bulletins_article_issue
        issue_pk = request.GET.get("issue") or request.POST.get("issue")
        return Issue.objects.filter(pk=issue_pk).first() if str(issue_pk or "").isdigit() else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            siblings = list(obj.issue.articles.order_by("position", "pk").values_list("pk", "title"))
            place = [pk for pk, _ in siblings].index(obj.pk)
            context.update(previous_article=siblings[place - 1] if place > 0 else None,
                           next_article=siblings[place + 1] if place + 1 < len(siblings) else None,
                           article_place=place + 1, article_total=len(siblings))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _back_to_issue(self, request, obj, response):
        if "_continue" in request.POST or "_addanother" in request.POST or "_popup" in request.POST:
            return response
        return redirect(reverse("admin:bulletins_issue_change", args=[obj.issue_id]) + f"#article-{obj.pk}")

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_issue(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._back_to_issue(request, obj, super().response_change(request, obj))

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.issue.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.issue.is_editable) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            data = {name: form.cleaned_data.get(name) for name in ARTICLE_FIELDS if name != "position"}
            with refused_as_page():
                created = article_create(issue=form.cleaned_data["issue"], by=request.user, **data)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        with refused_as_page():
            article_update(article=obj, by=request.user,
                           expected_version=form.cleaned_data.get("expected_version"),
                           **_changed_fields(form, ARTICLE_FIELDS))

    def delete_model(self, request, obj):
        article_delete(article=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        kept = []
        for article in queryset.select_related("issue__publication"):
            try:
                article_delete(article=article, by=request.user)
            except ValidationError as error:
                kept.append(f"《{article.title}》（{'；'.join(error.messages)}）")
        if kept:
            self.message_user(request, f"未删除：{'、'.join(kept)}", messages.WARNING)
