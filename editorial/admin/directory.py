from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from bulletins.models import DistributionList, DistributionListMember, Organisation, UnitReader
from bulletins.resources import DistributionListResource, OrganisationResource
from bulletins.services import organisation_merge
from editorial.admin.reference import ReferenceAdminMixin
from editorial.admin.rows import save_changed_rows
from editorial.admin.transfer import TransferMixin
from editorial.forms import OrganisationMergeForm
from editorial.readers import unit_reader_assign, unit_reader_unassign


class UnitReaderInline(admin.TabularInline):
    """The unit's 收文员: they receive, read and sign for the issues delivered to it."""

    model = UnitReader
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdminMixin, TransferMixin, admin.ModelAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "default_role", "copies", "active"]
    list_filter = ["active", "default_role"]
    search_fields = ["name", "short_name"]
    actions = ["merge_organisations"]
    inlines = [UnitReaderInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not UnitReader:
            return super().save_formset(request, form, formset, change)

        def add(row):
            return unit_reader_assign(unit=form.instance, user=row.instance.user, by=request.user)

        def replace(row):
            # Another user in the same row: the earlier one no longer reads for the unit.
            earlier = get_user_model().objects.get(pk=row.initial["user"])
            unit_reader_unassign(unit=form.instance, user=earlier)
            unit_reader_assign(unit=form.instance, user=row.instance.user, by=request.user)

        def delete(record):
            unit_reader_unassign(unit=record.unit, user=record.user)

        save_changed_rows(formset, add=add, change=replace, delete=delete)
        return None

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
