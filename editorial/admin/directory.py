from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin

from bulletins.models import DistributionList, DistributionListMember, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "default_role", "copies", "active"]
    list_filter = ["active", "default_role"]
    search_fields = ["name", "short_name"]


class DistributionListMemberInline(SortableTabularInline):
    model = DistributionListMember
    ordering = ["position"]
    autocomplete_fields = ["organisation"]
    fields = ["organisation"]
    extra = 1


@admin.register(DistributionList)
class DistributionListAdmin(SortableAdminBase, admin.ModelAdmin):
    list_display = ["name", "publication", "role", "is_default"]
    list_filter = ["publication", "role", "is_default"]
    list_select_related = ["publication"]
    search_fields = ["name"]
    inlines = [DistributionListMemberInline]
