from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin

from bulletins.models import Column, Publication
from editorial.admin.reference import ReferenceAdminMixin


class ColumnInline(SortableTabularInline):
    model = Column
    ordering = ["position"]
    fields = ["name", "active"]
    extra = 1


@admin.register(Publication)
class PublicationAdmin(ReferenceAdminMixin, SortableAdminBase, admin.ModelAdmin):
    list_display = ["full_name_display", "short_name", "numbering", "has_total_number", "prints_toc"]
    search_fields = ["name", "name_prefix", "short_name"]
    prepopulated_fields = {}
    inlines = [ColumnInline]

    @admin.display(description="刊物全称", ordering="name")
    def full_name_display(self, obj: Publication) -> str:
        return obj.full_name

    fieldsets = [
        (None, {"fields": ["name_prefix", "name", "short_name", "slug", "marking",
                           "issuing_office"]}),
        ("期号", {"fields": ["numbering", "has_total_number", "total_number_offset"]}),
        ("版式", {"fields": ["prints_toc", "toc_shows_pages", "column_decoration", "double_sided",
                           "number_first_page", "number_tail_page"]}),
        ("印数与版记", {"fields": ["default_print_run", "print_run_reserve", "editorial_block"]}),
        ("送达与签收", {"fields": ["restricted_to_recipients", "delivery_attaches_pdf",
                              "remind_after_working_days"]}),
    ]
