"""The wording list (规范表述) of each publication, and the dismissed proofreading findings."""

from django.contrib import admin

from bulletins.models import ProofreadingDismissal, WordingRule
from bulletins.resources import WordingRuleResource
from bulletins.services import (
    proofreading_dismissal_remove,
    wording_rule_add,
    wording_rule_remove,
    wording_rule_update,
)
from editorial.admin.transfer import TransferMixin


@admin.register(WordingRule)
class WordingRuleAdmin(TransferMixin, admin.ModelAdmin):
    resource_classes = [WordingRuleResource]
    list_display = ["wrong", "right", "note", "publication"]
    list_display_links = ["wrong"]
    list_filter = ["publication"]
    list_select_related = ["publication"]
    search_fields = ["wrong", "right", "note"]
    fields = ["publication", "wrong", "right", "note"]

    def save_model(self, request, obj, form, change):
        if change:
            wording_rule_update(rule=obj, **{name: form.cleaned_data[name] for name in form.changed_data})
        else:
            saved = wording_rule_add(publication=obj.publication, wrong=obj.wrong, right=obj.right,
                                     note=obj.note)
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        wording_rule_remove(rule=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            wording_rule_remove(rule=rule)


@admin.register(ProofreadingDismissal)
class ProofreadingDismissalAdmin(admin.ModelAdmin):
    """Who dismissed which finding and why; deleting one lists the finding again."""

    list_display = ["message", "excerpt", "reason", "where", "dismissed_by", "dismissed_at"]
    list_display_links = ["message"]
    list_filter = ["issue__publication", "code"]
    list_select_related = ["issue__publication", "article", "dismissed_by"]
    search_fields = ["excerpt", "reason", "article__title"]
    readonly_fields = ["issue", "article", "code", "excerpt", "message", "reason", "dismissed_by",
                       "dismissed_at"]
    fields = readonly_fields

    @admin.display(description="位置", ordering="issue")
    def where(self, obj: ProofreadingDismissal) -> str:
        place = f"《{obj.article.title}》" if obj.article_id else "本期编者按、报头与版记"
        return f"{obj.issue.number_label} {place}"

    def has_add_permission(self, request):
        return False  # findings are dismissed from the 校对 panel

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        proofreading_dismissal_remove(dismissal=obj)

    def delete_queryset(self, request, queryset):
        for dismissal in queryset:
            proofreading_dismissal_remove(dismissal=dismissal)
