from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from bulletins.models import DistributionList, DistributionListMember, Organisation
from bulletins.resources import DistributionListResource, OrganisationResource
from bulletins.services import organisation_merge
from editorial.admin.reference import ReferenceAdminMixin
from editorial.admin.transfer import TransferMixin
from editorial.forms import OrganisationMergeForm


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdminMixin, TransferMixin, admin.ModelAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "default_role", "copies", "active"]
    list_filter = ["active", "default_role"]
    search_fields = ["name", "short_name"]
    actions = ["merge_organisations"]

    @admin.action(description="合并所选的两个单位", permissions=["change"])
    def merge_organisations(self, request, queryset):
        organisations = list(queryset.order_by("name"))
        if len(organisations) != 2:
            self.message_user(request, "请恰好选择两个单位进行合并。", messages.ERROR)
            return None
        form = OrganisationMergeForm(request.POST if "confirm_merge" in request.POST else None,
                                     organisations=organisations)
        if form.is_valid():
            target = form.cleaned_data["target"]
            source = next(o for o in organisations if o.pk != target.pk)
            try:
                organisation_merge(source=source, target=target)
            except ValidationError as error:
                self.message_user(request, "".join(error.messages), messages.ERROR)
                return None
            self.message_user(request, f"已将“{source.name}”合并到“{target.name}”。",
                              messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "合并单位",
            "opts": self.model._meta,
            "form": form,
            "organisations": [
                (o, o.list_memberships.count(), o.issue_recipients.count()) for o in organisations],
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/bulletins/organisation/merge_confirmation.html",
                                context)


class DistributionListMemberInline(SortableTabularInline):
    model = DistributionListMember
    ordering = ["position"]
    autocomplete_fields = ["organisation"]
    fields = ["organisation"]
    extra = 1


@admin.register(DistributionList)
class DistributionListAdmin(ReferenceAdminMixin, SortableAdminBase, TransferMixin, admin.ModelAdmin):
    resource_classes = [DistributionListResource]
    list_display = ["name", "publication", "role", "is_default"]
    list_filter = ["publication", "role", "is_default"]
    list_select_related = ["publication"]
    search_fields = ["name"]
    inlines = [DistributionListMemberInline]
